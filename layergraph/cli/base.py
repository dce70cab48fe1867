"""The Typer app every command module registers its commands on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="layergraph",
    help="Neural-network architectures as JSON layer graphs: check, summarise, render, compile.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _group() -> None:
    # A callback keeps the app a group of subcommands when a process has registered only
    # the one it runs (Typer would otherwise make a lone command the root command).
    pass
