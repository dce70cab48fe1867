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
    assert "layergraph.summary" not in modules  # the summary command's own
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


def test_a_quick_exit_delivers_all_output_and_the_exit_status():
    # schema writes ~0.5 MB to a pipe: every byte must be flushed before os._exit.
    import json

    from layergraph.schema import json_schema

    done = subprocess.run([sys.executable, "-m", "layergraph", "schema"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == json.loads(json.dumps(json_schema()))
    bad = subprocess.run([sys.executable, "-m", "layergraph", "check", "--format", "json",
                          str(SPECS / "vgg16.json"), "missing.json"], capture_output=True, text=True,
                         timeout=120)
    assert bad.returncode == 1 and json.loads(bad.stdout)["ok"] is False


@pytest.mark.parametrize("argv, handlers, quick", [
    (["check", "a.json"], 0, True),
    (["summary", "a.json"], 0, True),
    (["check", "a.json"], 1, False),   # an exit handler (a plugin's, say) must run
    (["compile", "a.json"], 0, False),  # TensorFlow's exit handlers and threads
    (["edit", "a.json"], 0, False),
])
def test_the_process_skips_the_interpreter_tear_down_only_where_nothing_needs_it(
        monkeypatch, argv, handlers, quick):
    from layergraph.cli import startup

    ended = []
    monkeypatch.setattr(startup.os, "_exit", ended.append)  # returns, so the SystemExit follows
    monkeypatch.setattr(startup, "_exit_handlers", lambda: handlers)
    monkeypatch.setattr(startup.threading, "active_count", lambda: 1)
    with pytest.raises(SystemExit) as raised:
        startup.exit_process(argv, SystemExit(1))
    assert raised.value.code == 1
    assert ended == ([1] if quick else [])


def test_another_running_thread_takes_the_ordinary_exit(monkeypatch):
    from layergraph.cli import startup

    monkeypatch.setattr(startup.os, "_exit", lambda code: pytest.fail("os._exit called"))
    monkeypatch.setattr(startup, "_exit_handlers", lambda: 0)
    monkeypatch.setattr(startup.threading, "active_count", lambda: 2)
    with pytest.raises(SystemExit):
        startup.exit_process(["check"], SystemExit(0))


def test_a_message_as_exit_status_takes_the_ordinary_exit(monkeypatch):
    from layergraph.cli import startup

    monkeypatch.setattr(startup.os, "_exit", lambda code: pytest.fail("os._exit called"))
    with pytest.raises(SystemExit, match="bad"):
        startup.exit_process(["check"], SystemExit("bad"))


def test_a_check_creates_the_parameter_models_of_the_types_it_uses_only():
    # Each layer type's Params model is created when first read (registry.deferred_params).
    code = ("import sys; from layergraph.cli import main; sys.argv = ['layergraph', 'check', sys.argv[1]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "from layergraph.registry import Params\n"
            "def models(base):\n"
            "    return [m for sub in base.__subclasses__() for m in [sub, *models(sub)]]\n"
            "print(' '.join(sorted(m.__name__ for m in models(Params))))")
    done = subprocess.run([sys.executable, "-c", code, str(SPECS / "vgg16.json")], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    created = done.stdout.splitlines()[-1].split()
    assert created == ["ConvParams", "DenseParams", "FlattenParams", "InputLayerParams", "PoolingParams"]
