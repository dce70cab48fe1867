"""Turn a serialized Keras model (the ``config.json`` of a ``.keras`` file, or
``serialize_keras_object(model)``) into spec data.

This module never imports Keras and never deserializes anything: it reads plain
JSON data, so no code from a model file can run. Every layer that cannot be
represented is collected and reported together, by name, with the reason.

A nested model (a Functional or Sequential model used as a layer) becomes a block
named after it and a use of that block; a layer or nested model called again (a
siamese network's tower) becomes a shared call, ``{"name": "<layer>_call2", "shares":
"<layer>", "inputs": [...]}``: the same weights, one Keras layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from ..keras_support import ModelImportError
from ..layers.keras_catalogue import KERAS_LAYER_CLASSES
from ..registry import Registry, get_registry
from ..spec import FORMAT, OUTPUT_SEPARATOR
from .canonical import canonical_params, jsonable

PLUGIN_POINTER = ("register a layergraph LayerType for it under the `layergraph.layers` "
                  "entry point (see README, Plugins)")
# Keras config keys outside a type's parameters that carry no architecture with these
# values (besides None and False, which mean "feature off" for every Keras option).
# data_format="channels_last" is what every layer does without the argument (image
# augmentation layers record it although their constructors do not take it).
_NEUTRAL = {"trainable": True, "autocast": True, "data_format": "channels_last"}
# renorm_momentum only matters with renorm=True; Bidirectional sets its layers'
# zero_output_for_mask itself (to return_sequences).
_IGNORED = {"name", "renorm_momentum", "zero_output_for_mask"}
_MODEL_CLASSES = {"Functional", "Sequential", "Model"}


@dataclass
class Problem:
    """A layer that cannot be represented, and why."""

    layer: str
    type: str
    reason: str

    def __str__(self) -> str:
        return f"'{self.layer}' ({self.type}): {self.reason}"


@dataclass
class Conversion:
    """Spec data built from a model config, with what could not be represented."""

    data: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    recorded_shapes: dict[str, tuple] = field(default_factory=dict)
    # Each layer's inbound layers as the model wires them, for the importer's final check.
    recorded_inputs: dict[str, list[str]] = field(default_factory=dict)


def unsupported_message(model_name: str, problems: list[Problem], per_reason: int = 20) -> str:
    """One line naming each layer that cannot be imported (grouped by reason), and the way out."""
    groups: dict[str, list[Problem]] = {}
    for problem in problems:
        groups.setdefault(problem.reason, []).append(problem)
    parts = []
    for reason, members in groups.items():
        names = ", ".join(f"'{p.layer}' ({p.type})" for p in members[:per_reason])
        more = f" and {len(members) - per_reason} more" if len(members) > per_reason else ""
        parts.append(f"{reason}: {names}{more}")
    noun = "layer" if len(problems) == 1 else "layers"
    return (f"cannot import model '{model_name}': {len(problems)} {noun} cannot be represented "
            f"in a spec. {'; '.join(parts)}. For a custom layer, {PLUGIN_POINTER}.")


def convert_config(serialized: dict, *, registry: Registry | None = None) -> Conversion:
    """Spec data for a serialized Keras model ({"class_name", "config": {...}})."""
    registry = registry or get_registry()
    if not isinstance(serialized, dict) or not isinstance(serialized.get("config"), dict):
        raise ModelImportError("not a serialized Keras model: expected an object with "
                               "`class_name` and `config`")
    config = serialized["config"]
    layers = config.get("layers")
    if not isinstance(layers, list):
        raise ModelImportError(
            f"cannot import a model of class '{serialized.get('class_name')}': only functional "
            "and Sequential models (whose config lists their layers) can be imported")
    converter = _Converter(registry, str(config.get("name") or "model"))
    if serialized.get("class_name") == "Sequential" or "input_layers" not in config:
        converter.sequential(layers, config)
    else:
        converter.functional(layers, config)
    return converter.out


class _Converter:
    def __init__(self, registry: Registry, name: str, blocks: dict | None = None):
        self.registry = registry
        self.out = Conversion(data={"format": FORMAT, "name": name})
        self.inputs: list[dict] = []
        self.layers: list[dict] = []
        self._layer_of: dict[str, str] = {}  # "enc:1" → "enc"
        self._op_types: dict | None = None
        self.blocks: dict[str, dict] = {} if blocks is None else blocks  # shared by nested levels
        self._taken: set[str] = set()  # layer names of this model, so call names do not clash
        self.nested = blocks is not None  # converting a nested model's body into a block
        self.call_order: list[str] = []  # a nested functional model's inputs, as called

    # -- model kinds -----------------------------------------------------------

    def functional(self, layers: list, config: dict) -> None:
        self._taken = {str(e.get("name") or (e.get("config") or {}).get("name"))
                       for e in layers if isinstance(e, dict)}
        for entry in layers:
            if not isinstance(entry, dict):
                raise ModelImportError("malformed model config: a layer entry is not an object")
            name = str(entry.get("name") or (entry.get("config") or {}).get("name"))
            if entry.get("class_name") == "InputLayer":
                self._input(name, entry)
                continue
            if _is_model(entry):
                calls = [self._node_inputs(name, entry, None, node=k)
                         for k in range(len(entry.get("inbound_nodes") or []))]
                self._nested_model(name, entry, calls)
                continue
            layer_type = self._layer_type(name, entry, str(entry.get("class_name")))
            report = layer_type is not None
            calls = [self._node_inputs(name, entry, layer_type, report=report, node=k)
                     for k in range(max(1, len(entry.get("inbound_nodes") or [])))]
            if layer_type is not None:
                self._layer(name, entry, layer_type, calls[0])
                self._shared_calls(name, str(entry.get("class_name")), calls)
        outputs = [self._reference(ref, "model outputs") for ref in _refs(config.get("output_layers"))]
        self._finish(outputs)

    def sequential(self, layers: list, config: dict) -> None:
        previous = None
        for entry in layers:
            if not isinstance(entry, dict):
                raise ModelImportError("malformed model config: a layer entry is not an object")
            name = str((entry.get("config") or {}).get("name") or entry.get("name"))
            if entry.get("class_name") == "InputLayer":
                previous = self._input(name, entry)
                continue
            if previous is None:
                previous = self._implicit_input(entry, config)
            if _is_model(entry):
                self._nested_model(name, entry, [_Call([previous])])
                previous = name
                continue
            layer_type = self._layer_type(name, entry, str(entry.get("class_name")))
            if layer_type is not None:
                self._layer(name, entry, layer_type, _Call([previous]))
            previous = name
        self._finish([previous] if previous else [])

    # -- nested models and shared calls -----------------------------------------

    def _nested_model(self, name: str, entry: dict, calls: list["_Call"]) -> None:
        """A model used as a layer: a block (its body) and a use of it per call, the
        first a block use, the others shared calls of it."""
        block = self._block_of(name, entry)
        if block is None or not calls:
            return
        for k, call in enumerate(calls):
            if call.call or call.params:
                self._problem(name, str(entry.get("class_name")), "a nested model called with "
                              f"arguments a spec cannot hold ({', '.join([*call.call, *call.params])})")
                return
            use = name if k == 0 else self._call_name(name, k)
            item = ({"name": use, "block": block, "inputs": call.inputs} if k == 0 else
                    {"name": use, "shares": name, "inputs": call.inputs})
            self.layers.append(item)
            self._record_block(use, self.blocks[block], call.inputs)

    def _block_of(self, name: str, entry: dict) -> str | None:
        """The block holding a nested model's layers (converted once), or None if it cannot."""
        class_name = str(entry.get("class_name"))
        config = entry.get("config") or {}
        inner = _Converter(self.registry, str(config.get("name") or name), self.blocks)
        # The block's inputs in the order the model is called with (not its config's order).
        inner.call_order = [str(ref[0]) for ref in _refs(config.get("input_layers"))]
        if class_name == "Sequential" or "input_layers" not in config:
            inner.sequential(config.get("layers") or [], config)
        else:
            inner.functional(config.get("layers") or [], config)
        self.out.problems += [p for p in inner.out.problems if p not in self.out.problems]
        self.out.warnings += inner.out.warnings
        outputs = inner.out.data["outputs"]
        if len(outputs) != 1 or OUTPUT_SEPARATOR in outputs[0]:
            self._problem(name, class_name, "nested models with several outputs (a block has one "
                          "output; build the model from their layers)")
            return None
        if inner.out.problems:
            return None
        data = inner.out.data
        block = {"description": f"the layers of nested {class_name} model '{data['name']}'",
                 "inputs": inner.ports(), "layers": data["layers"]}
        if outputs[0] != data["layers"][-1]["name"]:
            block["output"] = outputs[0]
        block_name = data["name"]
        while block_name in self.blocks and self.blocks[block_name]["body"] != block:
            block_name += "_"
        self.blocks[block_name] = {"body": block, "recorded": inner.out}
        return block_name

    def _record_block(self, use: str, block: dict, inputs: list[str]) -> None:
        """The wiring and shapes of a block use's layers (``<use>_<layer>``), for the final check."""
        ports = dict(zip(block["body"]["inputs"], (self._layer_of.get(r, r) for r in inputs)))

        def outer(ref: str) -> str:
            return ports.get(ref, f"{use}_{ref}")
        recorded = block["recorded"]
        for layer, refs in recorded.recorded_inputs.items():
            self.out.recorded_inputs[outer(layer)] = [outer(ref) for ref in refs]
        for ref, shape in recorded.recorded_shapes.items():
            if ref not in ports:
                self.out.recorded_shapes.setdefault(outer(ref), shape)

    def _shared_calls(self, name: str, class_name: str, calls: list["_Call"]) -> None:
        """The second and later calls of a layer: shared calls with the same settings."""
        for k, call in enumerate(calls[1:], start=1):
            if call.params != calls[0].params:
                self._problem(name, class_name, "a shared layer called with other settings "
                              f"({call.params} instead of {calls[0].params})")
                continue
            item = {"name": self._call_name(name, k), "shares": name, "inputs": call.inputs}
            if call.call:
                item["call"] = call.call
            self.layers.append(item)
            keyword = [ref for refs in call.call.values()
                       for ref in ([refs] if isinstance(refs, str) else refs)]
            self.out.recorded_inputs[item["name"]] = [self._layer_of.get(ref, ref)
                                                      for ref in call.inputs + keyword]

    def _call_name(self, layer: str, node: int) -> str:
        """The spec name of call ``node`` (0-based) of a shared layer: ``dense_call2``."""
        name = f"{layer}_call{node + 1}"
        while name in self._taken:
            name += "_"
        return name

    def ports(self) -> list[str]:
        """The inputs of the block a nested model becomes."""
        return self.call_order or [item["name"] for item in self.inputs]

    # -- inputs ----------------------------------------------------------------

    def _input(self, name: str, entry: dict) -> str:
        cfg = entry.get("config") or {}
        shape = cfg.get("batch_shape") or cfg.get("batch_input_shape")
        if not isinstance(shape, (list, tuple)) or len(shape) < 1:
            self._problem(name, "InputLayer", f"unusable input shape {shape!r}")
            return name
        for flag in ("sparse", "ragged"):
            if cfg.get(flag):
                self._problem(name, "InputLayer", f"{flag} inputs are not supported")
        item = {"name": name, "shape": jsonable(list(shape[1:]))}
        dtype = _dtype_name(cfg.get("dtype"))
        if dtype and dtype != "float32":
            item["dtype"] = dtype
        self.inputs.append(item)
        return name

    def _implicit_input(self, entry: dict, config: dict) -> str:
        """A Sequential model built without an Input: its build shape makes one (a nested
        one needs none: the block's input is what the outer model passes)."""
        if self.nested:
            self.inputs.append({"name": "input"})
            return "input"
        shape = (config.get("build_input_shape") or (entry.get("build_config") or {}).get("input_shape")
                 or (entry.get("config") or {}).get("batch_input_shape"))
        if not shape:
            raise ModelImportError("cannot import an unbuilt Sequential model: its input shape is "
                                   "unknown (add keras.Input(shape=...) or build it first)")
        return self._input("input_layer", {"config": {"batch_shape": shape}})

    # -- layers ----------------------------------------------------------------

    def _layer(self, name: str, entry: dict, layer_type, call: "_Call") -> None:
        class_name = str(entry.get("class_name"))
        config = {**(entry.get("config") or {}), **call.params}
        params = self._params(name, class_name, layer_type, config)
        if params is None:
            return
        params = layer_type.imported_params(
            params, [self.out.recorded_shapes.get(ref) for ref in call.inputs])
        # `inputs` is always written here; _finish drops it where the spec's rule agrees.
        item = {"name": name, "type": layer_type.type_name, "inputs": call.inputs}  # ops.add
        if call.call:
            item["call"] = call.call
        if config.get("trainable") is False:
            item["trainable"] = False
        item.update(params)
        self.layers.append(item)
        keyword = [ref for refs in call.call.values()
                   for ref in ([refs] if isinstance(refs, str) else refs)]
        self.out.recorded_inputs[name] = [self._layer_of.get(ref, ref) for ref in call.inputs + keyword]

    def _layer_type(self, name: str, entry: dict, class_name: str):
        registered = entry.get("registered_name")
        module = str(entry.get("module") or "")
        if class_name == "Lambda":
            reason = "Lambda layers hold Python code, which a spec never holds"
        elif module.startswith(("keras.src.ops", "keras.ops")):
            op = self._ops().get(class_name)
            if op is not None:
                return op
            reason = "keras.ops operations that layergraph does not know"
        elif self._plugin_claims(class_name):
            return self.registry.get(class_name)
        elif (registered not in (None, class_name) or (module and not module.startswith("keras"))
              or ("module" in entry and entry["module"] is None)):  # Keras 3 writes null for
            # classes defined outside a package (a notebook's custom layer); Keras 2 has no key
            reason = "custom classes without a layergraph layer type"
            class_name = str(registered or f"{module}.{class_name}")
        elif self.registry.get(class_name) is None:
            reason = ("Keras layer types not supported yet (see Plugins)" if class_name in KERAS_LAYER_CLASSES
                      else "layer types that layergraph does not know")
        else:
            return self.registry.get(class_name)
        self._problem(name, class_name, reason)
        return None

    def _ops(self) -> dict:
        """Layer types standing for keras.ops operations, by the class name Keras records."""
        if self._op_types is None:
            self._op_types = {t.keras_op_name or t.type_name: t
                              for t in self.registry.types.values() if t.op}
        return self._op_types

    def _plugin_claims(self, class_name: str) -> bool:
        """A third-party plugin registered this class name (custom Keras layers come that way)."""
        found = self.registry.get(class_name) is not None  # first: it may load the plugins
        return found and self.registry.origins.get(class_name) not in (None, "layergraph")

    def _params(self, name: str, class_name: str, layer_type, cfg: dict) -> dict | None:
        if isinstance(cfg.get("layer"), dict) and "class_name" in cfg["layer"]:
            cfg = self._unwrap(name, class_name, cfg)
            if cfg is None:
                return None
        known = layer_type.Params.model_fields
        extra = []
        for key, value in cfg.items():
            if key in known or key in _IGNORED:
                continue
            if key == "dtype":
                dtype = _dtype_name(value)
                if dtype not in (None, "float32"):
                    self.out.warnings.append(f"layer '{name}': dtype policy {dtype!r} not kept "
                                             "(specs describe float32 models)")
            elif key == "trainable":
                continue  # kept as the spec layer's `trainable` (see _layer)
            elif not (value is None or value is False or _NEUTRAL.get(key, ...) == value):
                extra.append(f"{key}={value!r}")
        if extra:
            self._problem(name, class_name, f"unsupported setting {', '.join(extra)}")
            return None
        try:
            return canonical_params(layer_type.Params, {k: v for k, v in cfg.items() if k in known})
        except ValidationError as exc:
            details = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                for e in exc.errors(include_url=False))
            self._problem(name, class_name, f"unsupported parameters ({details})")
            return None

    def _unwrap(self, name: str, class_name: str, cfg: dict) -> dict | None:
        """A wrapper's config with its Keras layer as a spec layer (``{"type": "LSTM", ...}``).

        Bidirectional records the backward layer too; a spec keeps it only implied, so it
        must be the forward layer run backwards (Keras's default).
        """
        inner = self._inner_layer(name, cfg["layer"])
        if inner is None:
            return None
        cfg = {**cfg, "layer": inner}
        backward = cfg.pop("backward_layer", None)
        if isinstance(backward, dict):
            mirrored = self._inner_layer(name, backward)
            flipped = {**inner, "go_backwards": not inner.get("go_backwards", False)}
            if {k: v for k, v in (mirrored or {}).items() if k != "go_backwards" or v} != {
                    k: v for k, v in flipped.items() if k != "go_backwards" or v}:
                self._problem(name, class_name, "a backward_layer that is not the forward layer "
                                                "run backwards")
                return None
        return cfg

    def _inner_layer(self, name: str, serialized: dict) -> dict | None:
        inner_class = str(serialized.get("class_name"))
        layer_type = self.registry.get(inner_class)
        if layer_type is None:
            self._problem(name, inner_class, "wrapped layer types that layergraph does not know")
            return None
        params = self._params(name, inner_class, layer_type, serialized.get("config") or {})
        return None if params is None else {"type": inner_class, **params}

    # -- connections -----------------------------------------------------------

    def _node_inputs(self, name: str, entry: dict, layer_type=None, report: bool = True,
                     node: int = 0) -> "_Call":
        """What call ``node`` of the layer reads: positional tensors, keyword tensors the type
        declares (``initial_state``, ``mask``), and constants and call options as params."""
        nodes = entry.get("inbound_nodes") or []
        class_name = str(entry.get("class_name"))
        if node >= len(nodes):
            return _Call([])
        if isinstance(nodes[node], list):  # Keras 2
            tensors, others = _node_tensors(nodes[node], getattr(layer_type, "call_defaults", {}))
            if others and report:
                self._problem(name, class_name, f"called with arguments a spec cannot hold "
                                                f"({', '.join(others)})")
            return _Call([self._tensor(ref, name) for ref in tensors])
        return self._call(name, class_name, nodes[node], layer_type, report)

    def _call(self, name: str, class_name: str, node: dict, layer_type, report: bool) -> "_Call":
        call = _Call([])
        others: list[str] = []
        declared = layer_type or _NoType
        for position, value in enumerate(node.get("args", [])):
            if _is_tensor(value) or isinstance(value, (list, tuple, dict)):
                tensors: list = []
                _collect(value, tensors, others, "argument")
                call.inputs += [self._tensor(ref, name) for ref in tensors]
            elif position < len(declared.constant_args):  # x + 3.0: a constant operand
                call.params[declared.constant_args[position]] = value
            else:
                others.append(f"argument={value!r}")
        keywords = dict(node.get("kwargs") or {})
        for key in declared.positional_names:  # MultiHeadAttention(query=..., value=...)
            if _is_tensor(keywords.get(key)):
                call.inputs.append(self._tensor(_tensor_of(keywords.pop(key)), name))
        for key, value in keywords.items():
            if _unset(value) or (key == "training" and value is False) or \
                    declared.call_defaults.get(key, ...) == value:
                continue
            if key in declared.call_arguments and _holds_tensors(value):
                call.call[key] = (self._tensor(_tensor_of(value), name) if _is_tensor(value) else
                                  [self._tensor(_tensor_of(v), name) for v in value])
            elif key in declared.call_options and not _holds_tensors(value):
                call.params[key] = value
            else:
                others.append(key if _holds_tensors(value) else f"{key}={value!r}")
        if others and report:
            self._problem(name, class_name, f"called with arguments a spec cannot hold "
                                            f"({', '.join(others)})")
        return call

    def _tensor(self, ref: dict, where: str) -> str:
        """A tensor reference as a spec writes it, noting the shape the model recorded."""
        history = ref.get("history")
        shape = ref.get("shape")
        reference = self._reference(history, where)
        if isinstance(shape, (list, tuple)):
            self.out.recorded_shapes.setdefault(reference, tuple(shape[1:]))
        return reference

    def _reference(self, history, where: str) -> str:
        if not isinstance(history, (list, tuple)) or not history:
            raise ModelImportError(f"malformed model config: bad tensor reference in {where}")
        layer = str(history[0])
        node = history[1] if len(history) > 1 else 0
        index = history[2] if len(history) > 2 else 0
        if node:  # the output of a later call of a shared layer
            layer = self._call_name(layer, node)
        if not index:
            return layer
        reference = f"{layer}{OUTPUT_SEPARATOR}{index}"
        self._layer_of[reference] = layer
        return reference

    # -- finishing -------------------------------------------------------------

    def _problem(self, layer: str, type_name: str, reason: str) -> None:
        problem = Problem(layer, type_name, reason)
        if problem not in self.out.problems:
            self.out.problems.append(problem)

    def _finish(self, outputs: list[str]) -> None:
        data = self.out.data
        if self.nested:  # a block's first layer reads all of the block's inputs
            data["layers"] = _omit_implied_inputs(self.layers, [], self.ports())
        else:
            if self.inputs:
                data["inputs"] = self.inputs
            if self.blocks:
                data["blocks"] = {name: block["body"] for name, block in self.blocks.items()}
            data["layers"] = _omit_implied_inputs(self.layers, self.inputs)
        data["outputs"] = outputs


def _omit_implied_inputs(layers: list[dict], inputs: list[dict],
                         first: list[str] | None = None) -> list[dict]:
    """Drop `inputs` only where the spec's own rule gives the same tensor.

    The rule (spec.py): a layer without `inputs` reads the previous layer's output, and
    the first layer reads the last declared input (in a block: ``first``, the block's
    inputs). Spec inputs come before all layers, whereas a Keras config may list an
    InputLayer between layers, so the rule is applied to the spec's final order, never
    to the config's.
    """
    previous = first if first is not None else [inputs[-1]["name"]] if inputs else None
    for item in layers:
        if item["inputs"] == previous:
            del item["inputs"]
        previous = [item["name"]]
    return layers


def _unset(value) -> bool:
    """None, or one None per input (``mask=[None, None]`` of a model with two inputs)."""
    return value is None or (isinstance(value, list) and bool(value)
                             and all(item is None for item in value))


def _is_model(entry: dict) -> bool:
    """A Functional or Sequential model used as a layer (its config lists layers)."""
    return entry.get("class_name") in _MODEL_CLASSES or "layers" in (entry.get("config") or {})


@dataclass
class _Call:
    """One call of a layer as a spec writes it."""

    inputs: list[str]
    call: dict = field(default_factory=dict)  # keyword tensors (initial_state, mask)
    params: dict = field(default_factory=dict)  # constants and call options


class _NoType:
    """Stands for a type layergraph does not know: no keyword is accepted."""

    positional_names: tuple = ()
    call_arguments: tuple = ()
    call_options: tuple = ()
    constant_args: tuple = ()
    call_defaults: dict = {}


def _is_tensor(value) -> bool:
    return isinstance(value, dict) and value.get("class_name") == "__keras_tensor__"


def _holds_tensors(value) -> bool:
    return _is_tensor(value) or (isinstance(value, (list, tuple)) and bool(value)
                                 and all(_is_tensor(v) for v in value))


def _tensor_of(value: dict) -> dict:
    cfg = value.get("config") or {}
    return {"history": cfg.get("keras_history"), "shape": cfg.get("shape")}


def _refs(value) -> list:
    """Keras writes one reference as ["name", 0, 0] and several as a list of them."""
    if not value:
        return []
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], str):
        return [value]
    if isinstance(value, dict):
        return list(value.values())
    return list(value)


def _node_tensors(node, call_defaults: dict) -> tuple[list[dict], list[str]]:
    """Input tensors of a call (in order), and the names of arguments that are not tensors.

    Keras records some call arguments at their defaults (image augmentation layers record
    ``training=True``); those equal to the type's ``call_defaults`` are no setting."""
    tensors: list[dict] = []
    others: list[str] = []
    if isinstance(node, list):  # Keras 2: [[name, node_index, tensor_index, kwargs], ...]
        for ref in node:
            tensors.append({"history": ref[:3], "shape": None})
            if len(ref) > 3 and ref[3]:
                others.extend(str(k) for k in ref[3])
        return tensors, others
    _collect(node.get("args", []), tensors, others, "argument")
    for key, value in (node.get("kwargs") or {}).items():
        if value is None or (key == "training" and value is False) or call_defaults.get(key, ...) == value:
            continue
        before = len(tensors)
        _collect(value, tensors, others, key)
        if len(tensors) > before:
            del tensors[before:]
            others.append(key)
        elif key not in others:
            others.append(f"{key}={value!r}")
    return tensors, others


def _collect(value, tensors: list, others: list, label: str) -> None:
    if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
        cfg = value.get("config") or {}
        tensors.append({"history": cfg.get("keras_history"), "shape": cfg.get("shape")})
    elif isinstance(value, (list, tuple)):
        for item in value:
            _collect(item, tensors, others, label)
    elif isinstance(value, dict):
        for item in value.values():
            _collect(item, tensors, others, label)
    elif value is not None:
        others.append(f"{label}={value!r}")


def _dtype_name(value) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return (value.get("config") or {}).get("name")
    return None
