"""The checking passes, run in order on one spec; each adds diagnostics and goes on.

load → structure → expand blocks → names → types → parameters → graph (references,
arity, cycles, outputs) → shapes and counts → limits → unused layers.
A failing layer makes its dependants "unknown" instead of stopping the run.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from operator import attrgetter
from pathlib import Path
from typing import Any, Iterator

from pydantic import ValidationError

from ..diagnostics import Code, Diagnostic, Severity, did_you_mean, pointer_join
from ..fmt import fmt_shape
from ..layers.keras_catalogue import keras_type_hint
from ..jsonsource import Source, SpecLoadError, check_depth, parse_json, read_source
from ..limits import Limits
from ..registry import ParamCount, Registry, ShapeError, get_registry
from ..spec import FORMAT, GraphSpec, split_reference
from .analysis import Analysis, LayerResult, TensorRef
from .expand import expand
from .ordering import ancestors_in_order, in_spec_order, to_networkx, topological_order
from .params import apply_overrides
from .validation import (check_unexpanded_blocks, notes, pydantic_diagnostics, rank_hint,
                         validate_params)

def analyze(spec: Any, *, limits: Limits | None = None, registry: Registry | None = None,
            source: Source | None = None, params: dict[str, Any] | None = None) -> Analysis:
    """Check a spec (a path, JSON text, a dict or a GraphSpec) and return its Analysis.

    ``params`` overrides the spec's declared parameters (``{"width": 128}``).
    Never raises for bad input: every problem becomes a diagnostic.
    """
    with _collector_paused():
        return _analyze(spec, limits, registry, source, params)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while an analysis builds its objects.

    An analysis allocates millions of small objects that live until it returns, and each
    collection walks every one of them again: a quarter of the time at 100k layers, and
    the reason the cost per layer grew with the graph. The analysis makes no garbage
    cycles to collect; reference counting frees what it drops. The collector's state is
    restored, not forced on (a caller, or another thread's analysis, may have paused it).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _analyze(spec: Any, limits: Limits | None, registry: Registry | None, source: Source | None,
             params: dict[str, Any] | None) -> Analysis:
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
    if params:
        graph_spec, rejected = apply_overrides(graph_spec, params)
        analysis.diagnostics.extend(rejected)
    analysis.spec = graph_spec
    analysis.name, analysis.description = graph_spec.name, graph_spec.description
    _check_format(graph_spec, analysis)
    expansion = expand(graph_spec, limits)
    analysis.diagnostics.extend(expansion.diagnostics)
    analysis.diagnostics.extend(check_unexpanded_blocks(graph_spec, expansion, registry))
    if expansion.aborted:  # a partial graph would only add noise and cost time
        return _place(analysis)
    analysis.blocks = expansion.blocks
    results = _build_results(expansion, registry, analysis)
    _build_graph(results, expansion, analysis, graph_spec)
    _propagate(analysis, limits, registry)
    analysis.diagnostics.extend(notes(analysis))
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


_TOP_LEVEL_KEYS = ["$schema", "format", "name", "description", "params", "inputs", "blocks", "layers",
                   "outputs"]


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
    """The expansion's LayerResults by name (the first of each name), type and parameters checked."""
    results: dict[str, LayerResult] = {}
    for result in expansion.layers:
        if result.name in results:
            analysis.diagnostics.append(_duplicate(result))
            if result.pointer != results[result.name].pointer:  # its own type and values too
                _check_type(result, registry)
                analysis.diagnostics.extend(result.diagnostics)
            continue
        if result.shares in results:  # the shared layer's type and parameters, checked there
            original = results[result.shares]
            result.layer_type, result.params = original.layer_type, original.params
        else:
            _check_type(result, registry)
        if result.call:
            _check_call_arguments(result)
        if result.layer_type and result.layer_type.max_inputs == 0 and not result.explicit_inputs:
            result.inputs = []
        results[result.name] = result
        if result.diagnostics:
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
            hint=keras_type_hint(result.type, registry.types.keys())
            or did_you_mean(result.type, registry.names())
            or "run `layergraph layers` to list types; others come from plugins"))
        return
    result.layer_type = layer_type
    result.params, problems = validate_params(
        layer_type.Params, result.raw_params, result.pointer, result.name, result.type)
    if problems:
        result.diagnostics.extend(problems)


def _check_call_arguments(result: LayerResult) -> None:
    """Keyword tensors in `call` must be ones the layer type's call takes."""
    if result.layer_type is None:
        return
    accepted = result.layer_type.call_arguments
    for argument in result.call:
        if argument not in accepted:
            result.diagnostics.append(Diagnostic(
                Code.UNKNOWN_CALL_ARGUMENT,
                f"Unknown call argument `{argument}` for {result.type} layer '{result.name}': "
                f"expected {('one of ' + ', '.join(accepted)) if accepted else 'none'}. "
                f"Received: call={{{argument!r}: ...}}.",
                layer=result.name, pointer=result.pointer + "/call" + (
                    pointer_join(argument) if not result.block else ""),
                hint=did_you_mean(argument, accepted) or (
                    "pass the tensors in `inputs`" if not accepted else None)))


def _build_graph(results, expansion, analysis: Analysis, spec: GraphSpec) -> None:
    order = dict(zip(results, range(len(results))))  # position in the spec, built in C
    # Most references are a layer's own name (one that is no alias as well): their tensor is
    # that layer's first output, with no resolving and no pointer for a report to build.
    aliases = expansion.aliases
    direct = results.keys() - aliases.keys() if aliases else results
    for result in results.values():
        refs = result.refs = [TensorRef(ref) if ref in direct else _input_ref(
            ref, None, ("inputs", i), result, results, expansion, analysis)
            for i, ref in enumerate(result.inputs)]
        for argument, value in result.call.items():
            if isinstance(value, str):
                refs.append(_input_ref(value, argument, ("call", argument), result, results,
                                       expansion, analysis))
            else:
                refs += [_input_ref(ref, argument, ("call", argument, i), result, results,
                                    expansion, analysis) for i, ref in enumerate(value)]
        result.inputs = [tensor.layer for tensor in refs]
        _check_arity(result, analysis)
    # A shared call comes after the call that holds the weights (built and counted first).
    inputs = dict(zip(results, map(attrgetter("inputs"), results.values())))
    for result in [r for r in results.values() if r.shares in results]:
        inputs[result.name] = result.inputs + [result.shares]
    if _check_cycles(analysis, results, inputs, order):
        analysis.layers = results  # the common case: every layer comes after its inputs
    else:
        analysis.layers = {name: results[name]
                           for name in _topological_order(analysis, inputs, order)}
    analysis.inputs = [n for n, r in analysis.layers.items() if r.type == "InputLayer"]
    _resolve_outputs(analysis, spec, expansion, results)


def _input_ref(ref: str, argument: str | None, where: tuple, result: LayerResult, results,
               expansion, analysis: Analysis) -> TensorRef:
    """The tensor one written input names, reporting a reference that names none.

    ``where`` (the parts of the input's pointer) is joined only for a report.
    """
    tensor, problem = _tensor_ref(ref, argument, results, expansion)
    if problem:
        code, message, hint = problem
        _report(analysis, result, code, f"Layer '{result.name}' takes input from '{ref}', {message}",
                result.pointer + (pointer_join(*where) if not result.block else ""), hint)
    return tensor


def _tensor_ref(ref: str, argument: str | None, results, expansion):
    """The tensor a reference names, and (code, message tail, hint) if it names none.

    An exact layer name wins, so names containing ':' keep working; otherwise
    ``"enc:1"`` / ``"enc:state_h"`` picks one output of layer (or block instance) ``enc``.
    """
    name = expansion.resolve(ref)
    if name in results:
        return TensorRef(name, 0, argument), None
    base, port = split_reference(ref)
    producer = results.get(expansion.resolve(base)) if port is not None else None
    if producer is None:
        return TensorRef(name, 0, argument), (
            Code.DANGLING_INPUT,
            "which does not exist: expected the name of a layer, input or block instance"
            f"{' (or layer:output)' if port is not None else ''}. Received: '{ref}'.",
            did_you_mean(ref, list(results) + list(expansion.aliases)))
    names = _output_names(producer)
    index = _output_index(port, names)
    if index is None:
        listed = ", ".join(f"{i} ({n})" for i, n in enumerate(names))
        return TensorRef(producer.name, -1, argument), (
            Code.NO_SUCH_OUTPUT,
            f"but {producer.type} layer '{producer.name}' has no output {port!r}: expected one of "
            f"its {len(names)} output{'s' if len(names) != 1 else ''} [{listed}]. Received: '{ref}'.",
            "set return_state=True for an RNN's states" if producer.type in _RNN_HINT else
            did_you_mean(port, names))
    return TensorRef(producer.name, index, argument), None


_RNN_HINT = {"LSTM", "GRU", "SimpleRNN", "Bidirectional", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"}


def _output_names(result: LayerResult) -> tuple[str, ...]:
    if result.layer_type is None or result.params is None:
        return ()  # unknown type or bad parameters: already reported; any index passes
    return tuple(result.layer_type.output_names(result.params))


def _output_index(port: str, names: tuple[str, ...]) -> int | None:
    if port.isdigit():
        index = int(port)
        return index if not names or index < len(names) else None
    if not names:
        return 0
    return names.index(port) if port in names else None


def _report(analysis: Analysis, result: LayerResult, code: Code, message: str, pointer: str,
            hint: str | None = None) -> None:
    diagnostic = Diagnostic(code, message, layer=result.name, pointer=pointer, hint=hint)
    result.diagnostics.append(diagnostic)
    analysis.diagnostics.append(diagnostic)


def _check_arity(result: LayerResult, analysis: Analysis) -> None:
    layer_type = result.layer_type
    if layer_type is None:
        return
    count = len(result.refs) if not result.call else len(result.positional)
    low, high = layer_type.min_inputs, layer_type.max_inputs
    if count < low or (high is not None and count > high):
        positional = [ref.layer for ref in result.positional]
        expected = str(low) if low == high else (f"at least {low}" if high is None else f"{low} to {high}")
        hint = "list the branches to merge in `inputs`" if low >= 2 else None
        _report(analysis, result, Code.WRONG_ARITY,
                f"Wrong number of inputs for {result.type} layer '{result.name}': expected "
                f"{expected}. Received: {count} ({', '.join(positional) or 'none'}).",
                result.pointer + ("/inputs" if result.explicit_inputs and not result.block else ""),
                hint)


def _check_cycles(analysis: Analysis, results, inputs, order: dict[str, int]) -> bool:
    """Report the cycles; True when every layer already comes after its inputs."""
    if in_spec_order(inputs, order):
        return True
    if len(topological_order(inputs, order, set())) == len(inputs):
        return False
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
    return False


def _topological_order(analysis: Analysis, inputs, order: dict[str, int]) -> list[str]:
    """Spec order where possible; layers on cycles keep their spec position at the end."""
    cyclic = analysis.cyclic
    ordered = topological_order(inputs, order, cyclic)
    return ordered + sorted(cyclic, key=order.__getitem__)


def _resolve_outputs(analysis: Analysis, spec: GraphSpec, expansion, results) -> None:
    if spec.outputs is None:
        last = list(results)[-1:] if results else []
        analysis.outputs = last
        analysis.output_refs = [TensorRef(name) for name in last]
        return
    for i, ref in enumerate(spec.outputs):
        tensor, problem = _tensor_ref(ref, None, results, expansion)
        if problem is None:
            analysis.outputs.append(tensor.layer)
            analysis.output_refs.append(tensor)
        elif problem[0] is Code.NO_SUCH_OUTPUT:
            analysis.diagnostics.append(Diagnostic(
                Code.NO_SUCH_OUTPUT, f"Output '{ref}' names no tensor of the graph, {problem[1]}",
                pointer=pointer_join("outputs", i), hint=problem[2]))
        else:
            analysis.diagnostics.append(Diagnostic(
                Code.UNKNOWN_OUTPUT,
                f"Output '{ref}' is not a layer of the graph: expected a layer or block instance "
                f"name. Received: '{ref}'.", pointer=pointer_join("outputs", i),
                hint=did_you_mean(ref, list(results) + list(expansion.aliases))))


def _propagate(analysis: Analysis, limits: Limits, registry: Registry) -> None:
    """Shapes, parameter and MAC counts in topological order; unknown past an error."""
    cyclic, layers = analysis.cyclic, analysis.layers
    for result in layers.values():
        if result.params is None or (cyclic and result.name in cyclic) or (
                result.diagnostics and any(d.is_error for d in result.diagnostics)):
            continue
        shapes = [_shape_of(layers, ref) for ref in result.refs]
        if None in shapes:
            continue  # an upstream layer failed; this one is unknown, not wrong
        call_shapes: dict[str, list] = {}
        if result.call:  # keyword tensors: set apart from the positional inputs
            for ref, shape in zip(result.refs, shapes):
                if ref.argument is not None:
                    call_shapes.setdefault(ref.argument, []).append(shape)
            shapes = [s for ref, s in zip(result.refs, shapes) if ref.argument is None]
        _analyse_layer(result, shapes, call_shapes, analysis, limits, registry)


def _shape_of(layers: dict[str, LayerResult], ref: TensorRef):
    """The shape of one tensor, None when unknown (or the output does not exist)."""
    producer = layers.get(ref.layer)
    if producer is None or producer.output_shapes is None or not 0 <= ref.index < len(
            producer.output_shapes):
        return None
    return producer.output_shapes[ref.index]


_SHAPE_CODES = {"mismatch": Code.SHAPE_MISMATCH, "non_positive": Code.NON_POSITIVE_SIZE,
                "share": Code.BAD_SHARE}


def _analyse_layer(result: LayerResult, shapes, call_shapes, analysis: Analysis, limits: Limits,
                   registry: Registry) -> None:
    layer_type, p = result.layer_type, result.params
    try:
        outputs = [tuple(s) for s in layer_type.output_shapes(p, shapes, call_shapes)]
        for output in outputs:
            _check_tensor_size(result, output, limits)
        shape = outputs[0]
        counts = layer_type.count_params(p, shapes)
        if result.shares:
            counts = _shared_counts(result, counts, shapes, analysis)
        elif not result.trainable:  # frozen: every weight is non-trainable, as in Keras
            counts = ParamCount(0, counts.total)
        macs = layer_type.count_macs(p, shapes, shape)
    except ShapeError as exc:
        hint = "wrong rank" in str(exc) and rank_hint(
            layer_type, p, shapes, [analysis.layers[i] for i in result.inputs])
        _report(analysis, result, _SHAPE_CODES.get(exc.kind, Code.INVALID_SHAPE), str(exc),
                result.pointer, hint or exc.hint)
        return
    except _LimitError as exc:
        _report(analysis, result, Code.LIMIT_EXCEEDED, str(exc), result.pointer, exc.hint)
        return
    except Exception as exc:  # a rule's own bug must not end the check of the user's file
        _report_rule_crash(analysis, result, registry.origins.get(result.type, "unknown"), exc)
        return
    result.output_shape, result.output_shapes = shape, outputs
    result.trainable_params, result.non_trainable_params = counts.trainable, counts.non_trainable
    result.macs = macs


def _shared_counts(result: LayerResult, counts: ParamCount, shapes, analysis: Analysis) -> ParamCount:
    """A shared call adds no weights; its input must fit the weights the first call made
    (Keras builds them on the first call), which the same parameter count shows."""
    original = analysis.layers.get(result.shares)
    if original is not None and original.param_count is not None and counts.total != original.param_count:
        original_shapes = [_shape_of(analysis.layers, ref) for ref in original.positional]
        raise ShapeError(
            f"Layer '{result.name}' calls the weights of {result.type} layer '{original.name}' "
            f"(built for input {', '.join(map(fmt_shape, original_shapes))}) on input "
            f"{', '.join(map(fmt_shape, shapes))}: those weights do not fit "
            f"({counts.total:,} parameters needed, {original.param_count:,} shared). "
            f"Received: shares={result.shares!r}.",
            hint="give both calls inputs of the same size, or use two layers", kind="share")
    return ParamCount(0, 0)


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
    # One loop over the axes: every output of every layer passes here.
    largest, elements, positive = 0, 1, True
    for d in shape:
        if d is not None:
            if d <= 0:
                positive = False
            if d > largest:
                largest = d
            elements *= d or 1
    if not positive:
        raise ShapeError(f"Output of layer '{result.name}' would have a zero or negative size. "
                         f"Received: output shape {shape}.", kind="non_positive")
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
    # No cycle here (that is broken wiring), so the layers are in topological order.
    layers = analysis.layers
    needed = ancestors_in_order(dict(zip(layers, map(attrgetter("inputs"), layers.values()))),
                                analysis.outputs)
    for name in [name for name in layers if name not in needed]:  # usually none
        result = layers[name]
        analysis.diagnostics.append(Diagnostic(
            Code.UNUSED_LAYER,
            f"Layer '{name}' does not contribute to any output: Keras would drop it. "
            f"Received: outputs {analysis.outputs}.",
            severity=Severity.WARNING, layer=name, pointer=result.pointer,
            hint="connect it, list it in `outputs`, or remove it"))


def _place(analysis: Analysis) -> Analysis:
    place_diagnostics(analysis)
    return analysis


def place_diagnostics(analysis: Analysis) -> None:
    """Give diagnostics their file positions and put them in file order."""
    if analysis.source is not None:
        for diagnostic in analysis.diagnostics:
            analysis.source.place(diagnostic)
        analysis.diagnostics.sort(key=lambda d: (d.line is None, d.line or 0, d.column or 0))
