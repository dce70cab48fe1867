"""Keys reach the editor one at a time, each after the app has finished reacting to the last.

Textual routes a key in several hops: the app forwards it to the widget focused
*now*, which handles it or lets it bubble back, and the app resolves bindings
with the focus it has *then*. A key's effects (a cursor move that re-fills the
inspector, a focus change, new form fields being mounted) also arrive as
messages. Keys typed quickly (a paste, tmux, a loaded machine) therefore
overtake the effects of the keys before them: a letter meant for a field just
focused went to the table as a command. The gate removes that whole class of
races: a key (or paste) that arrives while any message is still pending waits in
a queue, and is handed to Textual only once every message queue of the app and
its current screen has drained. Keys thus act exactly as if typed slowly, in
order. When nothing is pending (the usual case) a key goes straight through.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Callable

from textual import events
from textual.app import App

MAX_ROUNDS = 50  # a screen that never goes quiet (a streaming log) must not stop the keyboard
GATED = "_layergraph_gated"


class KeyGate:
    """Holds keys and pastes for ``app`` until it is quiet (see the module docs)."""

    def __init__(self, app: App, dispatch: Callable[[events.Event], None]):
        self.app = app
        self.dispatch = dispatch  # hands an admitted event back to the app's queue
        self.waiting: deque[events.Event] = deque()
        self._task: asyncio.Task | None = None
        self._idle = asyncio.Event()
        self._idle.set()

    @staticmethod
    def is_gated(event: events.Event) -> bool:
        """True for an event the gate let through (to be processed now)."""
        return getattr(event, GATED, False)

    def hold(self, event: events.Event) -> bool:
        """Queue ``event`` if the app is busy; False means: process it now."""
        if not self.waiting and self._task is None and self._quiet():
            return False
        self.waiting.append(event)
        if self._task is None:
            self._idle.clear()
            self._task = asyncio.get_running_loop().create_task(self._pump())
        return True

    @property
    def busy(self) -> bool:
        """True while keys wait to be processed."""
        return not self._idle.is_set()

    async def wait_idle(self) -> None:
        """Return once every held key has been handed to the app."""
        await self._idle.wait()

    def _pumps(self) -> list:
        try:
            return [self.app, *self.app.screen.walk_children(with_self=True)]
        except Exception:  # no screen yet, or the app is closing
            return [self.app]

    def _quiet(self) -> bool:
        return all(pump._message_queue.empty() for pump in self._pumps())

    async def settle(self) -> None:
        """Wait until every message queued anywhere (and what those post) has been processed.

        Each round waits for the app and for the widgets with queued messages to reach what
        was queued at its start (a callback queued behind it); cheap with many idle widgets.
        """
        loop = asyncio.get_running_loop()
        for _ in range(MAX_ROUNDS):
            busy = [pump for pump in self._pumps() if pump is self.app or not pump._message_queue.empty()]
            pending: list[asyncio.Future] = []
            for pump in busy:
                done = loop.create_future()
                if pump.call_later(lambda f=done: f.done() or f.set_result(None)):
                    pending.append(done)
            if pending:
                await asyncio.wait(pending, timeout=5)
            if self._quiet():
                return

    async def _pump(self) -> None:
        try:
            while self.waiting:
                await self.settle()
                event = self.waiting.popleft()
                setattr(event, GATED, True)
                self.dispatch(event)
            await self.settle()
        finally:
            self._task = None
            if self.waiting:  # an exception: never leave keys stranded
                self._task = asyncio.get_running_loop().create_task(self._pump())
            else:
                self._idle.set()


def key_event(key: str) -> events.Key:
    """The Key event a terminal sends for ``key`` (a Textual key name or a character), as Pilot
    builds it; for tests and benchmarks that send keys in one burst."""
    import unicodedata

    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)
