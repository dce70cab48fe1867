"""Actions that use the rest of layergraph: render a diagram, compile with Keras, show JSON.

``layergraph.render`` and ``layergraph.to_keras`` are looked up when the action
runs (never at import), so the editor starts fast and TensorFlow is imported
only by the compile worker.
"""

from __future__ import annotations

import time
from pathlib import Path

from textual import work

from .screens.compile_log import CompileScreen
from .screens.json_view import JsonScreen


def import_keras():
    """Import Keras (and TensorFlow with it): seconds, so only in the compile worker."""
    import keras

    return keras


def product_function(name: str):
    """``layergraph.<name>``, or None when this installation lacks it."""
    import layergraph

    return getattr(layergraph, name, None)


class GraphActions:
    """Render, compile, show JSON (a mixin of EditorApp)."""

    keras_loader = staticmethod(import_keras)  # replaced in tests that must not load TensorFlow

    def diagram_path(self) -> Path:
        """Where the diagram goes: beside the spec, same stem, ``.png``."""
        path = self.doc.path or Path("untitled.json")
        return path.with_suffix(".png")

    def action_render(self) -> None:
        self.flush_typing()
        render = product_function("render")
        if render is None:
            self.notify("Diagrams need layergraph.render, which this installation does not have.",
                        title="Cannot render", severity="error")
            return
        target = self.diagram_path()
        self.notify(f"Rendering {target.name}…")
        self._render_worker(render, self.doc.data, target, self.doc.modified)

    @work(thread=True, exclusive=True, group="render")
    def _render_worker(self, render, data: dict, target: Path, unsaved: bool) -> None:
        try:
            written = render(data, target)
        except Exception as exc:  # a failed render is reported, never a crash
            self.call_from_thread(self.notify, f"{type(exc).__name__}: {exc}", title="Render failed",
                                  severity="error")
            return
        note = " (from the unsaved edits)" if unsaved else ""
        self.call_from_thread(self.notify, f"Diagram written to {written}{note}", title="Rendered")
        self.last_render = Path(written)

    def action_compile(self) -> None:
        self.flush_typing()
        to_keras = product_function("to_keras")
        screen = CompileScreen(f"Compiling {self.doc.analysis.name} with Keras…")
        self.compile_screen = screen
        self.push_screen(screen)
        if to_keras is None:
            screen.finish(False, "layergraph.to_keras is not available in this installation")
            return
        self._compile_worker(to_keras, self.doc.data, self.doc.analysis.total_params, screen)

    @work(thread=True, exclusive=True, group="compile")
    def _compile_worker(self, to_keras, data: dict, expected_params: int, screen: CompileScreen) -> None:
        say = lambda *args: self.call_from_thread(*args)  # noqa: E731 - one line per UI update
        try:
            say(screen.write, "Importing TensorFlow and Keras (this takes a few seconds)…")
            started = time.perf_counter()
            keras = self.keras_loader()
            say(screen.step, f"Keras {keras.__version__} ready in {time.perf_counter() - started:.1f} s")
            model = to_keras(data)
            say(screen.step, f"Built model '{model.name}' with {len(model.layers)} layers")
            summary: list[str] = []
            model.summary(print_fn=lambda line, *a, **k: summary.append(line), line_length=90)
            for line in "\n".join(summary).splitlines():
                say(screen.write, line)
            count = model.count_params()
            same = count == expected_params
            say(screen.step, f"Keras counts {count:,} parameters; layergraph counted {expected_params:,}"
                + (" ✓" if same else " ✗ (they differ)"))
            say(screen.finish, same, f"Compiled: {count:,} parameters"
                + ("" if same else f" (layergraph: {expected_params:,})"))
        except Exception as exc:  # every failure goes to the log screen, none to a traceback
            say(screen.write, f"{type(exc).__name__}: {exc}")
            say(screen.finish, False, "Compilation failed — see the log")

    def action_show_json(self) -> None:
        self.flush_typing()
        self.push_screen(JsonScreen(f"{self.doc.display_name} — as it would be saved",
                                    self.doc.render_text()))
