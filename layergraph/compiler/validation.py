"""Turning Pydantic validation errors into layergraph diagnostics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from ..diagnostics import Code, Diagnostic, Severity, did_you_mean, pointer_join
from ..jsonpointer import unescape
from ..spec import NAME_PATTERN, name_problem

# Discriminator tags of a spec item: transparent, since exactly one branch is tried.
_ITEM_TAGS = {"layer", "block", "share"}


@dataclass
class _Location:
    parts: list  # keys and indices that exist in the data
    union_depth: int | None = None  # len(parts) where a union's branches diverged, if any
    tag: str | None = None  # the kind of the innermost spec item on the way


def _locate(loc: Iterable[Any], data: Any, error_type: str) -> _Location:
    """Follow a Pydantic error location through the data: parts that are not keys or
    indices of the data are union-branch names (``int``, ``tuple[int,int]``) or tags."""
    loc = list(loc)
    where, node = _Location([]), data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if part in _ITEM_TAGS and not last and where.parts and isinstance(where.parts[-1], int):
            where.tag = part
            continue  # the tag after a list index: which kind of item (it may equal a key)
        if isinstance(node, dict) and part in node or (
                isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)):
            where.parts.append(part)
            node = node[part]
        elif last and error_type in ("missing", "extra_forbidden"):
            where.parts.append(part)  # a key that is absent (missing) is still the place
        elif where.union_depth is None:
            where.union_depth = len(where.parts)
    return where


def pydantic_diagnostics(exc: ValidationError, base: str = "", *, data: Any = None,
                         layer: str | None = None, known_fields: Iterable[str] = (),
                         context: str = "") -> list[Diagnostic]:
    """One diagnostic per distinct place in the file; a union's failed branches become one."""
    found: dict[str, Diagnostic] = {}
    unions: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False):
        where = _locate(error["loc"], data, error["type"])
        if where.union_depth is not None:
            parts = where.parts[:where.union_depth]
            inner = where.parts[where.union_depth:]
            detail = _union_detail(error, inner)
            unions.setdefault(base + pointer_join(*parts), []).append((error["type"], detail))
            continue
        pointer = base + pointer_join(*where.parts)
        if pointer not in found:
            known = known_fields if not where.parts[:-1] else _known_keys(where.parts[:-1], known_fields,
                                                                          where.tag)
            found[pointer] = _diagnostic(error, pointer, layer, list(known), context)
    for pointer, details in unions.items():
        if pointer not in found:
            found[pointer] = _union_diagnostic(pointer, _value_at(data, pointer[len(base):]),
                                               details, layer, context)
    return _drop_missing_explained_by_typos(list(found.values()))


def _union_detail(error: dict, inner: list) -> str:
    """One branch's failure in layergraph's words, e.g. "item 1 is missing"."""
    if error["type"] == "missing" and inner and isinstance(inner[-1], int):
        return f"item {inner[-1]} is missing"
    return _message(error) + (f" (at item {'/'.join(map(str, inner))})" if inner else "")


def _drop_missing_explained_by_typos(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """`kernal_size` given and `kernel_size` missing is one mistake: keep the typo's report."""
    suggested = " ".join(d.hint or "" for d in diagnostics if d.code is Code.UNKNOWN_PARAMETER)
    return [d for d in diagnostics
            if not (d.message.startswith("Missing required")
                    and f"`{d.pointer.rsplit('/', 1)[-1]}`" in suggested)]


def _known_keys(container: list, fallback: Iterable[str], tag: str | None = None) -> list[str]:
    """The keys allowed in the spec object at ``container`` (for "did you mean")."""
    from ..spec import BlockDef, BlockUse, InputSpec, SharedCall

    if tag == "share" and len(container) >= 2 and container[-2] == "layers":
        return list(SharedCall.model_fields)

    if len(container) == 2 and container[0] == "inputs":
        return list(InputSpec.model_fields)
    if len(container) == 2 and container[0] == "blocks":
        return list(BlockDef.model_fields)
    if len(container) >= 2 and container[-2] == "layers":
        return list(BlockUse.model_fields)
    return list(fallback)


def _value_at(data: Any, pointer: str) -> Any:
    for part in [p for p in pointer.split("/")[1:]]:
        part = unescape(part)
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def _union_diagnostic(pointer: str, received: Any, errors: list[tuple[str, str]], layer,
                      context: str):
    key = pointer.rsplit("/", 1)[-1] if pointer else "(root)"
    # A branch whose type matched but whose value did not (strides=0) says what is wrong;
    # the branches of other types ("expected a tuple") are noise then.
    relevant = [d for t, d in errors if not t.endswith("_type")] or [d for _, d in errors]
    details = list(dict.fromkeys(relevant))
    if len(details) == 1:
        return Diagnostic(
            Code.INVALID_PARAMETER if layer else Code.BAD_STRUCTURE,
            f"Invalid value for {_describe_key(pointer)}{context}: {details[0]}. "
            f"Received: {_received(key, received)}.", layer=layer, pointer=pointer)
    return Diagnostic(
        Code.INVALID_PARAMETER if layer else Code.BAD_STRUCTURE,
        f"Invalid value for {_describe_key(pointer)}{context}: no accepted form matches "
        f"({'; or '.join(details)}). Received: {_received(key, received)}.",
        layer=layer, pointer=pointer)


def _diagnostic(error: dict, pointer: str, layer, known_fields: list[str], context: str) -> Diagnostic:
    key = unescape(pointer.rsplit("/", 1)[-1]) if pointer else "(root)"
    what = _describe_key(pointer)
    received = error.get("input")
    if error["type"] == "extra_forbidden":
        return Diagnostic(
            Code.UNKNOWN_PARAMETER if layer else Code.BAD_STRUCTURE,
            f"Unknown {'parameter' if layer else 'key'} `{key}`{context}: expected one of "
            f"{_short_list(known_fields)}. Received: {key}={_short(received)}.",
            layer=layer, pointer=pointer,
            hint=_INPUT_SHAPE_HINT if key in _KERAS_INPUT_KEYS else did_you_mean(key, known_fields))
    if error["type"] == "missing":
        return Diagnostic(
            Code.INVALID_PARAMETER if layer else Code.BAD_STRUCTURE,
            f"Missing required {'parameter' if layer else 'key'} `{key}`{context}. Received: nothing.",
            layer=layer, pointer=pointer)
    return Diagnostic(
        Code.INVALID_PARAMETER if layer else Code.BAD_STRUCTURE,
        f"Invalid value for {what}{context}: {_message(error)}. Received: {_received(key, received)}.",
        layer=layer, pointer=pointer)


_KERAS_INPUT_KEYS = {"input_shape", "batch_input_shape", "input_dim", "batch_size"}
_INPUT_SHAPE_HINT = ('layergraph declares input shapes once, in the top-level `inputs` '
                     '(e.g. "inputs": [{"shape": [28, 28, 1]}], batch axis left out)')


def _received(key: str, value: Any) -> str:
    return _short(value) if key.isdigit() or key == "(root)" else f"{key}={_short(value)}"


def _describe_key(pointer: str) -> str:
    """`units`, or "item 0 of `shape`" for an element of a list."""
    parts = pointer.split("/")
    if not pointer:
        return "the spec"
    if parts[-1].isdigit() and len(parts) > 2:
        return f"item {parts[-1]} of `{parts[-2]}`"
    return f"`{parts[-1]}`"


_PLAIN = {
    "model_type": "expected a JSON object", "dict_type": "expected a JSON object",
    "model_attributes_type": "expected a JSON object", "list_type": "expected a JSON array",
    "tuple_type": "expected a JSON array", "string_type": "expected a string",
    "int_type": "expected an integer", "bool_type": "expected true or false",
    "float_type": "expected a number", "none_required": "expected null",
}


_BOUNDS = {"greater_than_equal": ("greater than or equal to", "ge"),
           "greater_than": ("greater than", "gt"),
           "less_than_equal": ("less than or equal to", "le"), "less_than": ("less than", "lt")}


def _message(error: dict) -> str:
    """The error in layergraph's words (Pydantic's own wording never reaches the user)."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in _PLAIN:
        return _PLAIN[kind]
    if kind in _BOUNDS:
        sign, key = _BOUNDS[kind]
        return f"expected a value {sign} {ctx.get(key)}"
    if kind == "literal_error":
        return f"expected {ctx.get('expected')}"
    if kind in ("too_short", "too_long"):
        bound = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        return (f"expected {'at least' if kind == 'too_short' else 'at most'} {bound} item(s), "
                f"got {ctx.get('actual_length')}")
    if kind == "string_too_short":
        return "expected a non-empty string"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == NAME_PATTERN:
        return name_problem(error["input"]) or _PLAIN["string_type"]
    if kind == "missing":
        return "a value is missing"
    if kind in ("int_from_float", "int_parsing"):
        return "expected an integer"
    message = error["msg"]
    return message[len("Value error, "):] if message.startswith("Value error, ") else message.lower()


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short_list(names: list[str], limit: int = 8) -> str:
    if not names:
        return "no other keys"
    shown = ", ".join(f"`{n}`" for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def validate_params(model: type[BaseModel], params: dict, pointer: str, layer: str,
                    type_name: str) -> tuple[BaseModel | None, list[Diagnostic]]:
    """Validate a layer's parameters against its type's model."""
    if not getattr(model, "__pydantic_complete__", True):
        model.model_rebuild()  # a deferred model (defer_build) builds its validator now
    try:  # the model's validator itself: model_validate adds a call per layer
        return model.__pydantic_validator__.validate_python(params), []
    except ValidationError as exc:
        return None, pydantic_diagnostics(
            exc, pointer, data=params, layer=layer, known_fields=list(model.model_fields),
            context=f" of layer '{layer}' ({type_name})")


def rank_hint(layer_type, params, shapes, sources) -> str | None:
    """A better hint for a rank error whose input is a model input: a missing channel
    axis or an included batch axis, found by trying the shape Keras would accept."""
    if len(shapes) != 1 or len(sources) != 1 or sources[0].type != "InputLayer":
        return None
    shape, name = tuple(shapes[0]), sources[0].name
    trials = ((shape + (1,), f"add a channel axis to input '{name}' (e.g. {_json(shape + (1,))})"),
              (shape[1:], f"shapes leave out the batch axis: write input '{name}' as "
                          f"{_json(shape[1:])}"))
    for candidate, hint in trials:
        if not candidate:
            continue
        try:
            layer_type.output_shape(params, [candidate])
        except Exception:  # this fix does not fit either; try the next
            continue
        return hint
    return None


def _json(shape: tuple) -> str:
    return "[" + ", ".join("null" if d is None else str(d) for d in shape) + "]"


def notes(analysis) -> list[Diagnostic]:
    """Valid but likely unintended: a Dense layer on a feature map (Keras applies it per
    position; students rarely mean that)."""
    found = []
    for result in analysis.layers.values():
        if result.type != "Dense" or not result.ok or len(result.inputs) != 1:
            continue
        shape = analysis.layers[result.inputs[0]].output_shape
        if shape is not None and len(shape) >= 3:
            diagnostic = Diagnostic(
                Code.LIKELY_MISSING_FLATTEN,
                f"Dense layer '{result.name}' acts on a rank-{len(shape)} feature map "
                f"{tuple(shape)}: Keras applies it at every position, on the last axis only. "
                "Did you forget a Flatten?", severity=Severity.INFO, layer=result.name,
                pointer=result.pointer,
                hint="add a Flatten (or a global pooling) before it if you want one vector per sample")
            result.diagnostics.append(diagnostic)
            found.append(diagnostic)
    return found


def templated(value: Any) -> bool:
    """True when a value holds a template (``"$n"``, ``"${n}"``), at any depth.

    Every string that :func:`..expand.substitute` would change is one of these.
    """
    if isinstance(value, str):
        return value.startswith("$") or "${" in value
    if isinstance(value, dict):
        value = value.values()
    elif not isinstance(value, list):
        return False
    for item in value:  # a loop, not any(generator): every block item passes here per use
        if templated(item):
            return True
    return False


def check_unexpanded_blocks(spec, expansion, registry) -> list[Diagnostic]:
    """Check the bodies of blocks that were never expanded (unused, or every use had an
    error), so a bad use does not hide the body's own errors. Values that are block
    parameters (``"$n"``) are left for the expansion to check."""
    expanded = {instance.block for instance in expansion.blocks}
    found = []
    for block_name, block in spec.blocks.items():
        if block_name in expanded:
            continue
        for i, item in enumerate(block.layers):
            if not hasattr(item, "params"):
                continue  # a nested use or a shared call: checked when expanded
            pointer = pointer_join("blocks", block_name, "layers", i)
            found.extend(_check_body_layer(item, pointer, registry, block_name))
    return found


def _check_body_layer(item, pointer: str, registry, block_name: str) -> list[Diagnostic]:
    if templated(item.type):
        return []
    layer_type = registry.get(item.type)
    label = item.name or item.type
    if layer_type is None:
        return [Diagnostic(
            Code.UNKNOWN_TYPE, f"Unknown layer type '{item.type}' in block '{block_name}': expected a "
            f"registered Keras layer class name. Received: type={item.type!r}.",
            pointer=pointer + "/type", hint=did_you_mean(item.type, registry.names())
            or "run `layergraph layers` to list types; others come from plugins")]
    params = item.params
    templated_keys = {k for k, v in params.items() if templated(v)}
    try:
        layer_type.Params.model_validate({k: v for k, v in params.items() if k not in templated_keys})
        return []
    except ValidationError as exc:
        problems = pydantic_diagnostics(
            exc, pointer, data=params, layer=label, known_fields=list(layer_type.Params.model_fields),
            context=f" of a {item.type} layer in block '{block_name}'")
    for problem in problems:
        problem.layer = None  # no layer of that name exists until the block is used
    return [d for d in problems if d.pointer.rsplit("/", 1)[-1] not in templated_keys]
