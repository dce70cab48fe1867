"""layergraph: neural-network architectures as JSON layer graphs.

Check a spec, see its shapes and counts, render it, compile it to Keras::

    import layergraph as lg
    analysis = lg.analyze("specs/alexnet.json")
    print(analysis.total_params)

Importing layergraph never imports TensorFlow or Keras; the Keras functions
import it when called.
"""

from __future__ import annotations

from .compiler.analysis import Analysis, LayerResult
from .compiler.passes import analyze
from .diagnostics import Code, Diagnostic, Severity
from .limits import Limits
from .render import render, to_dot
from .registry import LayerType, ParamCount, Params, ShapeError, get_registry
from .spec import FORMAT, GraphSpec

__version__ = "0.1.0"

__all__ = [
    "Analysis", "Code", "Diagnostic", "FORMAT", "GraphSpec", "LayerResult", "LayerType",
    "Limits", "ParamCount", "Params", "Severity", "ShapeError", "analyze", "check",
    "get_registry", "load_spec", "render", "to_dot",
]


def check(spec, **options) -> list[Diagnostic]:
    """The diagnostics of a spec (empty when it is clean)."""
    return analyze(spec, **options).diagnostics


def load_spec(spec, **options) -> GraphSpec:
    """Load and check a spec, raising :class:`SpecError` if it has errors."""
    analysis = analyze(spec, **options)
    if not analysis.ok:
        raise SpecError(analysis.errors)
    return analysis.spec


class SpecError(ValueError):
    """A spec has errors; ``diagnostics`` lists them."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        lines = "\n".join(d.format() for d in diagnostics)
        super().__init__(f"the spec has {len(diagnostics)} error(s):\n{lines}")
