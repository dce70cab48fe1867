"""Formatting of sizes for people: tensor dims, counts and bytes, in one place."""

from __future__ import annotations

from typing import Sequence


def fmt_dim(d: int | None) -> str:
    """One axis size, ``?`` when unknown."""
    return "?" if d is None else str(d)


def fmt_dims(shape: Sequence[int | None]) -> str:
    """A tensor size as lecture notes write it: ``55×55×96`` (``?`` for unknown sizes)."""
    return "×".join(map(fmt_dim, shape))


def fmt_shape(shape: Sequence[int | None] | None) -> str:
    """``(55, 55, 96)`` style, with ``?`` for unknown sizes."""
    if shape is None:
        return "—"
    inner = ", ".join(fmt_dim(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def human(n: int | float | None, unit: str = "") -> str:
    """1135256096 → '1.14 G' (SI prefixes)."""
    if n is None:
        return "—"
    for factor, prefix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= factor:
            return f"{n / factor:.2f} {prefix}{unit}"
    return f"{n:g} {unit}".rstrip()


def human_bytes(n: int) -> str:
    """Bytes with binary prefixes: ``237.95 MiB``."""
    for factor, prefix in ((2**40, "TiB"), (2**30, "GiB"), (2**20, "MiB"), (2**10, "KiB")):
        if n >= factor:
            return f"{n / factor:.2f} {prefix}"
    return f"{n} B"


def count_text(n: int | None) -> str:
    """A count with thousands separators, ``—`` when unknown."""
    return "—" if n is None else f"{n:,}"
