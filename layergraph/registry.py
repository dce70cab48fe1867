"""The layer registry: one plugin class per layer type.

Built-in types come from layergraph's own layer modules (``BUILTIN_MODULES``),
so a new built-in class is found without reinstalling the package. Third-party
types come through the ``layergraph.layers`` entry-point group and pass the same
validation as built-ins. Entry points are scanned once per process and only when
needed (a type that is not built in, or the full list of names): scanning every
installed distribution costs more than checking a spec. A broken third-party plugin is skipped with a recorded
failure; using its type then gives a diagnostic that names the plugin and the
error. A plugin cannot replace a built-in type.
"""

from __future__ import annotations

import importlib
from typing import Any, ClassVar, NamedTuple, Sequence

from pydantic import BaseModel, ConfigDict

ENTRY_POINT_GROUP = "layergraph.layers"

Shape = tuple  # a tensor shape without the batch axis; None marks an unknown size


class ParamCount(NamedTuple):
    trainable: int
    non_trainable: int = 0

    @property
    def total(self) -> int:
        return self.trainable + self.non_trainable


class ShapeError(Exception):
    """Raised by a shape rule: the inputs do not fit the layer.

    ``code`` is ``"mismatch"``, ``"non_positive"`` or ``"invalid"`` and selects
    the diagnostic code; ``hint`` says how to fix it.
    """

    def __init__(self, message: str, *, hint: str | None = None, kind: str = "invalid"):
        super().__init__(message)
        self.hint = hint
        self.kind = kind


class Params(BaseModel):
    """Base of every layer's parameter model: unknown keys are errors."""

    # defer_build: a spec uses a few of the ~40 types; build each validator when first used.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class LayerType:
    """Base class of a layer-type plugin. Subclasses describe one Keras layer class.

    A subclass sets ``type_name`` (the Keras class name), ``family`` (used for
    diagram colours), ``Params`` (a Pydantic model with Keras's keyword names and
    defaults) and its arity, and overrides the rules it needs.
    """

    type_name: ClassVar[str]
    family: ClassVar[str] = "other"
    Params: ClassVar[type[BaseModel]] = Params
    min_inputs: ClassVar[int] = 1
    max_inputs: ClassVar[int | None] = 1
    doc: ClassVar[str] = ""

    @classmethod
    def output_shape(cls, p: Any, shapes: Sequence[Shape]) -> Shape:
        """Output shape (no batch axis) for the given input shapes. Default: identity."""
        return shapes[0]

    @classmethod
    def count_params(cls, p: Any, shapes: Sequence[Shape]) -> ParamCount:
        """Number of weights the layer creates for these inputs."""
        return ParamCount(0)

    @classmethod
    def count_macs(cls, p: Any, shapes: Sequence[Shape], out: Shape) -> int | None:
        """Multiply-accumulates per sample (convolutions and dense layers; 0 otherwise).

        None when it depends on a size that is unknown (a variable input dimension).
        """
        return 0

    @classmethod
    def describe(cls, p: Any) -> str:
        """The key hyper-parameters in compact form, for diagrams (e.g. ``11×11 /4, 96``)."""
        return ""

    @classmethod
    def keras_kwargs(cls, p: Any) -> dict:
        """Keyword arguments for the Keras constructor: only what differs from the defaults."""
        return p.model_dump(exclude_defaults=True)

    @classmethod
    def to_keras(cls, p: Any, name: str):
        """Build the Keras layer. Keras is imported here, never at module import."""
        import keras

        return getattr(keras.layers, cls.type_name)(name=name, **cls.keras_kwargs(p))


class Registry:
    """Layer types by name, plus the plugins that failed to load.

    ``origins`` and ``failures`` include third-party plugins, which are loaded
    when first needed (``plugins_pending``); ``types`` holds what is loaded so far.
    """

    def __init__(self, types: dict[str, type[LayerType]] | None = None,
                 origins: dict[str, str] | None = None, failures: dict[str, str] | None = None,
                 *, plugins_pending: bool = False):
        self.types = dict(types or {})
        self._origins = dict(origins or {})
        self._failures = dict(failures or {})
        self.plugins_pending = plugins_pending

    def __repr__(self) -> str:
        return f"Registry({len(self.types)} types, plugins_pending={self.plugins_pending})"

    @property
    def origins(self) -> dict[str, str]:
        """Where each type comes from: "layergraph", a distribution's name, or "python"."""
        self._ensure_plugins()
        return self._origins

    @property
    def failures(self) -> dict[str, str]:
        """Plugin entry points that failed to load, with the reason."""
        self._ensure_plugins()
        return self._failures

    def get(self, name: str) -> type[LayerType] | None:
        """The type called ``name``; third-party plugins are loaded on the first miss."""
        found = self.types.get(name)
        if found is None and self.plugins_pending:
            self._ensure_plugins()
            found = self.types.get(name)
        return found

    def names(self) -> list[str]:
        """Every type's name, plugins included."""
        self._ensure_plugins()
        return sorted(self.types)

    def register(self, layer_type: type[LayerType], origin: str = "python") -> None:
        """Add a type directly (tests, notebooks); entry points are the normal route."""
        self.types[layer_type.type_name] = layer_type
        self._origins[layer_type.type_name] = origin

    def _ensure_plugins(self) -> None:
        if self.plugins_pending:  # once per registry: scanning entry points is slow
            self.plugins_pending = False
            _load_plugins(self)


_registry: Registry | None = None


def get_registry(reload: bool = False) -> Registry:
    """The process-wide registry, built from the entry points on first use."""
    global _registry
    if _registry is None or reload:
        _registry = _load_registry()
    return _registry


def _load_registry() -> Registry:
    registry = Registry(plugins_pending=True)
    for layer_type in builtin_types():
        registry.register(layer_type, "layergraph")
    return registry


def _load_plugins(registry: Registry) -> None:
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        origin = ep.dist.name if ep.dist else "unknown"
        if origin == "layergraph":
            continue  # an old install's entry points for built-ins: the modules are the truth
        try:
            layer_type = ep.load()
            _validate_plugin(ep.name, layer_type)
            if ep.name in registry.types and registry._origins[ep.name] == "layergraph":
                raise ValueError(f"{ep.name!r} is a built-in type; a plugin cannot replace it")
        except Exception as exc:  # a broken plugin must not break layergraph
            registry._failures[ep.name] = f"plugin {origin!r} failed to load: {type(exc).__name__}: {exc}"
            continue
        registry.register(layer_type, origin)


def _validate_plugin(name: str, layer_type: object) -> None:
    if not (isinstance(layer_type, type) and issubclass(layer_type, LayerType)):
        raise TypeError(f"{layer_type!r} is not a LayerType subclass")
    if layer_type.type_name != name:
        raise ValueError(f"entry point {name!r} names a class for {layer_type.type_name!r}")


BUILTIN_MODULES = (
    "layergraph.layers.core",
    "layergraph.layers.convolutional",
    "layergraph.layers.pooling",
    "layergraph.layers.reshaping",
    "layergraph.layers.normalization",
    "layergraph.layers.merging",
    "layergraph.layers.preprocessing",
)


def builtin_types() -> list[type[LayerType]]:
    """Every LayerType defined in layergraph's own layer modules."""
    found = []
    for module_name in BUILTIN_MODULES:
        module = importlib.import_module(module_name)
        found.extend(getattr(module, name) for name in getattr(module, "__all__", []))
    return found
