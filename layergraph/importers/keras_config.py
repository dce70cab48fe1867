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
from ..registry import Registry, get_registry
from ..spec import FORMAT
from .canonical import canonical_params, jsonable

PLUGIN_POINTER = ("register a layergraph LayerType for it under the `layergraph.layers` "
                  "entry point (see README, Plugins)")
# Keras config keys outside a type's parameters that carry no architecture with these
# values (besides None and False, which mean "feature off" for every Keras option).
_NEUTRAL = {"trainable": True, "autocast": True}
_IGNORED = {"name", "renorm_momentum"}  # renorm_momentum only matters with renorm=True
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

    # -- model kinds -----------------------------------------------------------

    def functional(self, layers: list, config: dict) -> None:
        for entry in layers:
            if not isinstance(entry, dict):
                raise ModelImportError("malformed model config: a layer entry is not an object")
            name = str(entry.get("name") or (entry.get("config") or {}).get("name"))
            if entry.get("class_name") == "InputLayer":
                self._input(name, entry)
                continue
            layer_type = self._layer_type(name, entry, str(entry.get("class_name")))
            inputs = self._node_inputs(name, entry, report=layer_type is not None)
            if layer_type is not None:
                self._layer(name, entry, layer_type, inputs)
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
                self._layer(name, entry, layer_type, [previous])
            previous = name
        self._finish([previous] if previous else [])

    # -- inputs ----------------------------------------------------------------

    def _input(self, name: str, entry: dict) -> str:
        cfg = entry.get("config") or {}
        shape = cfg.get("batch_shape") or cfg.get("batch_input_shape")
        if not isinstance(shape, (list, tuple)) or len(shape) < 2:
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

    def _layer(self, name: str, entry: dict, layer_type, inputs: list[str]) -> None:
        class_name = str(entry.get("class_name"))
        params = self._params(name, class_name, layer_type, entry.get("config") or {})
        if params is None:
            return
        item = {"name": name, "type": class_name}
        previous = self.layers[-1]["name"] if self.layers else (
            self.inputs[-1]["name"] if self.inputs else None)
        if inputs != [previous]:
            item["inputs"] = inputs
        item.update(params)
        self.layers.append(item)

    def _layer_type(self, name: str, entry: dict, class_name: str):
        registered = entry.get("registered_name")
        module = str(entry.get("module") or "")
        if class_name == "Lambda":
            reason = "Lambda layers hold Python code, which a spec never holds"
        elif module.startswith(("keras.src.ops", "keras.ops")):
            reason = "keras.ops operations (such as `x + 3.0` on a tensor) are not layers"
        elif class_name in _MODEL_CLASSES or "layers" in (entry.get("config") or {}):
            reason = "nested models are not supported yet (build the model from their layers)"
        elif self._plugin_claims(class_name):
            return self.registry.get(class_name)
        elif registered not in (None, class_name) or (module and not module.startswith("keras")):
            reason = "custom classes without a layergraph layer type"
            class_name = str(registered or f"{module}.{class_name}")
        elif self.registry.get(class_name) is None:
            reason = "layer types that layergraph does not know"
        else:
            return self.registry.get(class_name)
        self._problem(name, class_name, reason)
        return None

    def _plugin_claims(self, class_name: str) -> bool:
        """A third-party plugin registered this class name (custom Keras layers come that way)."""
        found = self.registry.get(class_name) is not None  # first: it may load the plugins
        return found and self.registry.origins.get(class_name) not in (None, "layergraph")

    def _params(self, name: str, class_name: str, layer_type, cfg: dict) -> dict | None:
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
            elif key == "trainable" and value is False:
                self.out.warnings.append(f"layer '{name}': trainable=False not kept "
                                         "(specs describe architecture, not training state)")
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

    # -- connections -----------------------------------------------------------

    def _node_inputs(self, name: str, entry: dict, report: bool = True) -> list[str]:
        nodes = entry.get("inbound_nodes") or []
        if len(nodes) > 1 and report:
            self._problem(name, str(entry.get("class_name")),
                          f"the layer is shared (called {len(nodes)} times); a spec layer is "
                          "called once")
        if not nodes:
            return []
        tensors, others = _node_tensors(nodes[0])
        if others and report:
            self._problem(name, str(entry.get("class_name")),
                          f"called with arguments a spec cannot hold ({', '.join(others)})")
        for ref in tensors:
            shape = ref.get("shape")
            if isinstance(shape, (list, tuple)):
                self.out.recorded_shapes.setdefault(str(ref["history"][0]), tuple(shape[1:]))
        return [self._reference(ref["history"], name) for ref in tensors]

    def _reference(self, history, where: str) -> str:
        if not isinstance(history, (list, tuple)) or not history:
            raise ModelImportError(f"malformed model config: bad tensor reference in {where}")
        layer = str(history[0])
        node = history[1] if len(history) > 1 else 0
        index = history[2] if len(history) > 2 else 0
        if index:
            self._problem(layer, "?", f"output {index} of a multi-output layer is used")
        if node:
            self._problem(layer, "?", "the layer is shared (its second call is used)")
        return layer

    # -- finishing -------------------------------------------------------------

    def _problem(self, layer: str, type_name: str, reason: str) -> None:
        problem = Problem(layer, type_name, reason)
        if problem not in self.out.problems:
            self.out.problems.append(problem)

    def _finish(self, outputs: list[str]) -> None:
        data = self.out.data
        if self.inputs:
            data["inputs"] = self.inputs
        data["layers"] = self.layers
        data["outputs"] = outputs


def _refs(value) -> list:
    """Keras writes one reference as ["name", 0, 0] and several as a list of them."""
    if not value:
        return []
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], str):
        return [value]
    if isinstance(value, dict):
        return list(value.values())
    return list(value)


def _node_tensors(node) -> tuple[list[dict], list[str]]:
    """Input tensors of a call (in order), and the names of arguments that are not tensors."""
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
        if value is None or (key == "training" and value is False):
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
