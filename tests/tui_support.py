"""Helpers for the editor's Pilot tests (no async pytest plugin needed)."""

from __future__ import annotations

import asyncio
import functools
import json
import shutil
from contextlib import asynccontextmanager
from pathlib import Path

from conftest import SPECS
from textual.pilot import Pilot
from layergraph.editing.document import Document
from layergraph.tui.app import EditorApp
from layergraph.tui.key_gate import key_event

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


class GatedPilot(Pilot):
    """A Pilot whose key presses wait on conditions, never on a guess of time.

    Textual's Pilot.press sleeps at least 40 ms after each key (its idle heuristic compares
    CPU time with wall time), so a test of 20 keys slept a second. Here each key goes in as
    the terminal delivers it, and the press returns once the editor's key gate has let it
    through and every message it caused has been processed; the screen is then laid out
    and drawn, as Pilot.pause does, and what that posts processed. Workers a key starts
    run on: a test that needs their result waits for it (``settle``).
    """

    async def press(self, *keys: str) -> None:
        for key in keys:
            self.app._driver.send_message(key_event(key))
            await self.settled()

    async def settled(self) -> None:
        app = self.app
        await asyncio.sleep(0)  # the driver's message reaches the app's queue
        for _ in range(200):
            await app.key_gate.wait_idle()
            await app.key_gate.settle()
            app.screen._on_timer_update()  # lay out and draw now, as Pilot.pause does
            await app.key_gate.settle()
            if not app.key_gate.busy:
                return
        raise AssertionError("the editor never became idle")

    async def pause(self, delay: float | None = None) -> None:
        """Wait until every held key and queued message is processed and the screen is drawn.

        Textual's Pilot.pause() without a delay waits for its idle heuristic: it sleeps in
        20 ms steps until one step used under 1 ms of CPU, ~55 ms of sleep per pause on
        average over the TUI suite (23 s in all), and a loaded machine can end it early. The
        condition is the same as after a key. A delay (``until``'s polling) still sleeps."""
        if delay is not None:
            await super().pause(delay)
        await self.settled()


@asynccontextmanager
async def editing(path: Path, size=SIZE):
    """Open ``path`` in the editor; yields (app, pilot)."""
    app = EditorApp(Document.open(path))
    record_notifications(app)
    async with app.run_test(size=size):
        pilot = GatedPilot(app)
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


def record_notifications(app) -> None:
    """Keep the message of every notification ``app`` shows, for ``notifications``.

    Textual drops a toast after its timeout (5 s), and a loaded machine can take longer than
    that between the notification and the test's look at it."""
    app.notified = []
    show = app.notify

    def notify(message, **kwargs):
        app.notified.append(message)
        show(message, **kwargs)
    app.notify = notify


def notifications(app) -> list[str]:
    """Every notification's message since the app was opened with ``editing``."""
    return list(app.notified)


async def burst(app, pilot, *keys: str) -> None:
    """Send ``keys`` all at once, as a paste or a fast typist does (Pilot.press pauses between keys),
    then wait until the editor has processed every one of them."""
    send_keys(app, *keys)
    await idle(app, pilot)


def send_keys(app, *keys: str) -> None:
    """Queue ``keys`` as the terminal would deliver them, without waiting for anything."""
    for key in keys:
        app._driver.send_message(key_event(key))


async def idle(app, pilot) -> None:
    """Wait until held keys, their messages and workers are all processed (a condition, no sleep)."""
    for _ in range(200):
        await app.key_gate.wait_idle()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not app.key_gate.busy:
            return
    raise AssertionError("the editor never became idle")


def slow_analysis(monkeypatch, seconds: float = 0.2) -> None:
    """Make every analysis of the document take ``seconds`` longer (a loaded machine, a huge graph)."""
    import time

    from layergraph.editing import document

    real = document.analyze

    def slow(data):
        time.sleep(seconds)
        return real(data)
    monkeypatch.setattr(document, "analyze", slow)


async def until(pilot, condition, what: str = "the condition", polls: int = 400) -> None:
    """Poll ``condition()`` between short pauses (at most ``polls`` of 50 ms); fail with ``what``."""
    for _ in range(polls):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out waiting for {what}")
