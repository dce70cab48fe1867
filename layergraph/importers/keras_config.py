"""Turn a serialized Keras model (the ``config.json`` of a ``.keras`` file, or
``serialize_keras_object(model)``) into spec data.

This module never imports Keras and never deserializes anything: it reads plain
JSON data, so no code from a model file can run. Every layer that cannot be
represented is collected and reported together, by name, with the reason.
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
    def __init__(self, registry: Registry, name: str):
        self.registry = registry
        self.out = Conversion(data={"format": FORMAT, "name": name})
        self.inputs: list[dict] = []
        self.layers: list[dict] = []
        self._layer_of: dict[str, str] = {}  # "enc:1" → "enc"
        self._op_types: dict | None = None
        self._inlined: dict[str, str] = {}  # nested Sequential → its last layer

    # -- model kinds -----------------------------------------------------------

    def functional(self, layers: list, config: dict) -> None:
        for entry in layers:
            if not isinstance(entry, dict):
                raise ModelImportError("malformed model config: a layer entry is not an object")
            name = str(entry.get("name") or (entry.get("config") or {}).get("name"))
            if entry.get("class_name") == "InputLayer":
                self._input(name, entry)
                continue
            if entry.get("class_name") == "Sequential" and self._inline_sequential(name, entry):
                continue
            layer_type = self._layer_type(name, entry, str(entry.get("class_name")))
            call = self._node_inputs(name, entry, layer_type, report=layer_type is not None)
            if layer_type is not None:
                self._layer(name, entry, layer_type, call)
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
            layer_type = self._layer_type(name, entry, str(entry.get("class_name")))
            if layer_type is not None:
                self._layer(name, entry, layer_type, _Call([previous]))
            previous = name
        self._finish([previous] if previous else [])

    # -- inputs ----------------------------------------------------------------

    def _inline_sequential(self, name: str, entry: dict) -> bool:
        """A nested Sequential called once (ConvNeXt's stem): its layers join the spec in
        order, the first reading the model's input; references to the nested model mean
        its last layer. False (and nothing done) when it cannot be inlined."""
        inner = (entry.get("config") or {}).get("layers")
        if not isinstance(inner, list) or len(entry.get("inbound_nodes") or []) != 1:
            return False
        call = self._node_inputs(name, entry, None, report=True)
        if len(call.inputs) != 1:
            return False
        previous = call.inputs[0]
        for item in inner:
            if not isinstance(item, dict) or item.get("class_name") == "InputLayer":
                continue
            inner_name = str((item.get("config") or {}).get("name") or item.get("name"))
            layer_type = self._layer_type(inner_name, item, str(item.get("class_name")))
            if layer_type is not None:
                self._layer(inner_name, item, layer_type, _Call([previous]))
            previous = inner_name
        self._inlined[name] = previous
        return True

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
        """A Sequential model built without an Input: its build shape makes one."""
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
        elif class_name in _MODEL_CLASSES or "layers" in (entry.get("config") or {}):
            reason = "nested models are not supported yet (build the model from their layers)"
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

    def _node_inputs(self, name: str, entry: dict, layer_type=None, report: bool = True) -> "_Call":
        """What the layer's (only) call reads: positional tensors, keyword tensors the type
        declares (``initial_state``, ``mask``), and constants and call options as params."""
        nodes = entry.get("inbound_nodes") or []
        class_name = str(entry.get("class_name"))
        if len(nodes) > 1 and report:
            self._problem(name, class_name, f"the layer is shared (called {len(nodes)} times); a "
                          "spec layer is called once")
        if not nodes:
            return _Call([])
        if isinstance(nodes[0], list):  # Keras 2
            tensors, others = _node_tensors(nodes[0], getattr(layer_type, "call_defaults", {}))
            if others and report:
                self._problem(name, class_name, f"called with arguments a spec cannot hold "
                                                f"({', '.join(others)})")
            return _Call([self._tensor(ref, name) for ref in tensors])
        return self._call(name, class_name, nodes[0], layer_type, report)

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
            if value is None or (key == "training" and value is False) or \
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
        layer = self._inlined.get(layer, layer)  # a nested Sequential: its last layer
        node = history[1] if len(history) > 1 else 0
        index = history[2] if len(history) > 2 else 0
        if node:
            self._problem(layer, "?", "the layer is shared (its second call is used)")
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
        if self.inputs:
            data["inputs"] = self.inputs
        data["layers"] = _omit_implied_inputs(self.layers, self.inputs)
        data["outputs"] = outputs


def _omit_implied_inputs(layers: list[dict], inputs: list[dict]) -> list[dict]:
    """Drop `inputs` only where the spec's own rule gives the same tensor.

    The rule (spec.py): a layer without `inputs` reads the previous layer's output, and
    the first layer reads the last declared input. Spec inputs come before all layers,
    whereas a Keras config may list an InputLayer between layers, so the rule is applied
    to the spec's final order, never to the config's.
    """
    previous = inputs[-1]["name"] if inputs else None
    for item in layers:
        if item["inputs"] == [previous]:
            del item["inputs"]
        previous = item["name"]
    return layers


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
