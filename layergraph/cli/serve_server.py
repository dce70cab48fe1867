"""textual-serve's server, adjusted for `layergraph edit --serve`; imports textual-serve.

Two changes to textual-serve's own behaviour: one start line instead of its banner and
per-request log, and on Ctrl+C every editor session is ended and waited for before the event
loop closes (textual-serve leaves them running, and their exit then prints a traceback from a
closed loop).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from contextlib import contextmanager
from unittest import mock

import textual_serve.server
from textual_serve.app_service import AppService
from textual_serve.server import Server

from .output import write_stderr, write_stdout

# How long an editor may take to quit when told to, before it is killed.
QUIT_TIMEOUT = 15.0


class EditorSession(AppService):
    """One browser tab's editor process, known to the server until the process has exited."""

    live: set["EditorSession"]  # set per server by ``tracked_sessions``

    async def start(self, width: int, height: int) -> None:
        self.live.add(self)
        await super().start(width, height)

    async def stop(self) -> None:
        """Tell the editor to quit, then wait for its process to end (killed if it does not)."""
        try:
            await super().stop()
        finally:
            await self._reap()

    async def _reap(self) -> None:
        process = self._process
        if process is not None and process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), QUIT_TIMEOUT)
            except asyncio.TimeoutError:
                process.kill()
                await process.wait()
        self.live.discard(self)


@contextmanager
def tracked_sessions():
    """While serving, textual-serve makes ``EditorSession``s; yields their live set."""
    live: set[EditorSession] = set()
    session_class = type("EditorSession", (EditorSession,), {"live": live})
    # textual-serve names AppService in its server module, with no hook to pass another class.
    with mock.patch.object(textual_serve.server, "AppService", session_class):
        yield live


class EditorServer(Server):
    """textual-serve's server with a one-line start message and sessions ended on shutdown."""

    def __init__(self, command: str, *, host: str, port: int, url: str, title: str,
                 start_line: str, warning: str | None = None):
        super().__init__(command, host=host, port=port, public_url=url, title=title)
        self.start_line, self.warning = start_line, warning
        self.sessions: set[EditorSession] = set()

    def initialize_logging(self) -> None:
        super().initialize_logging()
        # One line per HTTP request buries the URL line; problems are still logged.
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    async def on_startup(self, app) -> None:
        write_stdout(self.start_line)
        sys.stdout.flush()  # the line a script (or a test) waits for, even when piped
        if self.warning:
            write_stderr(self.warning)

    async def on_shutdown(self, app) -> None:
        # Runs before aiohttp cancels the websocket handlers: the sessions can still quit cleanly.
        await asyncio.gather(*(session.stop() for session in list(self.sessions)))

    def serve(self, debug: bool = False) -> None:
        """Serve until Ctrl+C (or SIGTERM), then end every session."""
        with tracked_sessions() as self.sessions:
            super().serve(debug)
