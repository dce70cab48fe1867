"""Writing edited JSON back in the file's own layout.

The editor saves by *splicing*: every value that did not change is copied from
the original text byte for byte (so a layer written on one line stays on one
line, a hand-made line break stays where it was), and only changed values are
formatted, in the style detected from the file (indent unit, separators,
ASCII escaping, line endings). Opening and saving without edits gives the
original text back. The result is always checked by parsing it again; should
the splice ever disagree with the data, the whole document is formatted fresh
instead, so a save can change layout but never content.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from json.decoder import scanstring
from typing import Any

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LINE_WIDTH = 100  # fresh containers wider than this are broken over lines


@dataclass
class Node:
    """Where one JSON value sits in the text; containers keep their children's places."""

    start: int
    end: int
    kind: str  # "object", "array" or "scalar"
    keys: list[tuple[str, int, int]] = field(default_factory=list)  # key, start, end (objects)
    children: list["Node"] = field(default_factory=list)


def scan(text: str) -> Node:
    """The layout tree of a JSON text that :func:`json.loads` accepts."""
    node, _ = _scan_value(text, _WS.match(text, 0).end())
    return node


def _scan_value(text: str, pos: int) -> tuple[Node, int]:
    ch = text[pos]
    if ch == "{" or ch == "[":
        return _scan_container(text, pos)
    if ch == '"':
        _, end = scanstring(text, pos + 1)
        return Node(pos, end, "scalar"), end
    for word in ("true", "false", "null"):
        if text.startswith(word, pos):
            return Node(pos, pos + len(word), "scalar"), pos + len(word)
    match = _NUMBER.match(text, pos)
    if not match or match.end() == pos:
        raise ValueError(f"unexpected character at offset {pos}")
    return Node(pos, match.end(), "scalar"), match.end()


def _scan_container(text: str, start: int) -> tuple[Node, int]:
    is_object = text[start] == "{"
    node = Node(start, start, "object" if is_object else "array")
    close = "}" if is_object else "]"
    pos = _WS.match(text, start + 1).end()
    while text[pos] != close:
        if is_object:
            key, key_end = scanstring(text, pos + 1)
            node.keys.append((key, pos, key_end))
            pos = _WS.match(text, _WS.match(text, key_end).end() + 1).end()  # past the colon
        child, pos = _scan_value(text, pos)
        node.children.append(child)
        pos = _WS.match(text, pos).end()
        if text[pos] == ",":
            pos = _WS.match(text, pos + 1).end()
    node.end = pos + 1
    return node, pos + 1


@dataclass
class Style:
    """How a file writes its JSON, so that new text looks like the old."""

    indent: str = "  "
    item_sep: str = ", "
    key_sep: str = ": "
    ensure_ascii: bool = False
    newline: str = "\n"
    expand_all: bool = False  # every container broken over lines (json.dumps(indent=...) style)


def detect_style(text: str, root: Node) -> Style:
    """The indent unit, separators, escaping and line endings a file uses."""
    style = Style(newline="\r\n" if "\r\n" in text else "\n")
    indents = [m.group(1) for m in re.finditer(r"\n([ \t]+)\S", text)]
    if indents:
        style.indent = min(indents, key=len)
    style.ensure_ascii = not any(ord(c) > 127 for c in text) and "\\u" in text
    items, colons, expanded = Counter(), Counter(), [True]

    def visit(node: Node) -> None:
        if node.kind == "scalar":
            return
        if node.children and "\n" not in text[node.start:node.children[0].start]:
            expanded[0] = False
        for sep in _separators(text, node):
            if "\n" not in sep:
                items[sep.strip(" \t")[:1] + (" " if sep.endswith(" ") else "")] += 1
        for (_, _, key_end), child in zip(node.keys, node.children):
            colons[text[key_end:child.start]] += 1
        for child in node.children:
            visit(child)

    visit(root)
    if items:
        style.item_sep = items.most_common(1)[0][0]
    if colons:
        style.key_sep = colons.most_common(1)[0][0]
    style.expand_all = expanded[0] and root.kind != "scalar" and bool(root.children)
    return style


def _entry_start(node: Node, i: int) -> int:
    """Where entry ``i`` of a container begins (its key for objects)."""
    return node.keys[i][1] if node.kind == "object" else node.children[i].start


def _separators(text: str, node: Node) -> list[str]:
    return [text[node.children[i].end:_entry_start(node, i + 1)] for i in range(len(node.children) - 1)]


def canonical(value: Any) -> str:
    """Order- and type-sensitive identity of a JSON value (1, 1.0 and true all differ)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


class Splicer:
    """Renders new data against an original text, reusing the text of what did not change."""

    def __init__(self, text: str, data: Any):
        self.text, self.data = text, data
        self.root = scan(text)
        self.style = detect_style(text, self.root)

    def render(self, value: Any) -> str:
        """The new text: spliced where possible, verified, freshly formatted as a last resort."""
        body = self._emit(value, self.data, self.root, self._line_indent(self.root.start))
        result = self.text[:self.root.start] + body + self.text[self.root.end:]
        try:
            if canonical(json.loads(result)) == canonical(value):
                return result
        except ValueError:
            pass
        return self.fresh_document(value)

    def fresh_document(self, value: Any) -> str:
        """The whole document formatted in the detected style (the safe fallback)."""
        body = self._expanded(value, "")
        return self.text[:self.root.start] + body + self.text[self.root.end:]

    # -- emitting against the original ----------------------------------------

    def _emit(self, value: Any, orig: Any, node: Node | None, indent: str) -> str:
        if node is not None and canonical(value) == canonical(orig):
            return self.text[node.start:node.end]
        if node is not None and node.children:
            if node.kind == "object" and isinstance(value, dict) and isinstance(orig, dict) and value:
                return self._emit_object(value, orig, node)
            if node.kind == "array" and isinstance(value, list) and isinstance(orig, list) and value:
                return self._emit_array(value, orig, node)
        multiline = node is not None and "\n" in self.text[node.start:node.end]
        return self._fresh(value, indent, multiline)

    def _emit_object(self, value: dict, orig: dict, node: Node) -> str:
        position = {key: i for i, (key, _, _) in enumerate(node.keys)}  # the last duplicate wins
        seps, default_sep = self._layout(node)
        parts, previous, indent = [], None, self._line_indent(node.keys[0][1])
        for j, (key, item) in enumerate(value.items()):
            i = position.get(key)
            if j:
                sep = _separator(seps, default_sep, previous, i)
                indent = _indent_after(sep, indent)
                parts.append(sep)
            if i is None:
                multiline = self._siblings_multiline(node)
                parts.append(self._key(key) + self.style.key_sep + self._fresh(item, indent, multiline))
            else:
                _, key_start, key_end = node.keys[i]
                child = node.children[i]
                indent = self._line_indent(key_start)
                parts.append(self.text[key_start:child.start]
                             + self._emit(item, orig.get(key), child, indent))
            previous = i if i is not None else previous
        return self._wrap(node, parts)

    def _emit_array(self, value: list, orig: list, node: Node) -> str:
        matches = _match_items(value, orig)
        seps, default_sep = self._layout(node)
        parts, previous, indent = [], None, self._line_indent(node.children[0].start)
        multiline = self._siblings_multiline(node)
        for j, (item, i) in enumerate(zip(value, matches)):
            if j:
                sep = _separator(seps, default_sep, previous, i)
                indent = _indent_after(sep, indent)
                parts.append(sep)
            if i is None:
                parts.append(self._fresh(item, indent, multiline))
            else:
                child = node.children[i]
                indent = self._line_indent(child.start)
                parts.append(self._emit(item, orig[i], child, indent))
            previous = i if i is not None else previous
        return self._wrap(node, parts)

    def _layout(self, node: Node) -> tuple[list[str], str]:
        """The separators between a container's entries, and the one to use for new entries."""
        seps = _separators(self.text, node)
        if seps:
            return seps, Counter(seps).most_common(1)[0][0]
        lead = self.text[node.start + 1:_entry_start(node, 0)]
        if "\n" in lead:
            return seps, "," + lead
        return seps, self.style.item_sep

    def _wrap(self, node: Node, parts: list[str]) -> str:
        lead = self.text[node.start + 1:_entry_start(node, 0)]
        trail = self.text[node.children[-1].end:node.end - 1]
        return self.text[node.start] + lead + "".join(parts) + trail + self.text[node.end - 1]

    def _siblings_multiline(self, node: Node) -> bool:
        """Whether a container's container children are mostly written over several lines."""
        votes = [("\n" in self.text[c.start:c.end]) for c in node.children if c.kind != "scalar"]
        if not votes:
            return self.style.expand_all
        return sum(votes) * 2 > len(votes)

    def _line_indent(self, offset: int) -> str:
        line_start = self.text.rfind("\n", 0, offset) + 1
        return _WS.match(self.text, line_start).group(0).replace("\r", "").replace("\n", "")

    # -- fresh text -------------------------------------------------------------

    def _key(self, key: str) -> str:
        return json.dumps(key, ensure_ascii=self.style.ensure_ascii)

    def _inline(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=self.style.ensure_ascii, allow_nan=False,
                          separators=(self.style.item_sep, self.style.key_sep))

    def _fresh(self, value: Any, indent: str, multiline: bool) -> str:
        """New text for a value whose line starts with ``indent``."""
        if not isinstance(value, (dict, list)) or not value:
            return self._inline(value)
        if self.style.expand_all:
            return self._expanded(value, indent)
        if not multiline:
            return self._inline(value)
        return self._pretty(value, indent)

    def _expanded(self, value: Any, indent: str) -> str:
        text = json.dumps(value, indent=self.style.indent, ensure_ascii=self.style.ensure_ascii,
                          allow_nan=False, separators=(",", self.style.key_sep))
        return text.replace("\n", self.style.newline + indent)

    def _pretty(self, value: Any, indent: str) -> str:
        """One entry per line, each entry inline when it fits in the line width."""
        inline = self._inline(value)
        if not isinstance(value, (dict, list)) or not value or len(indent) + len(inline) <= _LINE_WIDTH:
            return inline
        inner = indent + self.style.indent
        if isinstance(value, dict):
            entries = [self._key(k) + self.style.key_sep + self._pretty(v, inner) for k, v in value.items()]
            open_, close = "{", "}"
        else:
            entries = [self._pretty(v, inner) for v in value]
            open_, close = "[", "]"
        newline = self.style.newline
        return (open_ + newline + inner + ("," + newline + inner).join(entries)
                + newline + indent + close)


def _separator(seps: list[str], default: str, last_original: int | None, current: int | None) -> str:
    """The original separator before an entry that follows its original predecessor, else the usual one.

    New entries in between do not count, so a line break the author put before
    an entry stays before it when a key is inserted ahead of it.
    """
    if current is not None and last_original is not None and current == last_original + 1:
        return seps[last_original]
    return default


def _indent_after(sep: str, current: str) -> str:
    """The indentation of the line an entry starts on, given the separator before it."""
    if "\n" not in sep:
        return current
    tail = sep.rsplit("\n", 1)[1]
    return tail if not tail.strip() else current


def _match_items(value: list, orig: list) -> list[int | None]:
    """For each new array item, the original item it continues (equal, same name, same place)."""
    unused = set(range(len(orig)))
    by_text: dict[str, list[int]] = {}
    for i, item in enumerate(orig):
        by_text.setdefault(canonical(item), []).append(i)
    matches: list[int | None] = [None] * len(value)
    for j, item in enumerate(value):
        candidates = [i for i in by_text.get(canonical(item), []) if i in unused]
        if candidates:
            matches[j] = candidates[0]
            unused.discard(candidates[0])
    by_name = {}
    for i in sorted(unused):
        if isinstance(orig[i], dict) and isinstance(orig[i].get("name"), str):
            by_name.setdefault(orig[i]["name"], i)
    for j, item in enumerate(value):
        if matches[j] is None and isinstance(item, dict) and item.get("name") in by_name:
            i = by_name.pop(item["name"])
            if i in unused:
                matches[j] = i
                unused.discard(i)
    for j, item in enumerate(value):
        if matches[j] is None and j in unused and type(orig[j]) is type(item) and isinstance(item, (dict, list)):
            matches[j] = j
            unused.discard(j)
    return matches


def format_new(value: Any) -> str:
    """Text for a document that has no original file: two-space indent, UTF-8, final newline."""
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
