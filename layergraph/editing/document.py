"""The document the editor works on: a spec's JSON data, its history and its file.

UI-independent: the TUI, tests and scripts drive it the same way::

    doc = Document.open("specs/alexnet.json")
    doc.set_param("/layers/0", "filters", 64)
    doc.undo()
    doc.save()

Every edit goes through :meth:`Document.apply`, which runs an operation on a
copy of the data, keeps references pointing at the same items (renames,
automatic Keras names that shift, deleted layers bypassed), records the new
state for undo/redo and invalidates the analysis. Saving is atomic, keeps the
file's layout where nothing changed, and refuses to overwrite a file that
changed on disk since it was read.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..compiler.analysis import Analysis
from ..compiler.passes import analyze
from ..fileio import OutputError, OutputExistsError, ReadOnlyOutputError, atomic_write_bytes, replaceable_target
from ..jsonsource import Source, SpecLoadError, parse_json
from ..limits import Limits
from . import blocks, operations as ops
from .jsonlayout import Splicer, canonical, format_new
from .names import ItemKey, item_names, rename_map, rewrite_references

BOM = "\ufeff"
HISTORY_LIMIT = 1000


class DocumentError(Exception):
    """A spec cannot be opened or saved; the message says which and why."""


class ReadOnlyError(DocumentError):
    """The file has no write permission; saving would replace it anyway (so it is refused)."""


class FileChangedError(DocumentError):
    """The file changed on disk since it was opened; saving would lose those changes."""


@dataclass
class _State:
    canon: str
    label: str
    select_before: str | None = None
    select_after: str | None = None
    coalesce: str | None = None


@dataclass(frozen=True)
class _Stamp:
    mtime_ns: int
    size: int
    digest: str


class Document:
    """A spec being edited (see the module docs)."""

    def __init__(self, data: dict, *, path: str | Path | None = None, text: str | None = None,
                 bom: bool = False, saved: bool = True):
        self.path = Path(path) if path is not None else None
        self.data = data
        self._bom = bom
        self._splicer = Splicer(text, json.loads(text)) if text is not None else None
        canon = canonical(data)
        self._states = [_State(canon, "Open")]
        self._index = 0
        self._saved_canon: str | None = canon if saved else None
        self._stamp: _Stamp | None = None
        self._analysis: Analysis | None = None
        self._names: dict[ItemKey, list[str]] | None = None
        self.version = 0  # increases with every change of the data

    # -- opening --------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path) -> "Document":
        """Read a spec file; DocumentError (with line and column) if it is not a JSON object."""
        path = Path(path)
        raw = _read_bytes(path)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DocumentError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        bom = text.startswith(BOM)
        text = text[1:] if bom else text
        data = _parse(text, str(path))
        doc = cls(data, path=path, text=text, bom=bom)
        doc._stamp = _stamp(path, raw)
        return doc

    @classmethod
    def from_text(cls, text: str, path: str | Path | None = None) -> "Document":
        """A new, unsaved document from JSON text (a template), keeping its layout."""
        return cls(_parse(text, str(path or "<template>")), path=path, text=text, saved=False)

    # -- state ------------------------------------------------------------------

    @property
    def analysis(self) -> Analysis:
        """The analysis of the current data (computed once per version)."""
        if self._analysis is None:
            self._analysis = analyze(self.data)
        return self._analysis

    @property
    def names(self) -> dict[ItemKey, list[str]]:
        if self._names is None:
            self._names = item_names(self.data)
        return self._names

    @property
    def modified(self) -> bool:
        """True when the data differs from what was last read or saved."""
        return self._states[self._index].canon != self._saved_canon

    @property
    def display_name(self) -> str:
        return self.path.name if self.path else "untitled.json"

    def item(self, pointer: str) -> Any:
        """The raw JSON value at ``pointer`` (EditError if missing)."""
        return ops.resolve(self.data, pointer)

    # -- editing ------------------------------------------------------------------

    def apply(self, operation: Callable[..., ops.Outcome], *args: Any,
              coalesce: str | None = None, **kwargs: Any) -> ops.Outcome:
        """Run an operation from :mod:`operations` as one undoable edit."""
        work, outcome = self._run(operation, args, kwargs)
        canon = canonical(work)
        if canon == self._states[self._index].canon:
            outcome.changed = False
            return outcome
        self._push(_State(canon, outcome.label, _selection_before(outcome), outcome.select, coalesce))
        self._set_data(work)
        return outcome

    def _names_of(self, work: dict) -> dict[ItemKey, list[str]]:
        names = item_names(work)
        self._next_names = (work, names)  # reused by _set_data if this is the data kept
        return names

    def preview(self, operation: Callable[..., ops.Outcome], *args: Any, **kwargs: Any) -> ops.Outcome:
        """What an operation would do (label and notes), without changing anything."""
        _, outcome = self._run(operation, args, kwargs)
        return outcome

    def _run(self, operation, args, kwargs) -> tuple[dict, ops.Outcome]:
        """Run an operation on a copy of the data and keep references on the same items."""
        before = self.names
        work = json.loads(self._states[self._index].canon)
        context = ops.EditContext(work, before, self.analysis)
        outcome = operation(context, *args, **kwargs)
        after = self._names_of(work)
        mapping = rename_map(before, after, outcome.moved) if outcome.names_follow else {}
        repairs = {old: (mapping.get(new, new) if new else None) for old, new in outcome.repairs.items()}
        owners = {i: group[-1] for (section, i), group in after.items() if section == "layers" and group}
        for owner, old, new in rewrite_references(work, {**mapping, **repairs}, owners):
            if old in repairs:
                outcome.notes.append(f"'{owner}' takes '{new}' instead of deleted '{old}'" if new else
                                     f"'{owner}' still names deleted '{old}': fix its inputs")
            else:
                outcome.notes.append(f"'{owner}' now names '{new}' (was '{old}')")
        return work, outcome

    def _push(self, state: _State) -> None:
        top = self._states[self._index]
        can_merge = (state.coalesce is not None and top.coalesce == state.coalesce
                     and self._index == len(self._states) - 1 and self._index > 0
                     and top.canon != self._saved_canon)
        if can_merge:
            state.select_before = top.select_before
            self._states[self._index] = state
            return
        del self._states[self._index + 1:]
        self._states.append(state)
        if len(self._states) > HISTORY_LIMIT:
            del self._states[1]
        self._index = len(self._states) - 1

    def _set_data(self, data: dict) -> None:
        self.data = data
        self._analysis = None
        cached = getattr(self, "_next_names", None)
        # _run computed the names of the data it returned; the references were rewritten after,
        # which changes no item's names (only what items point to).
        self._names = cached[1] if cached is not None and cached[0] is data else None
        self._next_names = None
        self.version += 1

    @property
    def can_undo(self) -> bool:
        return self._index > 0

    @property
    def can_redo(self) -> bool:
        return self._index < len(self._states) - 1

    @property
    def undo_label(self) -> str | None:
        return self._states[self._index].label if self.can_undo else None

    @property
    def redo_label(self) -> str | None:
        return self._states[self._index + 1].label if self.can_redo else None

    def undo(self) -> str | None:
        """Go back one edit; returns the pointer to select (or None). EditError if none."""
        if not self.can_undo:
            raise ops.EditError("nothing to undo")
        state = self._states[self._index]
        self._index -= 1
        self._set_data(json.loads(self._states[self._index].canon))
        return state.select_before

    def redo(self) -> str | None:
        """Re-apply the edit undone last; returns the pointer to select."""
        if not self.can_redo:
            raise ops.EditError("nothing to redo")
        self._index += 1
        state = self._states[self._index]
        self._set_data(json.loads(state.canon))
        return state.select_after

    # -- convenience wrappers (one per operation) ---------------------------------

    def add_layer(self, index: int, type_name: str, params: dict | None = None,
                  name: str | None = None) -> ops.Outcome:
        return self.apply(ops.add_layer, index, type_name, params, name)

    def add_block_layer(self, block: str, index: int, type_name: str,
                        params: dict | None = None) -> ops.Outcome:
        return self.apply(ops.add_block_layer, block, index, type_name, params)

    def delete(self, pointer: str) -> ops.Outcome:
        return self.apply(ops.delete_item, pointer)

    def duplicate(self, index: int) -> ops.Outcome:
        return self.apply(ops.duplicate_item, index)

    def move(self, index: int, delta: int) -> ops.Outcome:
        return self.apply(ops.move_item, index, delta)

    def rename(self, pointer: str, new_name: str) -> ops.Outcome:
        return self.apply(ops.rename, pointer, new_name)

    def set_inputs(self, pointer: str, inputs: list[str] | None) -> ops.Outcome:
        return self.apply(ops.set_inputs, pointer, inputs)

    def set_type(self, pointer: str, type_name: str) -> ops.Outcome:
        return self.apply(ops.set_type, pointer, type_name)

    def set_param(self, pointer: str, key: str, value: Any, *, coalesce: bool = False) -> ops.Outcome:
        """Set a field (value ops.UNSET removes it). ``coalesce`` merges typing into one undo step."""
        return self.apply(ops.set_field, pointer, key, value,
                          coalesce=f"field:{pointer}:{key}" if coalesce else None)

    def set_description(self, pointer: str, text: str | None) -> ops.Outcome:
        value = text if text else ops.UNSET
        return self.apply(ops.set_field, pointer, "description", value,
                          coalesce=f"field:{pointer}:description")

    def set_block_arg(self, pointer: str, key: str, value: Any, *, coalesce: bool = False) -> ops.Outcome:
        return self.apply(ops.set_block_arg, pointer, key, value,
                          coalesce=f"arg:{pointer}:{key}" if coalesce else None)

    def set_graph_name(self, name: str) -> ops.Outcome:
        return self.apply(ops.set_graph_name, name)

    # -- blocks, graph inputs and outputs ---------------------------------------------------

    def delete_block_layer(self, pointer: str) -> ops.Outcome:
        return self.apply(blocks.delete_block_layer, pointer)

    def duplicate_block_layer(self, pointer: str) -> ops.Outcome:
        return self.apply(blocks.duplicate_block_layer, pointer)

    def move_block_layer(self, pointer: str, delta: int) -> ops.Outcome:
        return self.apply(blocks.move_block_layer, pointer, delta)

    def make_block(self, start: int, end: int, block: str, use: str | None = None) -> ops.Outcome:
        return self.apply(blocks.make_block, start, end, block, use)

    def inline_block(self, index: int) -> ops.Outcome:
        return self.apply(blocks.inline_block, index)

    def add_input(self, name: str, shape: Any, dtype: str | None = None) -> ops.Outcome:
        return self.apply(ops.add_input, name, shape, dtype)

    def set_outputs(self, outputs: list[str] | None) -> ops.Outcome:
        return self.apply(ops.set_outputs, outputs)

    def toggle_output(self, name: str) -> ops.Outcome:
        return self.apply(ops.toggle_output, name)

    # -- saving ---------------------------------------------------------------------

    def render_text(self) -> str:
        """The text a save writes: the original layout wherever nothing changed."""
        if self._splicer is None:
            return format_new(self.data)
        return self._splicer.render(self.data)

    def changed_on_disk(self) -> bool:
        """True if the file was modified (or replaced) by someone else since it was read or saved."""
        if self.path is None or self._stamp is None:
            return False
        try:
            stat = self.path.stat()
        except OSError:
            return False  # deleted: saving recreates it, nothing is lost
        if (stat.st_mtime_ns, stat.st_size) == (self._stamp.mtime_ns, self._stamp.size):
            return False
        try:
            return hashlib.sha256(self.path.read_bytes()).hexdigest() != self._stamp.digest
        except OSError:
            return True

    def save(self, path: str | Path | None = None, *, overwrite: bool = False) -> Path:
        """Write the spec atomically and return its path.

        Raises FileChangedError if the file changed on disk since it was read and
        OutputExistsError when saving under a new name that exists, unless
        ``overwrite``; DocumentError/OutputError when it cannot be written.
        """
        target = Path(path) if path is not None else self.path
        if target is None:
            raise DocumentError("the document has no file name yet: use Save as")
        same = self.path is not None and _same_file(target, self.path)
        if not overwrite:
            if same and self.changed_on_disk():
                raise FileChangedError(f"{target} changed on disk since it was opened")
            if not same and target.exists():
                raise OutputExistsError(f"{target} exists")
        text = self.render_text()
        _verify(text, target)
        raw = ((BOM if self._bom else "") + text).encode("utf-8")
        try:  # through a symbolic link, the file it points to is written and the link stays
            written = replaceable_target(target)
        except ReadOnlyOutputError:
            raise ReadOnlyError(f"{target} is read-only: not saved. Use Save as to write a copy elsewhere.") from None
        atomic_write_bytes(written, raw)
        self.path = target
        self._splicer = Splicer(text, json.loads(text))
        self._saved_canon = self._states[self._index].canon
        self._stamp = _stamp(target, raw)
        return target

    def reload(self) -> None:
        """Discard edits and history and read the file again."""
        if self.path is None:
            raise DocumentError("the document has no file to reload")
        fresh = Document.open(self.path)
        self.data, self._bom, self._splicer = fresh.data, fresh._bom, fresh._splicer
        self._states, self._index = fresh._states, fresh._index
        self._saved_canon, self._stamp = fresh._saved_canon, fresh._stamp
        self._set_data(fresh.data)


def _selection_before(outcome: ops.Outcome) -> str | None:
    return outcome.undo_select or outcome.select


def _read_bytes(path: Path) -> bytes:
    limit = Limits.from_env().max_file_bytes
    try:
        if path.is_dir():
            raise DocumentError(f"{path} is a directory, not a spec file")
        if path.stat().st_size > limit:
            raise DocumentError(f"{path} is too large: at most {limit:,} bytes are read")
        return path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read {path}: {exc.strerror or exc}") from None


def _parse(text: str, where: str) -> dict:
    try:
        data = parse_json(Source(text=text, path=where))
    except SpecLoadError as exc:
        raise DocumentError(exc.diagnostic.format()) from None
    if not isinstance(data, dict):
        raise DocumentError(f"{where}: a spec is a JSON object, not a JSON {type(data).__name__}")
    return data


def _verify(text: str, target: Path) -> None:
    """Never write what `layergraph check` would reject as malformed JSON."""
    try:
        parse_json(Source(text=text, path=str(target)))
    except SpecLoadError as exc:
        raise DocumentError(f"refusing to save: {exc.diagnostic.message}") from None


def _stamp(path: Path, raw: bytes) -> _Stamp | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return _Stamp(stat.st_mtime_ns, stat.st_size, hashlib.sha256(raw).hexdigest())


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


__all__ = ["Document", "DocumentError", "FileChangedError", "ReadOnlyError", "OutputError", "OutputExistsError"]
