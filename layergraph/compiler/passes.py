"""The checking passes, run in order on one spec; each adds diagnostics and goes on.

load → structure → expand blocks → names → types → parameters → graph (references,
arity, cycles, outputs) → shapes and counts → limits → unused layers.
A failing layer makes its dependants "unknown" instead of stopping the run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..diagnostics import Code, Diagnostic, Severity, did_you_mean, pointer_join
from ..jsonsource import Source, SpecLoadError, check_depth, parse_json, read_source
from ..limits import Limits
from ..registry import Registry, ShapeError, get_registry
from ..spec import FORMAT, GraphSpec
from .analysis import Analysis, LayerResult
from .expand import expand
from .ordering import ancestors, in_spec_order, to_networkx, topological_order
from .validation import pydantic_diagnostics, validate_params

def analyze(spec: Any, *, limits: Limits | None = None, registry: Registry | None = None,
            source: Source | None = None) -> Analysis:
    """Check a spec (a path, JSON text, a dict or a GraphSpec) and return its Analysis.

    Never raises for bad input: every problem becomes a diagnostic.
    """
    limits = limits or Limits.from_env()
    registry = registry or get_registry()
    analysis = Analysis()
    try:
        graph_spec, analysis.source = _load(spec, limits, source)
    except SpecLoadError as exc:
        analysis.diagnostics.append(exc.diagnostic)
        return analysis
    except _StructureErrors as exc:
        analysis.source = exc.source
        analysis.diagnostics.extend(exc.diagnostics)
        return _place(analysis)
    analysis.spec = graph_spec
    analysis.name, analysis.description = graph_spec.name, graph_spec.description
    _check_format(graph_spec, analysis)
    expansion = expand(graph_spec, limits)
    analysis.diagnostics.extend(expansion.diagnostics)
    if expansion.aborted:  # a partial graph would only add noise and cost time
        return _place(analysis)
    analysis.blocks = expansion.blocks
    results = _build_results(expansion, registry, analysis)
    _build_graph(results, expansion, analysis, graph_spec)
    _propagate(analysis, limits, registry)
    _check_totals(analysis, limits)
    _warn_unused(analysis)
    return _place(analysis)


class _StructureErrors(Exception):
    def __init__(self, diagnostics: list[Diagnostic], source: Source | None):
        self.diagnostics, self.source = diagnostics, source


def _load(spec: Any, limits: Limits, source: Source | None) -> tuple[GraphSpec, Source | None]:
    if isinstance(spec, GraphSpec):
        return spec, source
    if isinstance(spec, Path) or (isinstance(spec, str) and not spec.lstrip().startswith(("{", "["))):
        source = read_source(spec, limits)
        data = parse_json(source, limits)
    elif isinstance(spec, str):
        source = Source(text=spec)
        data = parse_json(source, limits)
    else:
        data = spec
        check_depth(data, limits)
    return validate_structure(data, source), source


def validate_structure(data: Any, source: Source | None = None) -> GraphSpec:
    """Validate parsed JSON as a GraphSpec, raising _StructureErrors with diagnostics."""
    if not isinstance(data, dict):
        raise _StructureErrors([Diagnostic(
            Code.BAD_STRUCTURE,
            "A spec must be a JSON object with `layers` (and usually `inputs`). "
            f"Received: a JSON {_json_kind(data)}.",
            hint='start from `{"format": "layergraph/1", "inputs": [...], "layers": [...]}`')], source)
    try:
        return GraphSpec.model_validate(data)
    except ValidationError as exc:
        diagnostics = pydantic_diagnostics(exc, data=data, known_fields=_TOP_LEVEL_KEYS)
        raise _StructureErrors(diagnostics, source) from None
    except RecursionError:
        raise _StructureErrors([Diagnostic(Code.NESTING_TOO_DEEP, "The spec is nested too deeply.")],
                               source) from None


_TOP_LEVEL_KEYS = ["$schema", "format", "name", "description", "inputs", "blocks", "layers", "outputs"]


def _json_kind(data: Any) -> str:
    return {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(data), "number")


def _check_format(spec: GraphSpec, analysis: Analysis) -> None:
    if spec.format != FORMAT:
        analysis.diagnostics.append(Diagnostic(
            Code.UNSUPPORTED_FORMAT,
            f"Unsupported spec format: expected {FORMAT!r}. Received: format={spec.format!r}.",
            pointer="/format", hint=f'use "format": "{FORMAT}"'))


def _build_results(expansion, registry: Registry, analysis: Analysis) -> dict[str, LayerResult]:
    """One LayerResult per unique name, with type and parameters checked."""
    results: dict[str, LayerResult] = {}
    for node in expansion.layers:
        if node.name in results:
            analysis.diagnostics.append(_duplicate(node))
            continue
        result = LayerResult(name=node.name, type=node.type, inputs=node.inputs,
                             raw_params=node.params, pointer=node.pointer,
                             description=node.description, block=node.block,
                             explicit_inputs=node.explicit_inputs)
        _check_type(result, registry)
        if result.layer_type and result.layer_type.max_inputs == 0 and not node.explicit_inputs:
            result.inputs = []
        results[node.name] = result
        analysis.diagnostics.extend(result.diagnostics)
    return results


def _duplicate(node) -> Diagnostic:
    if node.named:
        received = f"a second layer named '{node.name}'"
        hint = "rename one of them (references follow the first)"
    else:  # an unnamed layer whose Keras-style name is taken, as Keras would refuse too
        received = f"an unnamed {node.type} layer, named '{node.name}' automatically"
        hint = "give this layer a `name`"
    return Diagnostic(
        Code.DUPLICATE_NAME,
        f"Duplicate layer name '{node.name}': layer names must be unique. Received: {received}.",
        layer=node.name, pointer=node.pointer + ("/name" if node.named and not node.block else ""),
        hint=hint)


def _check_type(result: LayerResult, registry: Registry) -> None:
    layer_type = registry.get(result.type)
    if layer_type is None:
        failure = registry.failures.get(result.type)
        result.diagnostics.append(Diagnostic(
            Code.PLUGIN_FAILED if failure else Code.UNKNOWN_TYPE,
            failure or f"Unknown layer type '{result.type}': expected a registered Keras layer "
                       f"class name. Received: type={result.type!r}.",
            layer=result.name, pointer=result.pointer + "/type",
            hint=did_you_mean(result.type, registry.names())
            or "run `layergraph layers` to list types; others come from plugins"))
        return
    result.layer_type = layer_type
    result.params, problems = validate_params(
        layer_type.Params, result.raw_params, result.pointer, result.name, result.type)
    result.diagnostics.extend(problems)


def _build_graph(results, expansion, analysis: Analysis, spec: GraphSpec) -> None:
    order = {name: i for i, name in enumerate(results)}
    for result in results.values():
        result.inputs = [expansion.resolve(ref) for ref in result.inputs]
        for position, ref in enumerate(result.inputs):
            if ref not in results:
                _report(analysis, result, Code.DANGLING_INPUT,
                        f"Layer '{result.name}' takes input from '{ref}', which does not exist: "
                        f"expected the name of a layer, input or block instance. Received: '{ref}'.",
                        result.pointer + "/inputs" + (f"/{position}" if not result.block else ""),
                        did_you_mean(ref, list(results) + list(expansion.aliases)))
        _check_arity(result, analysis)
    inputs = {name: result.inputs for name, result in results.items()}
    _check_cycles(analysis, results, inputs, order)
    analysis.layers = {name: results[name] for name in _topological_order(analysis, inputs, order)}
    analysis.inputs = [n for n, r in analysis.layers.items() if r.type == "InputLayer"]
    _resolve_outputs(analysis, spec, expansion, results)


def _report(analysis: Analysis, result: LayerResult, code: Code, message: str, pointer: str,
            hint: str | None = None) -> None:
    diagnostic = Diagnostic(code, message, layer=result.name, pointer=pointer, hint=hint)
    result.diagnostics.append(diagnostic)
    analysis.diagnostics.append(diagnostic)


def _check_arity(result: LayerResult, analysis: Analysis) -> None:
    layer_type = result.layer_type
    if layer_type is None:
        return
    count, low, high = len(result.inputs), layer_type.min_inputs, layer_type.max_inputs
    if count < low or (high is not None and count > high):
        expected = str(low) if low == high else (f"at least {low}" if high is None else f"{low} to {high}")
        hint = "list the branches to merge in `inputs`" if low >= 2 else None
        _report(analysis, result, Code.WRONG_ARITY,
                f"Wrong number of inputs for {result.type} layer '{result.name}': expected "
                f"{expected}. Received: {count} ({', '.join(result.inputs) or 'none'}).",
                result.pointer + ("/inputs" if result.explicit_inputs and not result.block else ""),
                hint)


def _check_cycles(analysis: Analysis, results, inputs, order: dict[str, int]) -> None:
    if in_spec_order(inputs, order) or len(topological_order(inputs, order, set())) == len(inputs):
        return
    graph = to_networkx(inputs)  # a cycle is rare: NetworkX explains it
    import networkx as nx

    for component in nx.strongly_connected_components(graph):
        if len(component) == 1 and not graph.has_edge(*(2 * tuple(component))):
            continue
        first = min(component, key=order.__getitem__)
        cycle = [u for u, _ in nx.find_cycle(graph.subgraph(component), source=first)]
        path = " → ".join(cycle + [cycle[0]])
        diagnostic = Diagnostic(
            Code.CYCLE, f"The graph has a cycle: layers may not depend on themselves. Received: {path}.",
            layer=first, pointer=results[first].pointer + ("/inputs" if not results[first].block else ""),
            hint="a layer's `inputs` must name layers before it in the data flow")
        diagnostic.extra["cycle"] = cycle
        analysis.diagnostics.append(diagnostic)
        for name in component:
            results[name].diagnostics.append(diagnostic)
        analysis.cyclic.update(component)


def _topological_order(analysis: Analysis, inputs, order: dict[str, int]) -> list[str]:
    """Spec order where possible; layers on cycles keep their spec position at the end."""
    cyclic = analysis.cyclic
    if not cyclic and in_spec_order(inputs, order):
        return list(inputs)  # the common case: every layer comes after its inputs
    ordered = topological_order(inputs, order, cyclic)
    return ordered + sorted(cyclic, key=order.__getitem__)


def _resolve_outputs(analysis: Analysis, spec: GraphSpec, expansion, results) -> None:
    if spec.outputs is None:
        last = list(results)[-1:] if results else []
        analysis.outputs = last
        return
    for i, ref in enumerate(spec.outputs):
        name = expansion.resolve(ref)
        if name in results:
            analysis.outputs.append(name)
        else:
            analysis.diagnostics.append(Diagnostic(
                Code.UNKNOWN_OUTPUT,
                f"Output '{ref}' is not a layer of the graph: expected a layer or block instance "
                f"name. Received: '{ref}'.", pointer=pointer_join("outputs", i),
                hint=did_you_mean(ref, list(results) + list(expansion.aliases))))


def _propagate(analysis: Analysis, limits: Limits, registry: Registry) -> None:
    """Shapes, parameter and MAC counts in topological order; unknown past an error."""
    cyclic = analysis.cyclic
    for result in analysis.layers.values():
        if result.name in cyclic or result.params is None or any(
                d.is_error for d in result.diagnostics):
            continue
        shapes = [analysis.layers[i].output_shape if i in analysis.layers else None
                  for i in result.inputs]
        if any(s is None for s in shapes):
            continue  # an upstream layer failed; this one is unknown, not wrong
        _analyse_layer(result, shapes, analysis, limits, registry)


_SHAPE_CODES = {"mismatch": Code.SHAPE_MISMATCH, "non_positive": Code.NON_POSITIVE_SIZE}


def _analyse_layer(result: LayerResult, shapes, analysis: Analysis, limits: Limits,
                   registry: Registry) -> None:
    layer_type, p = result.layer_type, result.params
    try:
        shape = tuple(layer_type.output_shape(p, shapes))
        _check_tensor_size(result, shape, limits)
        counts = layer_type.count_params(p, shapes)
        macs = layer_type.count_macs(p, shapes, shape)
    except ShapeError as exc:
        _report(analysis, result, _SHAPE_CODES.get(exc.kind, Code.INVALID_SHAPE), str(exc),
                result.pointer, exc.hint)
        return
    except _LimitError as exc:
        _report(analysis, result, Code.LIMIT_EXCEEDED, str(exc), result.pointer, exc.hint)
        return
    except Exception as exc:  # a rule's own bug must not end the check of the user's file
        _report_rule_crash(analysis, result, registry.origins.get(result.type, "unknown"), exc)
        return
    result.output_shape = shape
    result.trainable_params, result.non_trainable_params = counts.trainable, counts.non_trainable
    result.macs = macs


def _report_rule_crash(analysis: Analysis, result: LayerResult, origin: str, exc: Exception) -> None:
    error = f"{type(exc).__name__}: {exc}"
    if origin == "layergraph":
        _report(analysis, result, Code.INTERNAL_ERROR,
                f"Internal error in layergraph's rules for {result.type}: {error}. "
                "The layer is left unknown.", result.pointer,
                "this is a bug in layergraph; please report it with the spec")
    else:
        _report(analysis, result, Code.PLUGIN_FAILED,
                f"The rules of layer type {result.type} from plugin {origin!r} failed: {error}. "
                "The layer is left unknown.", result.pointer,
                f"report it to the authors of {origin!r}")


class _LimitError(Exception):
    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


def _check_tensor_size(result: LayerResult, shape, limits: Limits) -> None:
    if any(d is not None and d <= 0 for d in shape):
        raise ShapeError(f"Output of layer '{result.name}' would have a zero or negative size. "
                         f"Received: output shape {shape}.", kind="non_positive")
    largest = max((d for d in shape if d is not None), default=0)
    elements = 1
    for d in shape:
        elements *= d or 1
    if largest > limits.max_dimension or elements > limits.max_tensor_elements:
        raise _LimitError(
            f"Output of layer '{result.name}' is too large: at most {limits.max_dimension:,} per "
            f"axis and {limits.max_tensor_elements:,} elements per sample. Received: output shape "
            f"{shape}.", "raise LAYERGRAPH_MAX_DIMENSION / LAYERGRAPH_MAX_TENSOR_ELEMENTS if intended")


def _check_totals(analysis: Analysis, limits: Limits) -> None:
    """Refuse models too large to allocate, naming the layers that make them so."""
    total = analysis.total_params
    if total <= limits.max_total_params:
        return
    biggest = max(analysis.layers.values(), key=lambda r: r.param_count or 0)
    _report(analysis, biggest, Code.LIMIT_EXCEEDED,
            f"The model is too large: at most {limits.max_total_params:,} parameters are accepted. "
            f"Received: {total:,} parameters, {biggest.param_count:,} of them in layer "
            f"'{biggest.name}' ({biggest.type}).",
            biggest.pointer, "reduce units/filters or raise LAYERGRAPH_MAX_TOTAL_PARAMS")


def _warn_unused(analysis: Analysis) -> None:
    broken_wiring = {Code.DANGLING_INPUT, Code.UNKNOWN_OUTPUT, Code.CYCLE}
    if not analysis.outputs or any(d.code in broken_wiring for d in analysis.diagnostics):
        return  # the wiring itself is wrong; "unused" would only repeat that
    needed = ancestors({name: r.inputs for name, r in analysis.layers.items()}, analysis.outputs)
    for name, result in analysis.layers.items():
        if name not in needed:
            analysis.diagnostics.append(Diagnostic(
                Code.UNUSED_LAYER,
                f"Layer '{name}' does not contribute to any output: Keras would drop it. "
                f"Received: outputs {analysis.outputs}.",
                severity=Severity.WARNING, layer=name, pointer=result.pointer,
                hint="connect it, list it in `outputs`, or remove it"))


def _place(analysis: Analysis) -> Analysis:
    if analysis.source is not None:
        for diagnostic in analysis.diagnostics:
            analysis.source.place(diagnostic)
    return analysis
