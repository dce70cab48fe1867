"""Compile a spec into a Keras 3 functional model.

The spec is analysed first (no TensorFlow needed for that) and compilation is
refused, with the diagnostics, if it has errors; so a spec that is too large to
allocate is reported before TensorFlow is even imported. Each spec layer becomes
one Keras layer with the same name, wired with the functional API; a shared call
(``shares``) calls the layer it shares again.
"""

from __future__ import annotations

from typing import Any, Callable

from ..backends import backend_problems, select_backend
from ..compiler.analysis import Analysis
from ..compiler.passes import analyze
from ..diagnostics import Code, Diagnostic
from ..keras_support import KerasBuildError, require_keras


def analysed(spec: Any, backend: str | None = None, **options) -> Analysis:
    """The analysis of ``spec`` (reused if it already is one); :class:`SpecError` on errors,
    including layers that ``backend`` (when given) cannot build."""
    from .. import SpecError

    if isinstance(spec, Analysis) and options.get("params"):
        raise TypeError("spec parameters cannot be overridden on an Analysis: pass the spec itself")
    analysis = spec if isinstance(spec, Analysis) else analyze(spec, **options)
    problems = analysis.errors + _keras_name_problems(analysis)
    if backend and not problems:
        problems = backend_problems(analysis, backend)
    if problems:
        raise SpecError(problems)
    return analysis


def _keras_name_problems(analysis: Analysis) -> list[Diagnostic]:
    """Names Keras would reject: it reserves '/' for its own name scopes."""
    return [
        Diagnostic(Code.INVALID_PARAMETER,
                   f"Layer name '{name}' contains '/', which Keras does not allow in names. "
                   f"Received: name={name!r}.", layer=name, pointer=result.pointer,
                   hint="use '_' or '.' instead of '/'")
        for name, result in analysis.layers.items() if "/" in name
    ]


_ANALYZE_OPTIONS = frozenset({"limits", "registry", "source"})


def to_keras(spec: Any, *, backend: str | None = None, params: dict | None = None, **options):
    """Build a ``keras.Model`` (functional API) from a spec.

    ``spec`` is a path, JSON text, a dict, a GraphSpec or an Analysis; ``limits``,
    ``registry`` and ``source`` go to :func:`layergraph.analyze`, and any other keyword
    overrides a spec parameter: ``to_keras(spec, width=128)`` is
    ``to_keras(spec, params={"width": 128})``. ``backend`` (tensorflow, jax or torch; default:
    Keras's configured one) is set before Keras is imported; asking for another than
    the running one raises :class:`layergraph.backends.BackendError`. Raises
    :class:`layergraph.SpecError` if the spec has errors or uses a layer the backend
    cannot build (see ``KNOWN_GAPS``), :class:`KerasUnavailableError` if Keras is not
    installed, and :class:`KerasBuildError` if Keras rejects a layer.
    """
    backend = select_backend(backend)
    overrides = {**(params or {}), **{k: v for k, v in options.items() if k not in _ANALYZE_OPTIONS}}
    options = {k: v for k, v in options.items() if k in _ANALYZE_OPTIONS}
    analysis = analysed(spec, backend, **options, **({"params": overrides} if overrides else {}))
    keras = require_keras("compile a spec to a Keras model")
    tensors: dict[str, list] = {}  # layer name → its output tensors
    built: dict[str, Any] = {}  # layer name → its Keras layer, for shared calls
    for name, result in analysis.layers.items():
        tensors[name] = _build_layer(result, tensors, built)
    inputs = [tensors[name][0] for name in analysis.inputs]
    outputs = [tensors[ref.layer][ref.index] for ref in analysis.output_refs]
    try:
        return keras.Model(inputs=_one_or_list(inputs), outputs=_one_or_list(outputs),
                           name=analysis.name)
    except Exception as exc:
        raise KerasBuildError(f"Keras could not assemble model '{analysis.name}': {exc}") from None


def _build_layer(result, tensors: dict[str, list], built: dict[str, Any]) -> list:
    """Create one Keras layer (or take the one a shared call reuses), call it on its
    inputs, and return its output tensors."""
    layer_type = result.layer_type
    try:
        if result.shares:  # one Keras layer called again: the same weights
            layer = built[result.shares]
        else:
            layer = built[result.name] = layer_type.to_keras(result.params, result.name)
        if not result.trainable:
            layer.trainable = False
        if layer_type.max_inputs == 0:
            return [layer]  # keras.Input(...) is already a tensor
        args, kwargs = call_arguments(result, lambda ref: tensors[ref.layer][ref.index])
        outputs = layer(*args, **kwargs)
        return list(outputs) if len(result.output_shapes or ()) > 1 else [outputs]
    except Exception as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise KerasBuildError(
            f"Keras could not build layer '{result.name}' ({result.type}): {message}") from None


def call_arguments(result, value: Callable) -> tuple[list, dict]:
    """Positional and keyword arguments of a layer's call, ``value`` giving each tensor.

    One input is passed alone, several as one list (``Add()([a, b])``) unless the
    type takes them as separate arguments (``MultiHeadAttention()(query, value)``).
    A keyword written as one reference gets one tensor, a list gets a list.
    """
    layer_type = result.layer_type
    positional = [value(ref) for ref in result.positional]
    if layer_type.max_inputs != 1 and not layer_type.positional_call:
        positional = [positional]
    keyword = {ref.argument: [] for ref in result.refs if ref.argument is not None}
    for ref in result.refs:
        if ref.argument is not None:
            keyword[ref.argument].append(value(ref))
    written = result.call
    kwargs = {arg: items[0] if isinstance(written.get(arg), str) else items
              for arg, items in keyword.items()}
    return positional, {**kwargs, **layer_type.call_kwargs(result.params)}


def _one_or_list(tensors: list):
    """Keras models with one input/output take the tensor itself, as in hand-written code."""
    return tensors[0] if len(tensors) == 1 else tensors
