"""JSON pointers (RFC 6901): the one place that escapes and unescapes their parts."""

from __future__ import annotations


def escape(part: object) -> str:
    """One reference token: ``~`` → ``~0`` and ``/`` → ``~1`` (in that order)."""
    return str(part).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    """The key a reference token stands for (``~1`` → ``/`` first, then ``~0`` → ``~``)."""
    return token.replace("~1", "/").replace("~0", "~")


def join(*parts: object) -> str:
    """A pointer from keys and indices: ``join("layers", 0, "a/b")`` → ``/layers/0/a~1b``."""
    return "".join("/" + escape(p) for p in parts)


def append(base: str, part: object) -> str:
    """``base`` (already a pointer) extended by one key or index."""
    return f"{base}/{escape(part)}"


def split(pointer: str) -> list[str]:
    """The keys of a pointer, unescaped (``""`` is the root: no keys)."""
    return [unescape(t) for t in pointer.split("/")[1:]]
