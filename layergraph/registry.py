"""The layer registry: one plugin class per layer type.

Built-in types come from layergraph's own layer modules (``BUILTIN_MODULES``,
listed with their types in ``layers/index.py``), each imported when one of its
types is first used; a new built-in class is found without reinstalling the package. Third-party
types come through the ``layergraph.layers`` entry-point group and pass the same
validation as built-ins. Entry points are scanned once per process and only when
needed (a type that is not built in, or the full list of names): scanning every
installed distribution costs more than checking a spec. A broken third-party plugin is skipped with a recorded
failure; using its type then gives a diagnostic that names the plugin and the
error. A plugin cannot replace a built-in type.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any, Callable, ClassVar, Literal, NamedTuple, Sequence, get_args

from pydantic import BaseModel, ConfigDict

from .layers import index as layer_index

ENTRY_POINT_GROUP = "layergraph.layers"

Shape = tuple  # a tensor shape without the batch axis; None marks an unknown size

# The families a type may belong to (diagram colours, summaries, the editor's type list).
Family = Literal["input", "conv", "pooling", "dense", "normalization", "merge", "activation",
                 "regularization", "reshape", "preprocessing", "recurrent", "attention",
                 "embedding", "other"]
FAMILIES: tuple[str, ...] = get_args(Family)


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


class deferred_params:  # noqa: N801  (used as a decorator, like functools.cached_property)
    """A layer type's ``Params`` model, created when it is first read.

    Creating a Pydantic model class costs about a millisecond even with ``defer_build``
    (Pydantic collects and checks every field), a layer module declares a dozen, and a
    spec uses a few types: a ``check`` of VGG16 created 36 models to use 5. On a
    ``LayerType``, ``Params`` may therefore be a function that returns the model,
    decorated with ``@deferred_params``; the first ``SomeType.Params`` calls it once and
    puts the model on the class in its place, so every later read is a plain attribute.
    Reading it is the same either way: ``SomeType.Params`` is always the model class.
    """

    def __init__(self, build: Callable[[], type[BaseModel]]):
        self._build = build
        self.__doc__ = build.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self._owner, self._name = owner, name

    def __get__(self, instance: object, owner: type | None = None) -> type[BaseModel]:
        # The editor analyses in threads: the lock makes one model per type, built once.
        with _LOADING:
            current = self._owner.__dict__[self._name]
            if current is self:
                current = self._build()
                setattr(self._owner, self._name, current)
        return current


class LayerType:
    """Base class of a layer-type plugin. Subclasses describe one Keras layer class.

    A subclass sets ``type_name`` (the Keras class name), ``family`` (one of
    ``FAMILIES``; diagram colours), ``Params`` (a Pydantic model with Keras's keyword
    names and defaults, each with a one-line ``Field(description=...)``, or a
    ``@deferred_params`` function that returns it) and its arity, and overrides the
    rules it needs. The other facts about a type live here too, so adding a type is
    one class.
    """

    type_name: ClassVar[str]
    family: ClassVar[Family] = "other"
    Params: ClassVar[type[BaseModel]] = Params
    min_inputs: ClassVar[int] = 1
    max_inputs: ClassVar[int | None] = 1
    doc: ClassVar[str] = ""
    # Constructor arguments an exported script writes positionally (as the Keras docs do).
    export_positional: ClassVar[tuple[str, ...]] = ()
    # The name diagrams and summaries use (``MaxPool``); None: the type name.
    short_name: ClassVar[str | None] = None
    # An element-wise merge's symbol in block diagrams (``+``); None: drawn as a box.
    merge_symbol: ClassVar[str | None] = None
    # Call arguments Keras records at their default (not a setting a spec must keep).
    call_defaults: ClassVar[dict[str, Any]] = {}
    # Tensors the layer's call takes by keyword (a spec layer's ``call``), e.g. initial_state.
    call_arguments: ClassVar[tuple[str, ...]] = ()
    # Parameters that Keras takes at call time, not in the constructor (use_causal_mask).
    call_options: ClassVar[tuple[str, ...]] = ()
    # Several inputs are passed as separate arguments (MultiHeadAttention(query, value)),
    # not as one list (Add([a, b])).
    positional_call: ClassVar[bool] = False
    # Keyword names Keras may record for the positional inputs, in order (query, value, key).
    positional_names: ClassVar[tuple[str, ...]] = ()
    # Parameters that a Keras config records as constant call arguments, by argument
    # position (ops.not_equal(x, 0): ("x", "value")).
    constant_args: ClassVar[tuple[str, ...]] = ()
    # A keras.ops operation (module keras.src.ops…) rather than a keras.layers class.
    op: ClassVar[bool] = False
    keras_op_name: ClassVar[str | None] = None  # the op's class name in configs (default type_name)
    # The module defining the Keras class when it is not in keras.layers (LayerScale lives in
    # keras.src.applications.convnext).
    keras_module: ClassVar[str | None] = None

    @classmethod
    def imported_params(cls, params: dict, shapes: Sequence[Shape | None]) -> dict:
        """Imported parameters with what Keras fills in on build dropped again (e.g. the
        default ``attention_axes``), given the input shapes the model recorded."""
        return params

    @classmethod
    def output_names(cls, p: Any) -> tuple[str, ...]:
        """Names of the layer's outputs, in Keras's order; more than one for e.g. an LSTM
        with ``return_state`` (referenced as ``"enc:1"`` or ``"enc:state_h"``)."""
        return ("output",)

    @classmethod
    def output_shapes(cls, p: Any, shapes: Sequence[Shape],
                      call_shapes: dict[str, list[Shape]]) -> list[Shape]:
        """Shapes of every output, given the positional inputs and the keyword tensors.

        Default: the single output of :meth:`output_shape`; types with ``call_arguments``
        or several outputs override it (and check the keyword tensors' shapes).
        """
        return [cls.output_shape(p, shapes)]

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
    def window(cls, p: Any, shapes: Sequence[Shape], out: Shape):
        """What one output position reads per spatial axis, for receptive fields.

        A tuple of ``receptive_field.Window`` (one per spatial axis), None when each
        output depends on every input position (Flatten, global pooling), or
        ``receptive_field.NotDefined``. The default reads the standard Keras
        parameter names (kernel_size/pool_size, strides, padding, dilation_rate,
        cropping, data_format); element-wise layers get the identity window.
        """
        from .receptive_field import default_window

        return default_window(cls, p, shapes, out)

    @classmethod
    def describe(cls, p: Any) -> str:
        """The key hyper-parameters in compact form, for diagrams (e.g. ``11×11 /4, 96``)."""
        return ""

    @classmethod
    def keras_kwargs(cls, p: Any) -> dict:
        """Keyword arguments for the Keras constructor: only what differs from the defaults."""
        return p.model_dump(exclude_defaults=True, exclude=set(cls.call_options))

    @classmethod
    def call_kwargs(cls, p: Any) -> dict:
        """Non-tensor keyword arguments of the Keras call (``call_options`` not at defaults)."""
        return {k: v for k, v in p.model_dump(exclude_defaults=True).items() if k in cls.call_options}

    @classmethod
    def to_keras(cls, p: Any, name: str):
        """Build the Keras layer. Keras is imported here, never at module import."""
        import keras

        if cls.keras_module:
            module = importlib.import_module(cls.keras_module)
            return getattr(module, cls.type_name)(name=name, **cls.keras_kwargs(p))
        return getattr(keras.layers, cls.type_name)(name=name, **cls.keras_kwargs(p))


class Registry:
    """Layer types by name, plus the plugins that failed to load.

    ``origins`` and ``failures`` include third-party plugins, which are loaded
    when first needed (``plugins_pending``); ``types`` holds what is loaded so far.
    """

    def __init__(self, types: dict[str, type[LayerType]] | None = None,
                 origins: dict[str, str] | None = None, failures: dict[str, str] | None = None,
                 *, plugins_pending: bool = False, builtins_pending: bool = False):
        self._types = dict(types or {})
        self._origins = dict(origins or {})
        self._failures = dict(failures or {})
        self.plugins_pending = plugins_pending
        # Built-in modules not imported yet: a spec uses a few of them, so each is
        # imported when one of its types is first asked for (layers/index.py says which).
        self._modules_pending = list(BUILTIN_MODULES) if builtins_pending else []

    @property
    def types(self) -> dict[str, type[LayerType]]:
        """Every type loaded so far, all built-ins included (plugins: see ``names``)."""
        self._load_builtin_modules(list(self._modules_pending))
        return self._types

    def __repr__(self) -> str:
        return f"Registry({len(self._types)} types loaded, plugins_pending={self.plugins_pending})"

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
        found = self._types.get(name)
        if found is None and self._modules_pending:
            module = layer_index.module_of(name)
            # A name missing from the index loads every built-in module: slower, never wrong.
            self._load_builtin_modules([module] if module in self._modules_pending
                                       else list(self._modules_pending))
            found = self._types.get(name)
        if found is None and self.plugins_pending:
            self._ensure_plugins()
            found = self._types.get(name)
        return found

    def names(self) -> list[str]:
        """Every type's name, plugins included."""
        self._ensure_plugins()
        return sorted(self.types)

    def register(self, layer_type: type[LayerType], origin: str = "python") -> None:
        """Add a type directly (tests, notebooks); entry points are the normal route."""
        self._types[layer_type.type_name] = layer_type
        self._origins[layer_type.type_name] = origin

    def _load_builtin_modules(self, module_names: list[str]) -> None:
        # The editor analyses and draws in threads: one of them loads a module, once.
        with _LOADING:
            for module_name in module_names:
                if module_name in self._modules_pending:
                    self._modules_pending.remove(module_name)
                    for layer_type in _module_types(module_name):
                        self.register(layer_type, "layergraph")

    def _ensure_plugins(self) -> None:
        if self.plugins_pending:  # once per registry: scanning entry points is slow
            self.plugins_pending = False
            self._load_builtin_modules(list(self._modules_pending))  # built-ins win over plugins
            _load_plugins(self)


_registry: Registry | None = None
_LOADING = threading.RLock()  # RLock: a layer module may itself look a type up while it loads


def get_registry(reload: bool = False) -> Registry:
    """The process-wide registry, built from the entry points on first use."""
    global _registry
    if _registry is None or reload:
        _registry = _load_registry()
    return _registry


def _load_registry() -> Registry:
    return Registry(plugins_pending=True, builtins_pending=True)


def _load_plugins(registry: Registry) -> None:
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        origin = ep.dist.name if ep.dist else "unknown"
        if origin == "layergraph":
            continue  # an old install's entry points for built-ins: the modules are the truth
        try:
            layer_type = ep.load()
            _validate_plugin(ep.name, layer_type)
            if ep.name in registry._types and registry._origins[ep.name] == "layergraph":
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
    check_facts(layer_type)


def check_facts(layer_type: type[LayerType]) -> None:
    """Raise ValueError if a type's class facts are outside their vocabularies."""
    if layer_type.family not in FAMILIES:
        raise ValueError(f"family {layer_type.family!r} of {layer_type.type_name!r} is not one of "
                         f"{', '.join(FAMILIES)}")
    fields = getattr(layer_type.Params, "model_fields", {})
    unknown = [a for a in layer_type.export_positional if a not in fields]
    if unknown:
        raise ValueError(f"export_positional of {layer_type.type_name!r} names {unknown[0]!r}, "
                         "which is not one of its parameters")


BUILTIN_MODULES = tuple(f"{layer_index.PACKAGE}.{module}" for module in layer_index.MODULE_TYPES)


def builtin_types() -> list[type[LayerType]]:
    """Every LayerType defined in layergraph's own layer modules."""
    return [layer_type for module_name in BUILTIN_MODULES for layer_type in _module_types(module_name)]


def _module_types(module_name: str) -> list[type[LayerType]]:
    module = importlib.import_module(module_name)
    return [getattr(module, name) for name in getattr(module, "__all__", [])]
