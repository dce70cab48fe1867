"""Atomic file writing: every writer in layergraph goes through here.

Data is written to a temporary file in the target's directory, flushed and
fsynced, then renamed over the target, so a crash or kill at any moment leaves
either the old file or the new one, never a truncated mix.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import LayergraphError


class OutputError(LayergraphError):
    """An output file cannot be written; the message says which and why."""


class OutputExistsError(OutputError):
    """The target exists and overwriting was not allowed."""


class ReadOnlyOutputError(OutputError):
    """The target exists without write permission: an atomic rename would replace it anyway."""


def replaceable_target(target: str | Path) -> Path:
    """The file a save to ``target`` should replace: through a symbolic link, the file it
    points to (so the link stays a link); raises ReadOnlyOutputError for a read-only file."""
    target = Path(target)
    written = Path(os.path.realpath(target)) if target.is_symlink() else target
    # The mode bits too: root may write anything, but a file marked read-only means "keep".
    if written.exists() and (not os.access(written, os.W_OK) or not written.stat().st_mode & 0o222):
        raise ReadOnlyOutputError(f"{written} is read-only: not replaced")
    return written


@contextmanager
def atomic_path(target: str | Path, *, overwrite: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    Writers that only accept a file name (Graphviz, Keras's ``model.save``) write
    to the yielded path. On any exception the temporary file is removed and the
    target is untouched.
    """
    target = Path(target)
    if not overwrite and target.exists():
        raise OutputExistsError(f"{target} exists; use --force to overwrite it")
    directory = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise OutputError(f"cannot write {target}: it is a directory")
    try:
        # The target's suffix is kept (Keras's save wants ".keras"); the prefix is cut so the
        # temporary name fits the file-name limit whenever the target's does.
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem[:80]}.",
                                        suffix=".tmp" + target.suffix, dir=directory)
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        raise OutputError(f"cannot write {target}: {getattr(exc, 'strerror', None) or exc}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        _fsync(tmp)
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
        _fsync_directory(directory)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        if tmp.exists():
            tmp.unlink()


def atomic_write_bytes(target: str | Path, data: bytes, *, overwrite: bool = True) -> Path:
    """Write ``data`` to ``target`` atomically and return the path."""
    with atomic_path(target, overwrite=overwrite) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
    return Path(target)


def atomic_write_text(target: str | Path, text: str, *, overwrite: bool = True) -> Path:
    """Write UTF-8 ``text`` to ``target`` atomically and return the path."""
    return atomic_write_bytes(target, text.encode("utf-8"), overwrite=overwrite)


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _fsync_directory(directory: Path) -> None:
    """Persist the rename itself (best effort: not every platform can open a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
