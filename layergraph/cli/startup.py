"""What a command-line process does before it imports anything heavy.

A ``check`` is mostly start-up, so the process imports only the module of the command it
runs (``COMMAND_MODULES``) and skips Pydantic's plugin scan.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import os
import sys
import types
from typing import Sequence

# The module (in layergraph.cli) that defines each command. A test keeps this in step
# with the commands the modules register.
COMMAND_MODULES: dict[str, str] = {
    "check": "inspect_cmds", "summary": "inspect_cmds", "schema": "inspect_cmds",
    "layers": "inspect_cmds", "compile": "keras_cmds", "export": "keras_cmds",
    "import": "keras_cmds", "render": "render_cmd", "edit": "edit_cmd", "diff": "diff_cmd",
    "explain": "explain_cmd",
}
ALL_MODULES = tuple(dict.fromkeys(COMMAND_MODULES.values()))

_PYDANTIC_LOADER = "pydantic.plugin._loader"
_PLUGINS_OFF = ("__all__", "1", "true")  # the values with which Pydantic loads no plugin


def modules_for(argv: Sequence[str]) -> tuple[str, ...]:
    """The command modules a process with these arguments needs: the command's own, or
    all of them for the group's help, a mistyped command or no command at all."""
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    return (COMMAND_MODULES[command],) if command in COMMAND_MODULES else ALL_MODULES


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
