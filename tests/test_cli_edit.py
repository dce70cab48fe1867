"""`layergraph edit`: which document it opens, and clear errors (never a traceback) for bad input."""

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import SPECS
from layergraph.cli import app as cli
from layergraph.tui.app import EditorApp

runner = CliRunner()


@pytest.fixture
def launched(monkeypatch):
    """Record the document the editor would open instead of starting the TUI."""
    opened = []
    monkeypatch.setattr(EditorApp, "run", lambda self, *a, **k: opened.append(self.doc))
    return opened


def run(*args):
    result = runner.invoke(cli, ["edit", *map(str, args)])
    print(result.output)
    return result


def test_edit_opens_an_existing_spec(launched):
    assert run(SPECS / "alexnet.json").exit_code == 0
    assert launched[0].analysis.name == "AlexNet" and not launched[0].modified


def test_edit_of_a_new_file_starts_from_the_blank_template(tmp_path, launched):
    target = tmp_path / "mynet.json"
    assert run(target).exit_code == 0
    doc = launched[0]
    assert doc.path == target and doc.modified and doc.analysis.ok
    assert doc.analysis.name == "mynet" and not target.exists()


def test_edit_with_a_template(tmp_path, launched):
    assert run(tmp_path / "digits.json", "--template", "mnist_cnn").exit_code == 0
    assert launched[0].analysis.total_params == 1_676_266


def test_an_unknown_template_is_a_usage_error(tmp_path, launched):
    result = run(tmp_path / "x.json", "--template", "resnet9000")
    assert result.exit_code == 2 and "blank" in result.output and not launched


def test_a_template_never_replaces_an_existing_file(tmp_path, launched):
    target = tmp_path / "mine.json"
    target.write_text("{}")
    result = run(target, "--template", "alexnet")
    assert result.exit_code == 2 and "exists" in result.output
    assert target.read_text() == "{}" and not launched


def test_a_malformed_file_is_refused_with_its_line(tmp_path, launched):
    target = tmp_path / "bad.json"
    target.write_text('{\n  "layers": [\n    {"type": "Dense",}\n  ]\n}\n')
    result = run(target)
    assert result.exit_code == 1 and "Malformed JSON" in result.output and ":3:" in result.output
    assert "Traceback" not in result.output and not launched


def test_a_missing_folder_is_a_usage_error(tmp_path, launched):
    result = run(tmp_path / "nowhere" / "x.json")
    assert result.exit_code == 2 and "does not exist" in result.output


def test_check_stays_fast_because_the_editor_is_imported_lazily():
    script = ("import sys; from typer.testing import CliRunner; from layergraph.cli import app; "
              f"CliRunner().invoke(app, ['check', {str(SPECS / 'alexnet.json')!r}]); "
              "print(sorted(m for m in ('textual', 'tensorflow', 'keras') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "[]", result.stderr


def test_edit_of_a_folder_lists_the_specs_in_it(tmp_path, launched):
    (tmp_path / "b.json").write_text("{}")
    (tmp_path / "a.json").write_text("{}")
    (tmp_path / "notes.txt").write_text("")
    result = run(tmp_path)
    assert result.exit_code == 2 and not launched
    assert "2 specs" in result.output and "a.json" in result.output and "b.json" in result.output
    assert "notes.txt" not in result.output and "Traceback" not in result.output


def test_edit_of_an_empty_folder_says_there_is_no_spec(tmp_path, launched):
    result = run(tmp_path)
    assert result.exit_code == 2 and "no .json specs" in result.output and not launched


@pytest.mark.parametrize("template", ["blank", "alexnet"])
def test_a_new_file_from_a_template_gets_a_schema_that_resolves_from_where_it_is_saved(
        tmp_path, launched, template):
    import json

    folder = tmp_path / "deep" / "er"
    folder.mkdir(parents=True)
    target = folder / "mine.json"
    assert run(target, "--template", template).exit_code == 0
    doc = launched[0]
    reference = json.loads(doc.render_text())["$schema"]
    schema = (folder / reference).resolve()
    assert schema.is_file() and json.loads(schema.read_text())["title"].startswith("layergraph")
    assert doc.analysis.ok
