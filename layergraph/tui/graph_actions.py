"""Actions that use the rest of layergraph: render a diagram, compile with Keras, show JSON.

``layergraph.render`` is looked up when the action runs (never at import) and
runs in a thread worker. The Keras compilation runs in a child process
(:mod:`layergraph.tui.compile_job`) driven by a thread worker, so TensorFlow is
never imported by the editor and its logging cannot scribble over the screen.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from textual import work

from .compile_job import EVENT_PREFIX
from .screens.compile_log import CompileScreen
from .screens.json_view import JsonScreen

COMPILE_COMMAND = [sys.executable, "-m", "layergraph.tui.compile_job"]


def product_function(name: str):
    """``layergraph.<name>``, or None when this installation lacks it."""
    import layergraph

    return getattr(layergraph, name, None)


class GraphActions:
    """Render, compile, show JSON (a mixin of EditorApp)."""

    compile_command: list[str] = COMPILE_COMMAND  # tests run a stand-in job

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

    def action_compile(self) -> None:
        self.flush_typing()
        screen = CompileScreen(f"Compiling {self.doc.analysis.name} with Keras…")
        self.push_screen(screen)
        request = json.dumps({"spec": self.doc.data, "expected_params": self.doc.analysis.total_params})
        self._compile_worker(request, screen)

    @work(thread=True, exclusive=True, group="compile")
    def _compile_worker(self, request: str, screen: CompileScreen) -> None:
        """Run the compile job and relay its reports; other output is kept for a failure."""
        ui = self.call_from_thread
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1"}
        try:
            process = subprocess.Popen(self.compile_command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, text=True, encoding="utf-8", env=env)
        except OSError as exc:
            ui(screen.finish, False, f"Cannot start the compile job: {exc}")
            return
        screen.process = process
        process.stdin.write(request)
        process.stdin.close()
        finished, other = False, []
        for line in process.stdout:
            if not line.startswith(EVENT_PREFIX):
                other.append(line.rstrip())  # TensorFlow's own messages
                continue
            report = json.loads(line)
            finished |= report["event"] == "done"
            _relay(ui, screen, report)
        code = process.wait()
        if not finished and not screen.stopped:
            for text in other[-15:]:
                ui(screen.write, text)
            ui(screen.finish, False, f"The compile job stopped unexpectedly (exit code {code})")

    def action_show_json(self) -> None:
        self.flush_typing()
        self.push_screen(JsonScreen(f"{self.doc.display_name} — as it would be saved",
                                    self.doc.render_text()))


def _relay(ui, screen: CompileScreen, report: dict) -> None:
    event = report["event"]
    if event == "line":
        ui(screen.write, report["text"])
    elif event == "step":
        ui(screen.step, report["text"])
    elif event == "done":
        ui(screen.finish, report["ok"], report["title"])
