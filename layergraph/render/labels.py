"""Text for diagrams: escaping user text and building Graphviz HTML-like labels.

Every piece of user text (layer, block and spec names, descriptions, diagnostic
messages quoting them) reaches the DOT source through :func:`html_text` (inside
``<...>`` HTML labels) or :func:`dot_text` (inside quoted attributes such as
tooltips). Node and cluster identifiers are generated (``n12``, ``cluster_3``) and
never contain user text, so nothing a spec says can break out of its label.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Sequence

from ..layers.common import fmt_dims
from ..summary import human
from .textsize import text_width

# C0/C1 control characters other than newline and tab break Graphviz's parser or
# render as nothing; they are dropped.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_HTML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_HTML_SPECIAL = re.compile(r"[&<>\"']")

# The words a figure writes around the drawing, per ``--lang``; every style takes
# them from here. A pair is (singular, plural), chosen by the count ``n``.
WORDS = {
    "en": {"layers": ("{n} layer", "{n} layers"), "params": ("{n} param", "{n} params"),
           "params_unknown": "params unknown", "macs": "{n}s", "input": "input",
           "output": "output", "continued": "(continued)",
           "errors": ("{n} error", "{n} errors"),
           "marked": ("{n} layer marked", "{n} layers marked"),
           "incomplete": "totals are incomplete"},
    "ko": {"layers": "{n}개 층", "params": "{n}개 매개변수",
           "params_unknown": "매개변수 수 모름", "macs": "{n} 연산", "input": "입력",
           "output": "출력", "continued": "(계속)", "errors": "오류 {n}개",
           "marked": "{n}개 층 표시", "incomplete": "합계가 불완전합니다"},
}

MAX_NAME_CHARS = 48
MAX_MESSAGE_CHARS = 120


def clean(text: object, limit: int | None = None) -> str:
    """``text`` as a string without control characters, cut to ``limit`` characters."""
    result = _CONTROL.sub("", str(text)).replace("\r\n", "\n").replace("\t", " ")
    if limit is not None and len(result) > limit:
        result = result[: max(limit - 1, 1)] + "…"
    return result


def html_text(text: object, limit: int | None = MAX_NAME_CHARS) -> str:
    """Escape text for a Graphviz HTML-like label; a newline becomes a line break.

    Graphviz expands ``\\N``, ``\\G`` and friends even inside HTML labels (and even
    when written as ``&#92;``), so backslashes are doubled, as in quoted strings.
    """
    escaped = _HTML_SPECIAL.sub(lambda m: _HTML_ESCAPES[m.group()], clean(text, limit))
    return escaped.replace("\\", "\\\\").replace("\n", '<BR ALIGN="CENTER"/>')


def dot_text(text: object, limit: int | None = 2000):
    """Escape text for a quoted tooltip attribute: literal backslashes, never HTML.

    Graphviz expands escape sequences in tooltips twice (``\\\\G`` still becomes
    the graph's name), so each backslash is written four times; quotes are escaped
    by the graphviz package, and a newline becomes ``\\n``.
    """
    from graphviz import nohtml

    escaped = clean(text, limit).replace("\\", "\\" * 4).replace("\n", "\\n")
    return nohtml(escaped)


def wrap(text: str, width: int, max_lines: int = 3) -> list[str]:
    """Split text into at most ``max_lines`` lines of about ``width`` characters."""
    lines = _break_lines(text.split(), lambda line: len(line) <= width)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(width - 1, 1)] + "…"
    return [piece[:width * 2] for piece in lines]


class FigureWarning(UserWarning):
    """Something the figure cannot show as asked (the CLI prints these on stderr)."""


class CaptionCutWarning(FigureWarning):
    """A figure's caption was longer than the figure shows, so its end was left out."""


def wrap_to_width(text: str, width_pt: float, size: float, max_lines: int = 12) -> tuple[list[str], int]:
    """``text`` in lines no wider than ``width_pt`` at ``size`` points (as estimated), and
    how many of its characters did not fit in ``max_lines`` lines (0 when all of it did).

    Unlike :func:`wrap`, nothing is cut silently: the caller says what was left out."""
    def fits(line: str) -> bool:
        return text_width(line, size) * 72 <= width_pt

    words = [piece for word in text.split() for piece in _split_word(word, fits)]
    lines = _break_lines(words, fits)
    if len(lines) <= max_lines:
        return lines, 0
    shown = lines[:max_lines]
    while not fits(shown[-1] + " …") and " " in shown[-1]:   # room for the ellipsis
        shown[-1] = shown[-1].rsplit(" ", 1)[0]
    left_out = len(" ".join(lines)) - len(" ".join(shown))
    shown[-1] += " …"
    return shown, left_out


def _break_lines(words: list[str], fits: Callable[[str], bool]) -> list[str]:
    """Words joined into lines, a new line whenever the next word would not fit."""
    lines, line = [], ""
    for word in words:
        if line and not fits(f"{line} {word}"):
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


def _split_word(word: str, fits: Callable[[str], bool]) -> list[str]:
    """A word too wide for a line (a URL, or CJK text without spaces) in pieces that fit."""
    pieces, piece = [], ""
    for char in word:
        if piece and not fits(piece + char):
            pieces.append(piece)
            piece = ""
        piece += char
    return pieces + [piece] if piece else pieces


def dims(shape: Sequence[int | None] | None) -> str:
    """A tensor size as lecture notes write it: ``55×55×96``; '?' for unknown sizes."""
    if shape is None:
        return "?"
    return fmt_dims(shape) or "scalar"


def params_text(count: int | None, lang: str = "en") -> str:
    """``34.94 k params``; empty for layers without weights."""
    if count is None:
        return say(lang, "params_unknown")
    if count == 0:
        return ""
    return say(lang, "params", human(count) if count > 1 else 1)


def say(lang: str, key: str, n: object = None) -> str:
    """The figure word ``key`` in ``lang`` (English if unknown), with the count ``n`` in it."""
    entry = WORDS.get(lang, WORDS["en"])[key]
    if isinstance(entry, tuple):
        entry = entry[0] if str(n) == "1" else entry[1]
    return entry.format(n=f"{n:,}" if isinstance(n, int) else n)


def font(html: str, size: float | None = None, color: str | None = None,
         bold: bool = False, italic: bool = False) -> str:
    """Wrap already-escaped HTML in FONT/B/I tags."""
    if bold:
        html = f"<B>{html}</B>"
    if italic:
        html = f"<I>{html}</I>"
    attrs = ""
    if size is not None:
        attrs += f' POINT-SIZE="{size:g}"'
    if color is not None:
        attrs += f' COLOR="{color}"'
    return f"<FONT{attrs}>{html}</FONT>" if attrs else html


def table(rows: Iterable[str], *, cellpadding: int = 1, extra: str = "") -> str:
    """A borderless one-column table, one escaped HTML row per line; empty rows skipped."""
    body = "".join(f"<TR><TD{extra}>{row}</TD></TR>" for row in rows if row)
    return (f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="{cellpadding}">'
            f"{body}</TABLE>")


def html_label(inner: str) -> str:
    """Mark a label as HTML-like for Graphviz (``<...>``)."""
    return f"<{inner}>"
