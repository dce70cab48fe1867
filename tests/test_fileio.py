"""Atomic writes: a failed or killed write leaves the old file intact and no debris."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap

import pytest

from layergraph import fileio
from layergraph.fileio import OutputError, OutputExistsError, atomic_path, atomic_write_text

OLD = "the old content\n" * 100


@pytest.fixture
def target(tmp_path):
    path = tmp_path / "model.json"
    path.write_text(OLD)
    return path


def debris(directory):
    """Anything in the directory besides the target: temporary files left behind."""
    return sorted(p.name for p in directory.iterdir() if p.name != "model.json")


def test_a_write_replaces_the_content_and_leaves_no_temporary_file(target):
    atomic_write_text(target, "new")
    assert target.read_text() == "new"
    assert debris(target.parent) == []


def test_a_new_file_is_created_readable(tmp_path):
    path = atomic_write_text(tmp_path / "model.json", "new")
    assert path.read_text() == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_the_permissions_of_a_replaced_file_are_kept(target):
    target.chmod(0o600)
    atomic_write_text(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_failing_rename_leaves_the_old_file_and_no_temporary_file(target, monkeypatch):
    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, "replace", refuse)
    with pytest.raises(OutputError, match=r"cannot write .*model\.json: No space left on device"):
        atomic_write_text(target, "new")
    assert target.read_text() == OLD
    assert debris(target.parent) == []


def test_a_writer_failing_half_way_leaves_the_old_file_and_no_temporary_file(target):
    with pytest.raises(RuntimeError, match="renderer crashed"):
        with atomic_path(target) as tmp:
            tmp.write_text("half of the new con")
            raise RuntimeError("renderer crashed")
    assert target.read_text() == OLD
    assert debris(target.parent) == []


def test_a_failing_fsync_leaves_the_old_file(target, monkeypatch):
    def broken(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(fileio.os, "fsync", broken)
    with pytest.raises(OutputError, match="Input/output error"):
        atomic_write_text(target, "new")
    assert target.read_text() == OLD
    assert debris(target.parent) == []


def test_an_interrupt_during_the_write_leaves_the_old_file(target):
    with pytest.raises(KeyboardInterrupt):
        with atomic_path(target) as tmp:
            tmp.write_text("partial")
            raise KeyboardInterrupt
    assert target.read_text() == OLD
    assert debris(target.parent) == []


WRITER = textwrap.dedent('''
    import sys, time
    from layergraph.fileio import atomic_path
    with atomic_path(sys.argv[1]) as tmp:
        with open(tmp, "w") as fh:
            fh.write("partial new content")
            fh.flush()
            print("writing", flush=True)
            time.sleep(60)
''')


def test_a_writer_killed_mid_way_leaves_the_old_file_intact(target):
    process = subprocess.Popen([sys.executable, "-c", WRITER, str(target)],
                               stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "writing"
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert target.read_text() == OLD
    # A hard kill cannot clean up: at most a hidden temporary file is left beside it.
    assert all(name.startswith(".model.") and ".tmp" in name for name in debris(target.parent))


def test_overwriting_can_be_refused(target):
    with pytest.raises(OutputExistsError, match="exists; use --force"):
        atomic_write_text(target, "new", overwrite=False)
    assert target.read_text() == OLD


@pytest.mark.parametrize("make_path, reason", [
    (lambda tmp: tmp / "no" / "such" / "dir" / "out.json", "No such file or directory"),
    (lambda tmp: tmp / "model.json" / "out.json", "Not a directory"),
    (lambda tmp: tmp, "it is a directory"),
    (lambda tmp: tmp / "nul\x00byte.json", "embedded null byte"),
])
def test_unwritable_paths_give_a_clear_error(target, make_path, reason):
    path = make_path(target.parent)
    with pytest.raises(OutputError, match=reason) as error:
        atomic_write_text(path, "new")
    assert str(path).split("\x00")[0] in str(error.value)
    assert target.read_text() == OLD


def test_a_target_with_a_long_name_can_be_written(tmp_path):
    path = tmp_path / ("n" * 240 + ".keras")
    atomic_write_text(path, "new")
    assert path.read_text() == "new"


def test_the_temporary_file_keeps_the_suffix_for_writers_that_check_it(target):
    with atomic_path(target.with_suffix(".keras")) as tmp:
        assert tmp.name.endswith(".keras") and tmp.parent == target.parent
        tmp.write_text("x")


def test_the_cli_reports_an_unwritable_output_in_one_line_and_exits_1(tmp_path):
    out = tmp_path / "missing" / "schema.json"
    run = subprocess.run([sys.executable, "-m", "layergraph", "schema", "-o", str(out)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert run.stderr.strip() == f"error: cannot write {out}: No such file or directory"
    assert "Traceback" not in run.stderr


def test_the_cli_writes_the_schema_atomically(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from layergraph.cli import app

    out = tmp_path / "schema.json"
    out.write_text("old")
    monkeypatch.setattr(fileio.os, "replace", lambda s, d: (_ for _ in ()).throw(OSError(28, "full")))
    result = CliRunner().invoke(app, ["schema", "-o", str(out)])
    assert isinstance(result.exception, OutputError)
    assert out.read_text() == "old" and os.listdir(tmp_path) == ["schema.json"]
