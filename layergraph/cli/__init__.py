"""The ``layergraph`` command line: one Typer app, one module per group of commands.

Exit codes: 0 success, 1 the spec has errors (or the job failed), 2 usage error.

``main()`` registers only the command it runs (``startup.COMMAND_MODULES``): most of a
``check`` is start-up. ``from layergraph.cli import app`` gives the app with every command.
"""

from __future__ import annotations

import sys

from .startup import ALL_MODULES, disable_pydantic_plugins, modules_for, register_commands

disable_pydantic_plugins()


def main() -> None:
    """Console-script entry point: known failures become one clear line, never a traceback."""
    register_commands(modules_for(sys.argv[1:]))
    from ..diagnostics import printable
    from ..fileio import OutputError
    from .base import app
    from .output import stderr

    try:
        app()
    except OutputError as exc:
        stderr.print(f"error: {printable(str(exc))}", markup=False)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None


def __getattr__(name: str):
    # `app` with all its commands, for tests and embedding (CliRunner().invoke(app, ...)).
    if name == "app":
        register_commands(ALL_MODULES)
        from .base import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
