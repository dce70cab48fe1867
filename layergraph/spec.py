"""The spec format: Pydantic models of a JSON layer graph.

A spec names its inputs, lists its layers (a layer without ``inputs`` takes the
previous layer's output), may define reusable parameterised ``blocks``, and names
its ``outputs`` (default: the last layer). An item with ``shares`` calls an earlier layer or
block use again with the same weights. A reference names a layer (its first
output) or one output of a layer with several: ``"enc:1"`` or ``"enc:state_h"``.
Tensors passed by keyword (``initial_state``, ``mask``) go under a layer's ``call``.
Layer parameters are the Keras keyword arguments, kept as the layer's extra keys
and validated later against the layer type's own parameter model, so one bad
parameter never hides the others.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Optional, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StrictBool, Tag
from pydantic.json_schema import WithJsonSchema

FORMAT = "layergraph/1"
SCHEMA_URL = "https://layergraph.dev/schema/layergraph-1.json"

# '/', the control characters (Unicode category Cc: U+0000–001F and U+007F–009F) and the
# bidirectional-text overrides, which can make a name display as a different one.
_BAD_CHARACTERS = r"/\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_BAD_NAME_CHARACTER = re.compile(f"[{_BAD_CHARACTERS}]")
# The same check as a pattern that pydantic-core applies itself: every name of every spec
# passes here, and a Python validator per name cost a tenth of the structure check.
# validation.py words a mismatch as name_problem() does (tests/test_name_pattern.py).
NAME_PATTERN = f"^[^{_BAD_CHARACTERS}]*$"


def name_problem(value: str) -> str | None:
    """Why a name is refused ('/' or a control character in it), or None if it is fine."""
    bad = _BAD_NAME_CHARACTER.search(value)
    if bad:
        return f"names may not contain '/' or control characters; found {bad.group()!r}"
    return None


# Names end up in Keras (which refuses '/'), terminals and diagrams: no control characters.
# The JSON Schema leaves the pattern out, as it always has.
Name = Annotated[str, Field(min_length=1, max_length=256, pattern=NAME_PATTERN),
                 WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 256})]
# Inside blocks, counts may be templates such as "$convs"; they are resolved on expansion.
Count = Union[Annotated[int, Field(strict=True)], str]
# A spec parameter's name is what follows "$" in a template, so it must be an identifier.
ParamName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=64)]
# Tensors passed to a layer's call by keyword: one reference, or a list of them.
CallArgs = dict[Name, Union[Name, list[Name]]]
OUTPUT_SEPARATOR = ":"  # "enc:1" / "enc:state_h": one output of a multi-output layer


def split_reference(ref: str) -> tuple[str, str | None]:
    """``"enc:state_h"`` → ``("enc", "state_h")``; ``"enc"`` → ``("enc", None)``."""
    base, sep, port = ref.rpartition(OUTPUT_SEPARATOR)
    return (base, port) if sep and base and port else (ref, None)


class InputSpec(BaseModel):
    """One model input: a sample's shape, batch axis excluded, channels last."""

    model_config = ConfigDict(extra="forbid")
    name: Name = "input_layer"
    shape: list[Optional[Annotated[int, Field(strict=True)]]]
    dtype: str = "float32"
    description: Optional[str] = None


class LayerSpec(BaseModel):
    """One layer. Every key besides the reserved ones is a Keras parameter."""

    model_config = ConfigDict(extra="allow")
    type: Name
    name: Optional[Name] = None
    inputs: Optional[list[Name]] = None
    call: Optional[CallArgs] = None
    description: Optional[str] = None
    repeat: Count = 1
    # False: the layer's weights are frozen (a fine-tuning head's base); they count as
    # non-trainable parameters.
    trainable: StrictBool = True

    @property
    def params(self) -> dict[str, Any]:
        """The layer's parameters: its keys besides the reserved ones (a copy)."""
        return dict(self.__pydantic_extra__ or {})  # what model_extra returns, minus a call


class BlockUse(BaseModel):
    """An instance of a block: its layers are named ``<name>_<layer>``."""

    model_config = ConfigDict(extra="forbid")
    block: Name
    name: Name
    args: dict[str, Any] = Field(default_factory=dict)
    inputs: Optional[list[Name]] = None
    description: Optional[str] = None
    repeat: Count = 1


class SharedCall(BaseModel):
    """Another call of an earlier layer or block use, on other inputs, with the same weights
    (a siamese network's tower): one Keras layer called twice. Its type and parameters are
    the shared layer's; sharing a block use calls each of its layers again, the copies
    named ``<name>_<layer>`` as in a block use."""

    model_config = ConfigDict(extra="forbid")
    name: Name
    shares: Name
    # Optional, for the reader: when written it must be the shared layer's type.
    type: Optional[Name] = None
    inputs: Optional[list[Name]] = None
    call: Optional[CallArgs] = None
    description: Optional[str] = None


def _item_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "share" if "shares" in value else "block" if "block" in value else "layer"
    if isinstance(value, SharedCall):
        return "share"
    return "block" if isinstance(value, BlockUse) else "layer"


Item = Annotated[
    Union[Annotated[LayerSpec, Tag("layer")], Annotated[BlockUse, Tag("block")],
          Annotated[SharedCall, Tag("share")]],
    Discriminator(_item_kind),
]


class BlockDef(BaseModel):
    """A reusable group of layers with parameters (``"$name"`` in its layers)."""

    model_config = ConfigDict(extra="forbid")
    description: Optional[str] = None
    params: Union[list[str], dict[str, Any]] = Field(default_factory=dict)
    inputs: list[Name] = Field(default_factory=lambda: ["input"])
    layers: Annotated[list[Item], Field(min_length=1)]
    output: Optional[Name] = None

    def defaults(self) -> dict[str, Any]:
        """Declared parameters with their defaults; list-declared ones are required."""
        if isinstance(self.params, list):
            return {name: REQUIRED for name in self.params}
        return dict(self.params)


class _Required:
    def __repr__(self) -> str:
        return "<required>"


REQUIRED = _Required()


class GraphSpec(BaseModel):
    """A whole layer graph: the root object of a spec file."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    schema_: Optional[str] = Field(default=None, alias="$schema")
    format: str = FORMAT
    name: Name = "model"
    description: Optional[str] = None
    # Spec parameters with their defaults: "$width" in any layer parameter or block argument
    # (top level or inside blocks, where a block's own params shadow them); overridden by
    # `--set width=128`, `analyze(spec, params=...)` or `to_keras(spec, width=128)`.
    params: dict[ParamName, Any] = Field(default_factory=dict)
    inputs: list[InputSpec] = Field(default_factory=list)
    blocks: dict[Name, BlockDef] = Field(default_factory=dict)
    layers: Annotated[list[Item], Field(min_length=1)]
    outputs: Optional[list[Name]] = None

    def to_json_data(self) -> dict:
        """The spec as JSON-ready data: the keys that were given (and always `format`)."""
        data = self.model_dump(mode="json", by_alias=True, exclude_unset=True)
        return {"format": self.format, **data}
