"""Small helpers for writing readable Python: literals, identifiers, wrapped calls."""

from __future__ import annotations

import json
import keyword
import re
import textwrap
from typing import Any

MAX_LINE = 99
_TEMPLATE_WHOLE = re.compile(r"^\$([A-Za-z_][A-Za-z0-9_]*)$")
_TEMPLATE_INLINE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def literal(value: Any, args: dict[str, str] | None = None) -> str:
    """Python source for a JSON value; ``"$arg"`` / ``"${arg}"`` become block variables.

    Lists of integers (shapes, kernel sizes, paddings) are written as tuples, as
    in hand-written Keras code.
    """
    if isinstance(value, str):
        return _string(value, args)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        items = [literal(v, args) for v in value]
        if _int_like(value):
            return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
        return "[" + ", ".join(items) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_string(str(k), None)}: {literal(v, args)}"
                               for k, v in value.items()) + "}"
    return repr(value)


def _int_like(value: list) -> bool:
    return bool(value) and all(
        (isinstance(v, int) and not isinstance(v, bool)) or v is None
        or (isinstance(v, str) and _TEMPLATE_WHOLE.match(v)) or (isinstance(v, list) and _int_like(v))
        for v in value)


def _string(text: str, args: dict[str, str] | None) -> str:
    if args is not None:
        whole = _TEMPLATE_WHOLE.match(text)
        if whole and whole.group(1) in args:
            return args[whole.group(1)]
        if _TEMPLATE_INLINE.search(text):
            return template_fstring(text, args)
    return py_string(text)


def py_string(text: str) -> str:
    """A double-quoted Python string literal (non-ASCII kept readable where possible)."""
    literal_text = json.dumps(text, ensure_ascii=False)
    try:
        literal_text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates
        literal_text = json.dumps(text)
    return literal_text


def template_fstring(text: str, args: dict[str, str]) -> str:
    """``"conv_${k}"`` → ``f"conv_{k}"`` (literal braces doubled)."""
    parts, pos = [], 0
    for match in _TEMPLATE_INLINE.finditer(text):
        parts.append(_braces(text[pos:match.start()]))
        parts.append("{" + args.get(match.group(1), match.group(1)) + "}")
        pos = match.end()
    parts.append(_braces(text[pos:]))
    return fstring("".join(parts))


def suffixed_fstring(text: str, variable: str) -> str:
    """``f"conv{i}"``: literal ``text`` followed by the value of ``variable``."""
    return fstring(_braces(text) + "{" + variable + "}")


def is_whole_template(text: str) -> bool:
    """True for ``"$name"``: the whole value is one block argument."""
    return bool(_TEMPLATE_WHOLE.match(text))


def _braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def fstring(body: str) -> str:
    """An f-string literal with ``body`` (already brace-escaped) inside double quotes."""
    return "f" + py_string(body)


def has_template(value: Any) -> bool:
    """True if a JSON value uses block arguments."""
    if isinstance(value, str):
        return bool(_TEMPLATE_WHOLE.match(value) or _TEMPLATE_INLINE.search(value))
    if isinstance(value, list):
        return any(has_template(v) for v in value)
    if isinstance(value, dict):
        return any(has_template(v) for v in value.values())
    return False


def identifier(name: str, taken: set[str]) -> str:
    """A fresh Python identifier for a layer or parameter name (added to ``taken``)."""
    base = re.sub(r"\W", "_", name, flags=re.ASCII) or "t"
    if base[0].isdigit():
        base = "x_" + base
    if keyword.iskeyword(base):
        base += "_"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


def statement(indent: str, head: str, args: list[str], tail: str = "") -> list[str]:
    """``head(arg, arg)tail`` on one line, or wrapped with the arguments indented."""
    one = f"{indent}{head}({', '.join(args)}){tail}"
    if len(one) <= MAX_LINE or not args:
        return [one]
    inner = indent + "    "
    joined = inner + ", ".join(args)
    if len(joined) <= MAX_LINE:
        return [f"{indent}{head}(", joined, f"{indent}){tail}"]
    return [f"{indent}{head}("] + [f"{inner}{a}," for a in args] + [f"{indent}){tail}"]


def comment(indent: str, text: str | None) -> list[str]:
    """A description as ``#`` comment lines wrapped at the line limit."""
    if not text:
        return []
    width = max(40, MAX_LINE - len(indent) - 2)
    return [f"{indent}# {line}" for line in textwrap.wrap(printable(" ".join(text.split())), width)]


def docstring(indent: str, summary: str, body: str | None = None) -> list[str]:
    """A PEP 257 docstring: a summary line (wrapped if long), then an optional paragraph."""
    width = max(40, MAX_LINE - len(indent))
    head = textwrap.wrap(_doc_text(summary), width - 3) or [""]
    rest = textwrap.wrap(_doc_text(body), width) if body else []
    if len(head) == 1 and not rest and len(indent) + len(head[0]) + 6 <= MAX_LINE:
        return [f'{indent}"""{head[0]}"""']
    lines = [f'{indent}"""{head[0]}'] + [f"{indent}{line}" for line in head[1:]]
    if rest:
        lines += [""] + [f"{indent}{line}" for line in rest]
    return lines + [f'{indent}"""']


def _doc_text(text: str) -> str:
    """Docstring text that cannot end the string early (backslashes, quotes)."""
    return printable(" ".join(text.replace("\\", "\\\\").replace('"', '\\"').split()))


def printable(text: str) -> str:
    """Control characters and lone surrogates as escapes, so the file stays valid UTF-8 Python."""
    return "".join(c if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF
                   else c.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for c in text)
