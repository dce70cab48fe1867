"""The analysis: what layergraph knows about a spec after checking it.

This object is what every front end consumes: the summary, the diagrams, the
Keras emitter and the editor. Shapes exclude the batch axis. Where a layer could
not be analysed its shape and counts are ``None`` and the totals are marked
incomplete (like MATLAB's analyzeNetwork reporting NaN) instead of being wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from ..diagnostics import Diagnostic, Severity
from ..jsonsource import Source
from ..registry import LayerType, Shape
from ..spec import GraphSpec

if TYPE_CHECKING:
    import networkx as nx

    from .expand import BlockInstance  # expand builds LayerResults: it imports this module

DTYPE_BYTES = {"float16": 2, "bfloat16": 2, "float32": 4, "float64": 8, "int8": 1, "uint8": 1}


class TensorRef(NamedTuple):
    """One tensor a layer reads: output ``index`` of ``layer``, passed positionally
    (``argument`` None) or as the keyword ``argument`` of the call (``initial_state``).

    Immutable and hashable; a named tuple rather than a frozen dataclass because every
    input of every layer makes one, and a frozen dataclass takes three times as long to build.
    """

    layer: str
    index: int = 0
    argument: str | None = None


@dataclass(slots=True)  # one per layer: slots make it smaller and quicker to build and read
class LayerResult:
    """One layer of the analysed graph.

    The expansion makes one per expanded layer; the checking passes then fill in its
    type, parameters, inputs, shapes and counts.
    """

    name: str
    type: str
    inputs: list[str]  # every layer it reads from: positional inputs, then keyword tensors
    raw_params: dict[str, Any]
    pointer: str
    description: str | None = None
    block: str | None = None
    explicit_inputs: bool = True  # False when `inputs` was left out (the previous layer)
    named: bool = True  # False when the name was made up (Keras-style) rather than written
    layer_type: type[LayerType] | None = None
    params: Any = None  # the validated parameter model, None if invalid
    output_shape: Shape | None = None  # the first output's shape
    output_shapes: list[Shape] | None = None  # every output's shape (one for most layers)
    refs: list[TensorRef] = field(default_factory=list)  # the tensors behind `inputs`
    call: dict[str, str | list[str]] = field(default_factory=dict)  # keyword tensors as written
    trainable: bool = True  # False: frozen, its weights count as non-trainable
    # Another call of layer `shares`: same weights, so its parameters are counted there (0
    # here) while its MACs, made by this call, are its own.
    shares: str | None = None
    trainable_params: int | None = None
    non_trainable_params: int | None = None
    macs: int | None = None
    receptive_field: Any = None  # a receptive_field.ReceptiveField once shapes are known
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Analysed completely and without errors."""
        return self.output_shape is not None and not any(d.is_error for d in self.diagnostics)

    @property
    def param_count(self) -> int | None:
        if self.trainable_params is None:
            return None
        return self.trainable_params + (self.non_trainable_params or 0)

    @property
    def family(self) -> str:
        return self.layer_type.family if self.layer_type else "unknown"

    @property
    def positional(self) -> list[TensorRef]:
        """The tensors passed positionally (what the arity and ``output_shape`` see)."""
        return [ref for ref in self.refs if ref.argument is None]

    def input_labels(self) -> list[str]:
        """What it reads, as a spec writes it: ``tgt``, ``initial_state=enc:1`` (an output
        index only for layers with several outputs)."""
        labels = []
        for ref in self.refs or [TensorRef(name) for name in self.inputs]:
            text = ref.layer + (f":{ref.index}" if ref.index else "")
            labels.append(f"{ref.argument}={text}" if ref.argument else text)
        return labels

    def describe(self) -> str:
        """Compact hyper-parameters (``11×11 /4, 96``), or '' when unknown."""
        if self.layer_type is None or self.params is None:
            return ""
        return self.layer_type.describe(self.params)


@dataclass
class Analysis:
    """The result of checking a spec: layers in topological order, totals, diagnostics."""

    name: str = "model"
    description: str | None = None
    spec: GraphSpec | None = None
    source: Source | None = None
    layers: dict[str, LayerResult] = field(default_factory=dict)
    inputs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    output_refs: list[TensorRef] = field(default_factory=list)  # which output of each
    blocks: list[BlockInstance] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    receptive_fields_done: bool = False  # computed on demand: receptive_field.ensure()
    cyclic: set[str] = field(default_factory=set)  # layers on a cycle (left unknown)
    _graph: "nx.DiGraph | None" = field(default=None, init=False, repr=False, compare=False)
    _consumers: dict[str, list[str]] | None = field(default=None, init=False, repr=False,
                                                    compare=False)

    @property
    def graph(self) -> "nx.DiGraph":
        """The layer graph as a NetworkX DiGraph, built on first use (NetworkX imports slowly)."""
        if self._graph is None:
            from .ordering import to_networkx

            self._graph = to_networkx({name: r.inputs for name, r in self.layers.items()})
            self._graph.graph["cyclic"] = self.cyclic
        return self._graph

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    @property
    def complete(self) -> bool:
        """True when every layer's shape and counts are known, so the totals are exact.

        Any error makes it False: an item the expansion had to skip (a bad
        ``repeat``, a block use with bad arguments, a duplicate) is missing from
        ``layers`` altogether, so the totals would silently leave it out.
        """
        return bool(self.layers) and not self.errors and all(r.ok for r in self.layers.values())

    def _sum(self, attribute: str) -> int:
        # Unknown counts (None) add nothing; map and filter keep the loop out of Python.
        return sum(filter(None, map(attrgetter(attribute), self.layers.values())))

    @property
    def trainable_params(self) -> int:
        return self._sum("trainable_params")

    @property
    def non_trainable_params(self) -> int:
        return self._sum("non_trainable_params")

    @property
    def total_params(self) -> int:
        return self.trainable_params + self.non_trainable_params

    @property
    def total_macs(self) -> int:
        return self._sum("macs")

    def activation_elements(self) -> int:
        """Elements of every layer's output for one sample (inputs included)."""
        total = 0
        for result in self.layers.values():
            if result.output_shape is not None:
                size = 1
                for d in result.output_shape:
                    size *= d or 1
                total += size
        return total

    def memory_bytes(self, batch_size: int = 1, dtype: str = "float32") -> dict[str, int]:
        """Rough memory estimate: weights, and activations of a forward pass."""
        width = DTYPE_BYTES.get(dtype, 4)
        return {"weights": self.total_params * width,
                "activations": self.activation_elements() * batch_size * width}

    def layer(self, name: str) -> LayerResult:
        return self.layers[name]

    def predecessors(self, name: str) -> list[str]:
        return list(self.layers[name].inputs)

    def consumers(self, name: str) -> list[str]:
        if self._consumers is None:  # built once, on first use: edges in the layers' order
            self._consumers = {n: [] for n in self.layers}
            for n, result in self.layers.items():
                for ref in dict.fromkeys(result.inputs):
                    if ref in self._consumers:
                        self._consumers[ref].append(n)
        return list(self._consumers.get(name, ()))

    def _repr_html_(self) -> str:
        """Jupyter display: the summary table and the diagram as self-sizing SVG."""
        from ..render.notebook import analysis_html

        return analysis_html(self)
