"""Shared helpers for CLI commands: consoles, diagnostics printing, exits.

``stdout`` and ``stderr`` are Rich consoles created on first use: a command that
prints only plain lines (``write_stdout``, ``write_stderr``) never imports Rich.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Iterable, NoReturn

import typer

from ..diagnostics import Diagnostic

if TYPE_CHECKING:
    from rich.console import Console


class _LazyConsole:
    """A ``rich.console.Console`` made (and Rich imported) when first used."""

    def __init__(self, **options: Any):
        self._options, self._console = options, None

    def _get(self) -> "Console":
        if self._console is None:
            from rich.console import Console

            options = dict(self._options)
            if options.pop("wide_when_piped", False):
                # Piped output (CI logs, files) gets room for the whole table instead of 80 columns.
                options["width"] = None if sys.stdout.isatty() else 160
            self._console = Console(**options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self._get(), name)


# emoji=False: what is printed is a spec's names and messages, where ``:100:`` is text, not
# an emoji code; it also spares Rich a pass over every string and its 4,000-entry emoji table
# (~5 ms of a summary).
stdout: "Console" = _LazyConsole(highlight=False, soft_wrap=False, wide_when_piped=True,  # type: ignore[assignment]
                                 emoji=False)
stderr: "Console" = _LazyConsole(stderr=True, highlight=False, soft_wrap=True, emoji=False)  # type: ignore[assignment]


def print_diagnostics(diagnostics: Iterable[Diagnostic], console: "Console" = stderr) -> None:
    """Compiler-style lines, errors in red, warnings in yellow."""
    diagnostics = list(diagnostics)
    if not diagnostics:
        return
    from rich.markup import escape

    for d in diagnostics:
        colour = "red" if d.is_error else "yellow"
        console.print(f"[{colour}]{escape(d.format())}[/]", soft_wrap=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one clear error line and exit (no traceback)."""
    from rich.markup import escape

    stderr.print(f"[red]error:[/] {escape(message)}", soft_wrap=True)
    raise typer.Exit(code)


def write_stdout(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def write_stderr(text: str) -> None:
    """A plain line on stderr (no Rich needed)."""
    sys.stderr.write(text if text.endswith("\n") else text + "\n")
