"""Reading spec files: size limit, JSON parsing, and JSON pointer → line:column.

The fast path is :func:`json.loads`. Positions are only computed (by a small
position-recording scanner) when there is a diagnostic to place, so clean files
pay nothing for them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from json.decoder import scanstring
from pathlib import Path

from .diagnostics import Code, Diagnostic
from .errors import LayergraphError
from .jsonpointer import append
from .limits import DEFAULT_LIMITS, Limits


@dataclass
class Source:
    """The text of a spec and where it came from."""

    text: str
    path: str | None = None
    _positions: dict[str, tuple[int, int]] | None = field(default=None, repr=False)

    def position(self, pointer: str) -> tuple[int, int] | None:
        """(line, column), 1-based, of the JSON value at ``pointer``, or of its nearest parent."""
        if self._positions is None:
            self._positions = _scan_positions(self.text)
        while True:
            if pointer in self._positions:
                return self._positions[pointer]
            if not pointer:
                return None
            pointer = pointer.rsplit("/", 1)[0]

    def place(self, diagnostic: Diagnostic) -> Diagnostic:
        """Fill in the file, line and column of a diagnostic from its pointer."""
        diagnostic.file = diagnostic.file or self.path
        if diagnostic.line is None:
            pos = self.position(diagnostic.pointer)
            if pos:
                diagnostic.line, diagnostic.column = pos
        return diagnostic


class SpecLoadError(LayergraphError):
    """Raised when a file cannot be turned into JSON data; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def read_source(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Source:
    """Read a spec file as text, refusing files over the size limit."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise SpecLoadError(_too_large(path, f"{size:,} bytes", limits))
        with open(path, "rb") as fh:
            raw = _read_at_most(fh, limits.max_file_bytes + 1)
        if len(raw) > limits.max_file_bytes:  # a device or a file that grew since stat()
            raise SpecLoadError(_too_large(path, "more than that", limits))
        text = raw.decode("utf-8-sig")
    except SpecLoadError:
        raise
    except UnicodeDecodeError as exc:
        raise SpecLoadError(_not_utf8(path, raw, exc)) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = getattr(exc, "strerror", None) or exc
        raise SpecLoadError(Diagnostic(
            Code.FILE_UNREADABLE, f"Cannot read spec file: {reason}.", file=str(path))) from None
    return Source(text=text, path=str(path))


def _read_at_most(fh, limit: int, chunk: int = 1 << 20) -> bytes:
    """Read up to ``limit`` bytes in chunks (``read(limit)`` would allocate all of it at once)."""
    parts, size = [], 0
    while size < limit:
        data = fh.read(min(chunk, limit - size))
        if not data:
            break
        parts.append(data)
        size += len(data)
    return b"".join(parts)


def _too_large(path: Path, received: str, limits: Limits) -> Diagnostic:
    return Diagnostic(
        Code.FILE_TOO_LARGE,
        f"Spec file is too large: at most {limits.max_file_bytes:,} bytes are read. "
        f"Received: a file of {received}.",
        file=str(path), hint="raise LAYERGRAPH_MAX_FILE_BYTES if the file is genuine")


def _not_utf8(path: Path, raw: bytes, exc: UnicodeDecodeError) -> Diagnostic:
    """Locate the first bad byte by line and column (characters, 1-based)."""
    line_start = raw.rfind(b"\n", 0, exc.start) + 1
    column = len(raw[line_start:exc.start].decode("utf-8", errors="replace")) + 1
    return Diagnostic(
        Code.FILE_UNREADABLE,
        f"Spec file is not valid UTF-8 text: {exc.reason}. Received: byte "
        f"0x{raw[exc.start]:02x} at offset {exc.start}.",
        file=str(path), line=raw.count(b"\n", 0, exc.start) + 1, column=column,
        hint="save the file as UTF-8 (JSON text is always UTF-8)")


def parse_json(source: Source, limits: Limits = DEFAULT_LIMITS) -> object:
    """Parse the source text, turning every JSON failure into a located diagnostic."""
    try:
        data = json.loads(source.text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise SpecLoadError(Diagnostic(
            Code.MALFORMED_JSON,
            f"Malformed JSON: {exc.msg.removesuffix(' at')}. Received: {_excerpt(exc)}.",
            file=source.path, line=exc.lineno, column=exc.colno, hint=_json_hint(exc))) from None
    except RecursionError:
        raise SpecLoadError(_too_deep(source, limits)) from None
    except ValueError as exc:  # NaN/Infinity, or an integer with thousands of digits
        raise SpecLoadError(Diagnostic(
            Code.MALFORMED_JSON, f"Malformed JSON: {exc}.", file=source.path,
            hint="numbers must be finite and of reasonable size")) from None
    check_depth(data, limits, source)
    return data


def check_depth(data: object, limits: Limits = DEFAULT_LIMITS, source: Source | None = None) -> None:
    """Raise SpecLoadError if parsed data nests deeper than the limit (checked iteratively)."""
    if _depth(data, limits.max_nesting_depth) > limits.max_nesting_depth:
        raise SpecLoadError(_too_deep(source or Source(text=""), limits))


def _reject_constant(name: str) -> float:
    raise ValueError(f"`{name}` is not valid JSON")


def _too_deep(source: Source, limits: Limits) -> Diagnostic:
    line = column = None
    offset = _first_too_deep(source.text, limits.max_nesting_depth) if source.text else None
    if offset is not None:
        line = source.text.count("\n", 0, offset) + 1
        column = offset - (source.text.rfind("\n", 0, offset) + 1) + 1
    return Diagnostic(
        Code.NESTING_TOO_DEEP,
        f"JSON is nested too deeply: at most {limits.max_nesting_depth} levels of arrays and "
        f"objects are accepted. Received: deeper nesting from here on.",
        file=source.path, line=line, column=column,
        hint="raise LAYERGRAPH_MAX_NESTING_DEPTH if the file is genuine")


_BRACKET_OR_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _first_too_deep(text: str, limit: int) -> int | None:
    """Offset of the first bracket that opens a level deeper than ``limit``."""
    depth = 0
    for match in _BRACKET_OR_STRING.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return match.start()
        elif token in "]}":
            depth -= 1
    return None


def _depth(data: object, limit: int) -> int:
    """Nesting depth of a parsed value (a scalar inside a container counts as one more
    level), iteratively, stopping once past ``limit``.

    One level of containers at a time, in a comprehension: a walk that pushed every value
    on a stack cost four times the parse itself on a large spec.
    """
    if not isinstance(data, (dict, list)):
        return 1
    level, depth = [data], 1
    while depth <= limit:
        if not any(level):
            return depth  # every container at this level is empty: nothing lies deeper
        depth += 1
        level = [v for c in level for v in (c.values() if isinstance(c, dict) else c)
                 if isinstance(v, (dict, list))]
        if not level:
            return depth  # only scalars at this level
    return depth


def _excerpt(exc: json.JSONDecodeError) -> str:
    """What the parser found where it failed: the rest of the line, shortened."""
    rest = exc.doc[exc.pos:exc.pos + 40].split("\n", 1)[0]
    return repr(rest) if rest else "the end of the line" if exc.pos < len(exc.doc) else "the end of the file"


def _json_hint(exc: json.JSONDecodeError) -> str | None:
    before = exc.doc[:exc.pos].rstrip()
    if before.endswith(",") and exc.pos < len(exc.doc) and exc.doc[exc.pos] in "]}":
        return "remove the trailing comma before this bracket: JSON does not allow it"
    if not exc.doc.strip():
        return 'the file is empty: a spec is a JSON object such as {"layers": [...]}'
    if not exc.doc[exc.pos:].strip():
        return "the file ends early: close every `{` and `[`"
    if "control character" in exc.msg:
        return "strings may not hold raw line breaks or tabs: write \\n or \\t"
    if "Expecting property name" in exc.msg:
        return "JSON has no trailing commas and needs double-quoted keys"
    if "Extra data" in exc.msg:
        return "a spec holds exactly one JSON object"
    if "Expecting ',' delimiter" in exc.msg:
        return "a comma is missing between two items"
    return None


_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")


def _scan_positions(text: str) -> dict[str, tuple[int, int]]:
    """Map JSON pointers to the (line, column) where each value starts.

    Iterative, tolerant scanner: it stops quietly at the first syntax error,
    since it only runs on text :func:`json.loads` already accepted.
    """
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    positions: dict[str, tuple[int, int]] = {}

    def where(offset: int) -> tuple[int, int]:
        import bisect
        line = bisect.bisect_right(line_starts, offset)
        return line, offset - line_starts[line - 1] + 1

    # Stack entries: [pointer, kind ('{' or '['), next array index]
    stack: list[list] = []
    pos = _WS.match(text, 0).end()
    pointer = ""
    try:
        while pos < len(text):
            ch = text[pos]
            if ch in "{[":
                positions[pointer] = where(pos)
                stack.append([pointer, ch, 0])
                pos = _WS.match(text, pos + 1).end()
                if text[pos] in "}]":
                    continue
                pointer = _next_pointer(text, stack, pos)
                if stack[-1][1] == "{":
                    pos = _skip_key(text, pos)
                continue
            if ch in "}]":
                stack.pop()
                pos += 1
            else:
                positions[pointer] = where(pos)
                if ch == '"':
                    _, pos = scanstring(text, pos + 1)
                else:
                    pos = _SCALAR.match(text, pos).end()
            pos = _WS.match(text, pos).end()
            if pos < len(text) and text[pos] == ",":
                pos = _WS.match(text, pos + 1).end()
                stack[-1][2] += 1
                pointer = _next_pointer(text, stack, pos)
                if stack[-1][1] == "{":
                    pos = _skip_key(text, pos)
    except (IndexError, ValueError, AttributeError):
        pass
    return positions


def _next_pointer(text: str, stack: list[list], pos: int) -> str:
    parent, kind, index = stack[-1]
    if kind == "[":
        return f"{parent}/{index}"
    key, _ = scanstring(text, pos + 1)
    return append(parent, key)


def _skip_key(text: str, pos: int) -> int:
    """From the opening quote of a key, move past the key and its colon."""
    _, pos = scanstring(text, pos + 1)
    pos = _WS.match(text, pos).end() + 1  # the colon
    return _WS.match(text, pos).end()
