"""Shared helpers for CLI commands: consoles, diagnostics printing, exits."""

from __future__ import annotations

import sys
from typing import Iterable, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from ..diagnostics import Diagnostic

# Piped output (CI logs, files) gets room for the whole table instead of 80 columns.
stdout = Console(highlight=False, soft_wrap=False,
                 width=None if sys.stdout.isatty() else 160)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def print_diagnostics(diagnostics: Iterable[Diagnostic], console: Console = stderr) -> None:
    """Compiler-style lines, errors in red, warnings in yellow."""
    for d in diagnostics:
        colour = "red" if d.is_error else "yellow"
        console.print(f"[{colour}]{escape(d.format())}[/]", soft_wrap=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one clear error line and exit (no traceback)."""
    stderr.print(f"[red]error:[/] {escape(message)}", soft_wrap=True)
    raise typer.Exit(code)


def write_stdout(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
