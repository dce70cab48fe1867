"""``render --watch``: re-render whenever the spec file changes (watchfiles)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .output import fail, stderr


def watch_and_render(spec: Path, render_once: Callable[[], bool], stop_event=None) -> None:
    """Render now, then after every change to ``spec`` until Ctrl-C (or ``stop_event``)."""
    try:
        from watchfiles import watch
    except ImportError:
        fail("--watch needs the watchfiles package: pip install 'layergraph[figures]'", code=2)
    render_once()
    folder = spec.resolve().parent
    target = spec.resolve()
    stderr.print(f"watching {spec} (Ctrl-C stops)", markup=False, highlight=False)
    try:
        for changes in watch(folder, stop_event=stop_event, debounce=200, rust_timeout=1000,
                             yield_on_timeout=False):
            if any(Path(path).resolve() == target for _, path in changes):
                render_once()
    except KeyboardInterrupt:
        pass
