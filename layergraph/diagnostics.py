"""Diagnostics: the problems found in a spec, with stable codes and locations.

Every check in layergraph reports through :class:`Diagnostic` instead of raising, so
one run can collect every problem in a file (compiler-style) and no bad input ever
ends in a traceback.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Iterable


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # a note: likely unintended but valid (never fails a check, even --strict)


class Code(str, Enum):
    """Stable diagnostic codes. Never renumber: tools and CI filter on them."""

    FILE_UNREADABLE = "LG001"
    FILE_TOO_LARGE = "LG002"
    MALFORMED_JSON = "LG003"
    NESTING_TOO_DEEP = "LG004"
    BAD_STRUCTURE = "LG101"
    UNSUPPORTED_FORMAT = "LG102"
    UNKNOWN_TYPE = "LG201"
    UNKNOWN_PARAMETER = "LG202"
    INVALID_PARAMETER = "LG203"
    DUPLICATE_NAME = "LG301"
    DANGLING_INPUT = "LG302"
    CYCLE = "LG303"
    WRONG_ARITY = "LG304"
    UNKNOWN_OUTPUT = "LG305"
    UNUSED_LAYER = "LG306"
    NO_SUCH_OUTPUT = "LG307"  # "enc:3" names an output the layer does not have
    UNKNOWN_CALL_ARGUMENT = "LG308"  # `call` names a keyword the layer's call does not take
    BAD_SHARE = "LG309"  # `shares` names no earlier layer, another type, or weights that do not fit
    SHAPE_MISMATCH = "LG401"
    NON_POSITIVE_SIZE = "LG402"
    INVALID_SHAPE = "LG403"
    RECEPTIVE_FIELD_NOT_ALIGNED = "LG801"  # analysis notes: 8xx
    LIKELY_MISSING_FLATTEN = "LG802"
    UNKNOWN_BLOCK = "LG501"
    RECURSIVE_BLOCK = "LG502"
    BAD_BLOCK_ARGUMENT = "LG503"
    BAD_SPEC_PARAMETER = "LG504"
    LIMIT_EXCEEDED = "LG601"
    PLUGIN_FAILED = "LG701"
    BACKEND_UNSUPPORTED = "LG702"
    INTERNAL_ERROR = "LG901"


@dataclass
class Diagnostic:
    """One problem: what, where, and how to fix it."""

    code: Code
    message: str
    severity: Severity = Severity.ERROR
    layer: str | None = None
    pointer: str = ""
    hint: str | None = None
    file: str | None = None
    line: int | None = None
    column: int | None = None
    extra: dict = field(default_factory=dict, repr=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        """`file:line:column` (as much of it as is known)."""
        parts = [self.file or "<spec>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def format(self) -> str:
        """Compiler-style text: `file:line:col: error LG201 [layer]: message` plus the hint.

        Control characters from the spec are shown as escapes, so a hostile file
        cannot send terminal escape sequences through its diagnostics.
        """
        where = f" [{self.layer}]" if self.layer else ""
        text = f"{self.location()}: {self.severity.value} {self.code.value}{where}: {self.message}"
        if self.hint:
            return printable(text) + f"\n    hint: {printable(self.hint)}"
        return printable(text)

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("extra")
        data["code"] = self.code.value
        data["severity"] = self.severity.value
        return data


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with control characters (and bidi overrides) shown as Python escapes."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A "did you mean ...?" hint naming the closest candidates, or None.

    A near-certain match (a typo) is named alone; otherwise up to three.
    """
    lowered = {c.lower(): c for c in candidates}
    word = str(word).lower()
    scored = sorted(((difflib.SequenceMatcher(None, word, c).ratio(), c) for c in lowered),
                    reverse=True)
    matches = [c for score, c in scored[:3] if score >= 0.6]
    if not matches:
        return None
    if scored[0][0] >= 0.85:
        matches = matches[:1]
    names = " or ".join(f"`{lowered[m]}`" for m in matches)
    return f"did you mean {names}?"


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def pointer_join(*parts: object) -> str:
    """Build a JSON pointer (RFC 6901) from path parts (see :mod:`layergraph.jsonpointer`)."""
    from .jsonpointer import join

    return join(*parts)
