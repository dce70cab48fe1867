"""The command line imports only what a command uses (start-up time is most of a `check`).

Each case runs ``python -X importtime -m layergraph ...`` in a fresh process and
reads the modules it imported from the import-time log.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import SPECS
from layergraph.cli.startup import ALL_MODULES, COMMAND_MODULES, modules_for

# Third-party packages `check` and `summary` may import: the CLI (typer and its click,
# rich only where a table or coloured diagnostics are printed), the spec models (pydantic).
ALLOWED_FOR_CHECK = {"typer", "click", "pydantic", "pydantic_core", "annotated_types",
                     "typing_extensions", "typing_inspection", "shellingham", "annotated_doc"}
# Not packages a command imports: the interpreter's site hooks, and `org`, which the
# standard library's `copy` tries (and fails) to import on every start.
NOT_IMPORTS = {"sitecustomize", "usercustomize", "org"}
# Named explicitly so a failure says what crept in; none of them is needed to check a spec.
FORBIDDEN = {"tensorflow", "keras", "textual", "pydot", "graphviz", "networkx", "numpy", "rich"}


def imported_modules(*args: str) -> set[str]:
    """The modules a `layergraph ...` process imported."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "layergraph", *args],
                          capture_output=True, text=True, timeout=120)
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \| +([\w.]+)$", done.stderr, re.MULTILINE)
    assert done.returncode == 0 and names, done.stderr[-2000:]
    return set(names)


def imported_top_level(*args: str) -> set[str]:
    """Top-level names of the modules a `layergraph ...` process imported."""
    return {name.split(".")[0] for name in imported_modules(*args)}


def third_party(modules: set[str]) -> set[str]:
    """The modules that are neither the standard library nor layergraph."""
    return {m for m in modules if m not in sys.stdlib_module_names and m != "layergraph"
            and not m.startswith("_") and m not in NOT_IMPORTS}


def test_checking_a_clean_spec_imports_only_the_cli_and_the_spec_models():
    modules = imported_top_level("check", str(SPECS / "vgg16.json"))
    assert not modules & FORBIDDEN
    assert third_party(modules) <= ALLOWED_FOR_CHECK, third_party(modules) - ALLOWED_FOR_CHECK


def test_a_summary_adds_only_rich_for_its_table():
    modules = imported_top_level("summary", str(SPECS / "vgg16.json"))
    assert not modules & (FORBIDDEN - {"rich"})
    assert third_party(modules) <= ALLOWED_FOR_CHECK | {"rich", "pygments", "markdown_it", "mdurl"}


@pytest.mark.parametrize("command", [["check", "--format", "json"], ["schema"]])
def test_other_spec_commands_do_not_import_keras_or_the_editor(command):
    spec = [str(SPECS / "alexnet.json")] if command[0] == "check" else []
    modules = imported_top_level(*command, *spec)
    assert not modules & {"tensorflow", "keras", "textual", "pydot"}


def test_importing_layergraph_imports_none_of_its_parts_until_they_are_used():
    code = ("import sys, layergraph as lg; before = {m for m in sys.modules if m.startswith('layergraph')}; "
            "lg.analyze; print(sorted(before)); print('networkx' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          check=True)
    before, networkx = done.stdout.splitlines()
    assert before == "['layergraph']"
    assert networkx == "False"


def modules_loaded_by_main(*args: str) -> set[str]:
    """Every module in ``sys.modules`` after ``layergraph ARGS`` ran (``-X importtime`` does not
    log modules loaded with importlib.import_module)."""
    code = ("import sys; from layergraph.cli import main; sys.argv = ['layergraph', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sys.modules), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=120)
    return set(done.stderr.split())


def test_checking_imports_neither_other_commands_nor_the_package_metadata_reader():
    modules = modules_loaded_by_main("check", str(SPECS / "vgg16.json"))
    assert {"layergraph.cli.inspect_cmds"} <= modules
    others = {f"layergraph.cli.{m}" for m in ALL_MODULES} - {"layergraph.cli.inspect_cmds"}
    assert not modules & others
    # Pydantic's plugin loader would import importlib.metadata (and the email package).
    assert "importlib.metadata" not in modules and "email" not in modules


def test_every_command_is_found_in_the_module_startup_names_for_it():
    from layergraph.cli import app

    defined = {(command.name or command.callback.__name__).replace("_", "-"):
               command.callback.__module__.rsplit(".", 1)[1] for command in app.registered_commands}
    assert defined == COMMAND_MODULES


@pytest.mark.parametrize("argv, expected", [
    (["check", "a.json"], ("inspect_cmds",)),
    (["render", "--help"], ("render_cmd",)),
    (["--help"], ALL_MODULES),
    ([], ALL_MODULES),
    (["chek", "a.json"], ALL_MODULES),
])
def test_a_process_registers_only_the_module_of_the_command_it_runs(argv, expected):
    assert modules_for(argv) == expected


def test_a_process_with_one_command_registered_still_runs_it_as_a_subcommand():
    code = ("import sys; from layergraph.cli import main; "
            "sys.argv = ['layergraph', 'check', sys.argv[1]]; main()")
    done = subprocess.run([sys.executable, "-c", code, str(SPECS / "vgg16.json")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("vgg16.json: ok")


def test_pydantic_validates_as_before_while_its_plugin_loader_is_replaced():
    code = ("import layergraph.cli, sys; from pydantic import BaseModel, ValidationError\n"
            "class M(BaseModel):\n    x: int\n"
            "print(M(x='3').x, type(sys.modules['pydantic.plugin._loader']).__name__)\n"
            "from pydantic.plugin._loader import PYDANTIC_ENTRY_POINT_GROUP as group\n"
            "print(group)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYDANTIC_DISABLE_PLUGINS": "__all__"})
    assert done.returncode == 0, done.stderr
    # Any other name than get_plugins loads the real module.
    assert done.stdout.split() == ["3", "_NoPluginsLoader", "pydantic"]


def test_pydantic_plugins_the_user_enabled_are_still_loaded():
    code = "import layergraph.cli, sys; print('pydantic.plugin._loader' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYDANTIC_DISABLE_PLUGINS": "some_plugin"})
    assert done.stdout.strip() == "False", done.stderr
