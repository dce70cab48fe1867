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
from .errors import LayergraphError, SpecError
from .limits import Limits
from .render import render, to_dot
from .registry import LayerType, ParamCount, Params, ShapeError, get_registry
from .spec import FORMAT, GraphSpec

__version__ = "0.1.0"

__all__ = [
    "Analysis", "Code", "Diagnostic", "FORMAT", "GraphSpec", "LayerResult", "LayerType",
    "Limits", "ParamCount", "Params", "Severity", "ShapeError", "analyze", "check",
    "get_registry", "load_spec", "to_keras", "from_keras", "export_python", "SpecError",
    "render", "to_dot", "LayergraphError",
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


def to_keras(spec, **options):
    """Compile a spec (path, JSON text, dict, GraphSpec or Analysis) into a ``keras.Model``.

    ``backend="jax"`` (or ``"torch"``, ``"tensorflow"``) picks the Keras backend if Keras
    is not imported yet; other keywords override spec parameters (``width=128``).
    Imports Keras when called; see :func:`layergraph.emit.keras.to_keras`.
    """
    from .emit.keras import to_keras as _to_keras

    return _to_keras(spec, **options)


def from_keras(model, **options) -> GraphSpec:
    """A spec from a ``keras.Model``, a ``.keras`` file or ``"keras.applications:NAME"``.

    See :func:`layergraph.importers.keras.from_keras`.
    """
    from .importers.keras import from_keras as _from_keras

    return _from_keras(model, **options)


def export_python(spec, **options) -> str:
    """Readable Keras functional-API Python source that builds the spec's model.

    See :func:`layergraph.emit.source.export_python`; needs no TensorFlow.
    """
    from .emit.source import export_python as _export_python

    return _export_python(spec, **options)
