"""What a command-line process does before it imports anything heavy, and at its end.

A ``check`` is mostly start-up, so the process imports only the module of the command it
runs (``COMMAND_MODULES``) and skips Pydantic's plugin scan; when the command is done, it
ends without the interpreter's clean-up where nothing needs it (``exit_process``).
"""

from __future__ import annotations

import atexit
import importlib
import importlib.machinery
import importlib.util
import os
import sys
import threading
import types
from typing import NoReturn, Sequence

# The module (in layergraph.cli) that defines each command. A test keeps this in step
# with the commands the modules register.
COMMAND_MODULES: dict[str, str] = {
    "check": "inspect_cmds", "summary": "inspect_cmds", "schema": "inspect_cmds",
    "layers": "inspect_cmds", "compile": "keras_cmds", "export": "keras_cmds",
    "import": "keras_cmds", "render": "render_cmd", "edit": "edit_cmd", "diff": "diff_cmd",
    "explain": "explain_cmd",
}
ALL_MODULES = tuple(dict.fromkeys(COMMAND_MODULES.values()))
# Commands whose only output is stdout, stderr or a file closed before they return: their
# process may end at once when they are done (exit_process). Not the Keras commands
# (TensorFlow has exit handlers and threads), the editor, or those that run other programs.
QUICK_EXIT_COMMANDS = frozenset({"check", "summary", "schema", "layers"})

_PYDANTIC_LOADER = "pydantic.plugin._loader"
_PLUGINS_OFF = ("__all__", "1", "true")  # the values with which Pydantic loads no plugin


def modules_for(argv: Sequence[str]) -> tuple[str, ...]:
    """The command modules a process with these arguments needs: the command's own, or
    all of them for the group's help, a mistyped command or no command at all."""
    command = command_of(argv)
    return (COMMAND_MODULES[command],) if command in COMMAND_MODULES else ALL_MODULES


def command_of(argv: Sequence[str]) -> str | None:
    """The command these arguments run (the first that is not an option), if any."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


def exit_process(argv: Sequence[str], done: SystemExit) -> NoReturn:
    """End the process with the exit status of ``done``, the SystemExit its command ended with.

    Python's own exit then tears the interpreter down: it clears every module and runs
    the cycle collector over the ~30,000 objects that Typer, Pydantic and the layer
    models left, which was ~20 ms of a ~200 ms ``check`` (more than the check itself);
    the operating system frees the memory at once. So after a command in
    ``QUICK_EXIT_COMMANDS`` the process ends with ``os._exit`` once stdout and stderr are
    flushed, unless something needs the ordinary exit: an exit handler registered (say
    by a plugin), another thread running, a non-numeric status, or a failed flush (a
    closed pipe), for which Python's exit reports as it always did.
    """
    code = 0 if done.code is None else done.code
    if (command_of(argv) in QUICK_EXIT_COMMANDS and isinstance(code, int)
            and _exit_handlers() == 0 and threading.active_count() == 1):
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            raise done from None
        os._exit(code)
    raise done


def _exit_handlers() -> int:
    # CPython counts the atexit callbacks; elsewhere assume there are some.
    count = getattr(atexit, "_ncallbacks", None)
    return count() if count is not None else 1


def register_commands(modules: Sequence[str]) -> None:
    """Import command modules; each registers its commands on ``base.app``."""
    for module in modules:
        importlib.import_module(f"{__package__}.{module}")


def disable_pydantic_plugins() -> None:
    """Tell Pydantic not to look for plugins, and spare its loader's import.

    Pydantic scans every installed distribution for plugins when the first model is built
    (~20 ms with TensorFlow installed); the command line uses none. Its plugin loader
    module also imports ``importlib.metadata`` (the ``email`` package, ~20 ms) even when
    plugins are disabled, only to answer ``get_plugins()`` with nothing. While plugins are
    off, a stand-in answers that; any other name loads the real module (a newer Pydantic
    may ask for more).
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] in _PLUGINS_OFF and _PYDANTIC_LOADER not in sys.modules:
        sys.modules[_PYDANTIC_LOADER] = _NoPluginsLoader(_PYDANTIC_LOADER)


class _NoPluginsLoader(types.ModuleType):
    """``pydantic.plugin._loader`` while plugins are disabled."""

    @staticmethod
    def get_plugins() -> tuple:
        return ()

    def __getattr__(self, name: str):
        if name.startswith("__"):  # the import system asks for __path__ and the like
            raise AttributeError(name)
        return getattr(_real_loader(), name)


def _real_loader() -> types.ModuleType:
    import pydantic.plugin

    spec = importlib.machinery.PathFinder.find_spec("_loader", pydantic.plugin.__path__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules[_PYDANTIC_LOADER] = module
    return module
