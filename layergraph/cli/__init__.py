"""The ``layergraph`` command line: one Typer app, one module per group of commands.

Exit codes: 0 success, 1 the spec has errors (or the job failed), 2 usage error.
"""

from __future__ import annotations

import os

# Pydantic scans every installed distribution for its plugins when the first model is
# built (~20 ms with TensorFlow installed); layergraph's command line uses none.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer  # noqa: E402

app = typer.Typer(
    name="layergraph",
    help="Neural-network architectures as JSON layer graphs: check, summarise, render, compile.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# Each module registers its commands on `app` when imported.
from . import inspect_cmds  # noqa: E402,F401
from . import keras_cmds  # noqa: E402,F401
from . import render_cmd  # noqa: E402,F401
from . import edit_cmd  # noqa: E402,F401
from . import diff_cmd  # noqa: E402,F401
from . import explain_cmd  # noqa: E402,F401


def main() -> None:
    """Console-script entry point: known failures become one clear line, never a traceback."""
    from ..diagnostics import printable
    from ..fileio import OutputError
    from .output import stderr

    try:
        app()
    except OutputError as exc:
        stderr.print(f"error: {printable(str(exc))}", markup=False)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
