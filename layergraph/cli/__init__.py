"""The ``layergraph`` command line: one Typer app, one module per group of commands.

Exit codes: 0 success, 1 the spec has errors (or the job failed), 2 usage error.

``main()`` registers only the command it runs (``startup.COMMAND_MODULES``): most of a
``check`` is start-up. ``run()``, the process's entry point, also ends the process quickly
when the command is done (``startup.exit_process``). ``from layergraph.cli import app``
gives the app with every command.
"""

from __future__ import annotations

import sys

from .startup import ALL_MODULES, disable_pydantic_plugins, exit_process, modules_for, register_commands

disable_pydantic_plugins()


def run() -> None:
    """The process's entry point (the ``layergraph`` script, ``python -m layergraph``):
    ``main()``, then the end of the process without the interpreter's tear-down where
    nothing needs it. Call ``main()`` to run a command inside a program that goes on."""
    try:
        main()
    except SystemExit as done:
        exit_process(sys.argv[1:], done)


def main() -> None:
    """Run the command in ``sys.argv``: known failures become one clear line, never a
    traceback; ends with SystemExit (its exit status), as Typer does."""
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
