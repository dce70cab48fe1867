"""Commands that produce or read Keras models: compile, export, import.

Specs are checked before TensorFlow is imported, so a spec with errors fails in
milliseconds; outputs are written atomically and never overwrite a file unless
``--force`` is given.
"""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer

from ..backends import BACKENDS, active_backend, backend_problems, configured_backend, select_backend
from ..compiler.passes import analyze
from ..fileio import OutputError, atomic_path, atomic_write_text
from ..keras_support import KerasError
from .base import app
from .output import fail, print_diagnostics, stderr, write_stdout
from .params_opt import SetOpt, overrides

SpecArg = Annotated[Path, typer.Argument(help="A spec file (JSON).", show_default=False)]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")]
KerasBackend = Enum("KerasBackend", {name: name for name in BACKENDS}, type=str)
BackendOpt = Annotated[Optional[KerasBackend], typer.Option(
    "--backend", help="Keras backend to build on (default: Keras's configured one, "
                      "KERAS_BACKEND or ~/.keras/keras.json).", show_default=False)]


@contextmanager
def _clear_errors() -> Iterator[None]:
    """Known failures become one clear line and exit 1, never a traceback."""
    from .. import SpecError

    try:
        yield
    except SpecError as exc:
        print_diagnostics(exc.diagnostics)
        fail(f"the spec has {len(exc.diagnostics)} error(s); nothing was written")
    except (KerasError, OutputError) as exc:
        fail(str(exc))


def _refuse_overwrite(output: Path | None, force: bool) -> None:
    if output is not None and output.exists() and not force:
        fail(f"{output} exists; use --force to overwrite it")


def _quiet_tensorflow() -> None:
    """Import Keras with TensorFlow's C++ start-up logging silenced.

    Those lines (oneDNN notices, absl warnings) would bury the one line we print;
    TensorFlow reads TF_CPP_MIN_LOG_LEVEL too early for setting it here to help,
    so standard error is pointed at /dev/null while the import runs. Import
    failures still surface as Python exceptions, reported by :func:`_clear_errors`.
    """
    if "keras" in sys.modules:
        return
    from ..keras_support import require_keras

    with _stderr_silenced():
        require_keras()


@contextmanager
def _stderr_silenced() -> Iterator[None]:
    """Standard error (the file descriptor, for C++ logs) goes to /dev/null meanwhile."""
    if os.environ.get("LAYERGRAPH_TF_LOGS"):
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


@app.command("compile")
def compile_(
    spec: SpecArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="The model file to write (.keras).",
                                         show_default=False)],
    force: ForceOpt = False,
    backend: BackendOpt = None,
    sets: SetOpt = None,
) -> None:
    """Compile a spec into a Keras model file (functional API, same layer names)."""
    if output.suffix != ".keras":
        fail(f"the output must be a .keras file (Keras's model format). Received: {output}", 2)
    _refuse_overwrite(output, force)
    chosen = backend.value if backend else configured_backend()
    analysis = analyze(spec, params=overrides(sets))
    problems = analysis.diagnostics + (backend_problems(analysis, chosen) if analysis.ok else [])
    errors = sum(d.is_error for d in problems)
    if errors or active_backend() in (None, chosen):
        print_diagnostics(problems)  # (a child process prints its own warnings)
    if errors:
        fail(f"the spec has {errors} error(s); nothing was written")
    if active_backend() not in (None, chosen):
        _compile_in_child(spec, output, force, chosen, sets)  # Keras cannot switch backends
    with _clear_errors():
        from ..emit.keras import to_keras

        select_backend(chosen)
        _quiet_tensorflow()
        model = to_keras(analysis, backend=chosen)
        # Keras's saving imports TensorFlow, if it is installed, on every backend.
        with atomic_path(output, overwrite=force) as tmp, _stderr_silenced():
            model.save(tmp)
    stderr.print(f"wrote {output}: {analysis.name}, {len(model.layers)} layers, "
                 f"{model.count_params():,} parameters ({chosen} backend)", markup=False)


def _compile_in_child(spec: Path, output: Path, force: bool, backend: str, sets) -> None:
    """Run this compile in a fresh process whose Keras starts on ``backend``; exit with it."""
    command = [sys.executable, "-m", "layergraph", "compile", str(spec), "-o", str(output),
               "--backend", backend, *(["--force"] if force else []),
               *(arg for text in sets or [] for arg in ("--set", text))]
    child = subprocess.run(command, env={**os.environ, "KERAS_BACKEND": backend},
                           capture_output=True, text=True)
    sys.stdout.write(child.stdout)
    stderr.print(child.stderr.rstrip(), markup=False, highlight=False)
    raise typer.Exit(child.returncode)


@app.command()
def export(
    spec: SpecArg,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="The Python file to write (default: standard output).")] = None,
    force: ForceOpt = False,
    sets: SetOpt = None,
) -> None:
    """Export a spec as a readable Keras functional-API Python script."""
    _refuse_overwrite(output, force)
    with _clear_errors():
        from ..emit.source import export_python

        analysis = analyze(spec, params=overrides(sets))
        print_diagnostics(analysis.diagnostics)
        text = export_python(analysis, source_name=spec.name)
        if output is None:
            write_stdout(text)
            return
        atomic_write_text(output, text, overwrite=force)
    stderr.print(f"wrote {output}", markup=False)


@app.command("import")
def import_(
    source: Annotated[str, typer.Argument(
        help="A .keras model file, or keras.applications:NAME (built with weights=None).",
        show_default=False)],
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="The spec file to write (default: standard output).")] = None,
    name: Annotated[Optional[str], typer.Option(help="Name of the model in the spec.")] = None,
    force: ForceOpt = False,
) -> None:
    """Import a Keras model as a spec (no code from the file is run)."""
    _refuse_overwrite(output, force)
    with _clear_errors():
        from ..importers.keras import APPLICATIONS_PREFIX, import_model
        from ..spec_json import dumps_spec

        if source.startswith(APPLICATIONS_PREFIX):
            _quiet_tensorflow()
        result = import_model(source, name=name)
        for warning in result.warnings:
            stderr.print(f"warning: {warning}", markup=False)
        text = dumps_spec(result.data)
        if output is None:
            write_stdout(text)
            return
        atomic_write_text(output, text, overwrite=force)
    analysis = result.analysis
    stderr.print(f"wrote {output}: {analysis.name}, {len(analysis.layers)} layers, "
                 f"{analysis.total_params:,} parameters", markup=False)
