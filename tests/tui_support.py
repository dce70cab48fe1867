"""Helpers for the editor's Pilot tests (no async pytest plugin needed)."""

from __future__ import annotations

import asyncio
import functools
import json
import shutil
from contextlib import asynccontextmanager
from pathlib import Path

from conftest import SPECS
from layergraph.editing.document import Document
from layergraph.tui.app import EditorApp

SIZE = (110, 34)


def async_test(fn):
    """Run an async test function with asyncio (fixtures still work)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))
    return wrapper


def copy_spec(tmp_path: Path, stem: str) -> Path:
    path = tmp_path / f"{stem}.json"
    shutil.copy(SPECS / f"{stem}.json", path)
    return path


@asynccontextmanager
async def editing(path: Path, size=SIZE):
    """Open ``path`` in the editor; yields (app, pilot)."""
    app = EditorApp(Document.open(path))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        yield app, pilot


async def select(app, pilot, key: str) -> None:
    """Put the table cursor on the row ``key`` and give the table focus."""
    app.table.focus()
    app.table.select_key(key)
    await pilot.pause()
    assert app.selected_row.key == key


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch if ch != " " else "space")


async def settle(app, pilot) -> None:
    """Wait for workers and the messages they post."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def on_disk(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]
