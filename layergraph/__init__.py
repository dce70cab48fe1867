"""layergraph: neural-network architectures as JSON layer graphs.

Check a spec, see its shapes and counts, render it, compile it to Keras::

    import layergraph as lg
    analysis = lg.analyze("specs/alexnet.json")
    print(analysis.total_params)

Importing layergraph never imports TensorFlow or Keras; the Keras functions
import it when called.
"""

from __future__ import annotations

import sys
import types

# Public names are imported on first use (module ``__getattr__``), so that
# ``import layergraph`` (and every command line start-up) pays only for what it uses.
_LAZY = {
    "Analysis": ".compiler.analysis", "LayerResult": ".compiler.analysis",
    "analyze": ".compiler.passes",
    "Code": ".diagnostics", "Diagnostic": ".diagnostics", "Severity": ".diagnostics",
    "Limits": ".limits", "LayergraphError": ".errors", "SpecError": ".errors",
    "render": ".render", "to_dot": ".render",
    "LayerType": ".registry", "ParamCount": ".registry", "Params": ".registry",
    "ShapeError": ".registry", "get_registry": ".registry",
    "FORMAT": ".spec", "GraphSpec": ".spec",
}


def __getattr__(name: str):
    """Import a public name's module when the name is first used."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'layergraph' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


class _Package(types.ModuleType):
    """``lg.render`` stays the function even after the package ``layergraph.render`` loads.

    Importing a subpackage sets it as an attribute of its parent; the eager
    ``from .render import render`` used to overwrite that, and this does the same lazily.
    """

    def __setattr__(self, name: str, value) -> None:
        if name == "render" and isinstance(value, types.ModuleType):
            value = value.render
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__version__ = "0.1.0"

__all__ = [
    "Analysis", "Code", "Diagnostic", "FORMAT", "GraphSpec", "LayerResult", "LayerType",
    "Limits", "ParamCount", "Params", "Severity", "ShapeError", "analyze", "check",
    "get_registry", "load_spec", "to_keras", "from_keras", "export_python", "SpecError",
    "render", "to_dot", "LayergraphError",
]


def check(spec, **options) -> list:
    """The diagnostics of a spec (empty when it is clean)."""
    from .compiler.passes import analyze

    return analyze(spec, **options).diagnostics


def load_spec(spec, **options):
    """Load and check a spec (a GraphSpec), raising :class:`SpecError` if it has errors."""
    from .compiler.passes import analyze
    from .errors import SpecError

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


def from_keras(model, **options):
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
