"""Fonts for every script: a default stack that falls back per script, coverage checks.

Converters such as cairosvg use only the first family of a ``font-family`` list and
draw empty boxes for the glyphs it lacks, so the figure's first family is chosen to
cover all of its text (Korean names need a CJK font). Coverage comes from
fontconfig (``fc-list``); without fontconfig every family is assumed to cover
everything and nothing is reported.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess

# Latin first (compact digits), then fonts that cover Hangul, kana and Han.
DEFAULT_STACK = ("DejaVu Sans", "Noto Sans", "Noto Sans CJK KR", "NanumGothic",
                 "Noto Sans CJK JP", "Noto Sans CJK SC")
GENERIC = "sans-serif"


@functools.lru_cache(maxsize=64)
def _charset(family: str) -> tuple[tuple[int, int], ...] | None:
    """The code-point ranges ``family`` covers, () if not installed, None without fontconfig."""
    if shutil.which("fc-list") is None:
        return None
    try:
        done = subprocess.run(["fc-list", f"{family}:", "charset"], capture_output=True,
                              text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    ranges = []
    for token in re.findall(r"[0-9a-f]+(?:-[0-9a-f]+)?", done.stdout.replace("charset=", " ")):
        low, _, high = token.partition("-")
        ranges.append((int(low, 16), int(high or low, 16)))
    return tuple(ranges)


def covers(family: str, char: str) -> bool | None:
    """Whether ``family`` draws ``char`` (None when fontconfig cannot tell)."""
    ranges = _charset(family)
    if ranges is None:
        return None
    code = ord(char)
    return any(low <= code <= high for low, high in ranges)


def installed(family: str) -> bool:
    """True when fontconfig knows ``family`` (or cannot be asked)."""
    ranges = _charset(family)
    return ranges is None or bool(ranges)


def _needed(texts) -> list[str]:
    chars = {c for text in texts for c in str(text) if ord(c) > 0x7E and not c.isspace()}
    return sorted(chars)


def choose_font(texts, requested: str | None = None) -> tuple[list[str], list[str]]:
    """(font stack, characters no font can draw) for a figure showing ``texts``.

    The first family of the stack is the requested one if given, else the first
    installed default family that covers every character (else the one covering most).
    """
    candidates = [requested] if requested else []
    candidates += [f for f in DEFAULT_STACK if f != requested]
    usable = [f for f in candidates if installed(f)] or list(candidates)
    needed = _needed(texts)
    if requested:
        first = requested
    else:
        first = max(usable, key=lambda f: (sum(bool(covers(f, c)) for c in needed),
                                           -usable.index(f)))
    # PNG and PDF converters draw with the first family only, so it alone must cover.
    missing = [c for c in needed if covers(first, c) is False]
    stack = [first] + [f for f in usable if f != first] + [GENERIC]
    return stack, missing


def uncovered_by(family: str, texts) -> list[str]:
    """Characters of ``texts`` that ``family`` itself cannot draw."""
    return [c for c in _needed(texts) if covers(family, c) is False]


def missing_glyph_warning(missing: list[str], family: str | None = None) -> str | None:
    """The warning printed when some characters cannot be drawn, or None."""
    if not missing:
        return None
    shown = " ".join(f"{c} (U+{ord(c):04X})" for c in missing[:8])
    more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
    where = f"font {family!r}" if family else "any installed font"
    return (f"warning: {where} has no glyphs for {shown}{more}; they would be drawn as boxes. "
            "Install a font for that script (Debian: apt-get install fonts-noto-cjk) "
            "or choose one with --font")
