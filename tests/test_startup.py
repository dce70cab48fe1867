"""The command line imports only what a command uses (start-up time is most of a `check`).

Each case runs ``python -X importtime -m layergraph ...`` in a fresh process and
reads the modules it imported from the import-time log.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import SPECS

# Third-party packages `check` and `summary` may import: the CLI (typer and its click,
# rich only where a table or coloured diagnostics are printed), the spec models (pydantic).
ALLOWED_FOR_CHECK = {"typer", "click", "pydantic", "pydantic_core", "annotated_types",
                     "typing_extensions", "typing_inspection", "shellingham", "annotated_doc"}
# Not packages a command imports: the interpreter's site hooks, and `org`, which the
# standard library's `copy` tries (and fails) to import on every start.
NOT_IMPORTS = {"sitecustomize", "usercustomize", "org"}
# Named explicitly so a failure says what crept in; none of them is needed to check a spec.
FORBIDDEN = {"tensorflow", "keras", "textual", "pydot", "graphviz", "networkx", "numpy", "rich"}


def imported_top_level(*args: str) -> set[str]:
    """Top-level names of the modules a `layergraph ...` process imported."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "layergraph", *args],
                          capture_output=True, text=True, timeout=120)
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \| +([\w.]+)$", done.stderr, re.MULTILINE)
    assert done.returncode == 0 and names, done.stderr[-2000:]
    return {name.split(".")[0] for name in names}


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
