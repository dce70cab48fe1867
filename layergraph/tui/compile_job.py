"""The Keras compilation the editor runs in a child process.

``python -m layergraph.tui.compile_job`` reads ``{"spec": ..., "expected_params": n}``
(and ``"save_to": path`` to write the model as a ``.keras`` file: the editor's export)
on stdin, calls ``layergraph.to_keras(spec)`` and reports on stdout, one JSON
object per line: ``{"event": "line"|"step"|"done", ...}``. A child process keeps
TensorFlow (its memory, its C++ logging written straight to the terminal, its
crashes) out of the editor, and can be stopped.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any, Callable

EVENT_PREFIX = '{"event"'

Emit = Callable[..., None]


def import_keras():
    """Import Keras (and TensorFlow with it): seconds, so only here."""
    import keras

    return keras


def run_job(spec: Any, expected_params: int, emit: Emit, to_keras=None, load_keras=import_keras,
            *, save_to: str | None = None) -> bool:
    """Compile ``spec``, reporting through ``emit(event, **fields)``; True if it worked and counts agree.

    ``save_to``: also write the model there (atomically, as every layergraph output).
    """
    if to_keras is None:
        emit("done", ok=False, title="layergraph.to_keras is not available in this installation")
        return False
    try:
        emit("line", text="Importing TensorFlow and Keras (this takes a few seconds)…")
        started = time.perf_counter()
        keras = load_keras()
        emit("step", text=f"Keras {keras.__version__} ready in {time.perf_counter() - started:.1f} s")
        model = to_keras(spec)
        emit("step", text=f"Built model '{model.name}' with {len(model.layers)} layers")
        summary: list[str] = []
        model.summary(print_fn=lambda line, *a, **k: summary.append(line), line_length=84)
        for line in "\n".join(summary).splitlines():
            emit("line", text=line)
        count = model.count_params()
        if save_to:
            emit("step", text=f"Saved the model to {save_model(model, save_to)}")
    except Exception as exc:  # every failure goes to the log, none to a traceback
        hint = " (install it with: pip install 'layergraph[keras]')" if isinstance(exc, ImportError) else ""
        emit("line", text=f"{type(exc).__name__}: {exc}{hint}")
        emit("done", ok=False, title="Compilation failed — see the log")
        return False
    same = count == expected_params
    emit("step", text=f"Keras counts {count:,} parameters; layergraph counted {expected_params:,}"
         + (" ✓" if same else " ✗ (they differ)"))
    saved = f", saved to {save_to}" if save_to else ""
    emit("done", ok=same, title=f"Compiled: {count:,} parameters{saved}"
         + ("" if same else f" (layergraph: {expected_params:,})"))
    return same


def save_model(model, target: str):
    """``model.save`` into a temporary file beside ``target``, renamed over it (through a link,
    into the file it points to; never over a read-only file)."""
    from ..fileio import atomic_path, replaceable_target

    written = replaceable_target(target)
    with atomic_path(written) as tmp:
        model.save(tmp)
    return written


def _emit(event: str, **fields: Any) -> None:
    sys.stdout.write(json.dumps({"event": event, **fields}, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main() -> int:
    import layergraph

    request = json.load(sys.stdin)
    to_keras = getattr(layergraph, "to_keras", None)
    return 0 if run_job(request["spec"], request["expected_params"], _emit, to_keras,
                        save_to=request.get("save_to")) else 1


if __name__ == "__main__":
    sys.exit(main())
