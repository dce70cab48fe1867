"""Turning Pydantic validation errors into layergraph diagnostics."""

from __future__ import annotations

from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from ..diagnostics import Code, Diagnostic, did_you_mean, pointer_join

_UNION_TAGS = {"layer", "block"}
_TYPE_TAGS = {"int", "str", "float", "bool", "none", "list", "dict", "tuple"}


def loc_to_pointer(base: str, loc: Iterable[Any]) -> str:
    """JSON pointer for a Pydantic error location, without union tags and type names."""
    parts: list[Any] = []
    for part in loc:
        if isinstance(part, str) and parts and isinstance(parts[-1], int) and part in _UNION_TAGS:
            continue  # the discriminator tag of a layer item, not a key in the file
        if isinstance(part, str) and (part in _TYPE_TAGS or "[" in part or "-" in part):
            continue  # a union member's type name, not a key in the file
        parts.append(part)
    return base + pointer_join(*parts)


def pydantic_diagnostics(exc: ValidationError, base: str = "", *, layer: str | None = None,
                         known_fields: Iterable[str] = (), context: str = "") -> list[Diagnostic]:
    """One diagnostic per distinct location in a Pydantic error (union noise removed)."""
    seen: dict[str, Diagnostic] = {}
    for error in exc.errors(include_url=False):
        pointer = loc_to_pointer(base, error["loc"])
        if pointer in seen:
            continue
        seen[pointer] = _diagnostic(error, pointer, layer, list(known_fields), context)
    return _drop_missing_explained_by_typos(list(seen.values()))


def _drop_missing_explained_by_typos(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """`kernal_size` given and `kernel_size` missing is one mistake: keep the typo's report."""
    suggested = " ".join(d.hint or "" for d in diagnostics if d.code is Code.UNKNOWN_PARAMETER)
    return [d for d in diagnostics
            if not (d.message.startswith("Missing required")
                    and f"`{d.pointer.rsplit('/', 1)[-1]}`" in suggested)]


def _diagnostic(error: dict, pointer: str, layer, known_fields: list[str], context: str) -> Diagnostic:
    key = pointer.rsplit("/", 1)[-1] if pointer else "(root)"
    received = error.get("input")
    if error["type"] == "extra_forbidden":
        return Diagnostic(
            Code.UNKNOWN_PARAMETER if layer else Code.BAD_STRUCTURE,
            f"Unknown {'parameter' if layer else 'key'} `{key}`{context}: expected one of "
            f"{_short_list(known_fields)}. Received: {key}={_short(received)}.",
            layer=layer, pointer=pointer, hint=did_you_mean(key, known_fields))
    if error["type"] == "missing":
        return Diagnostic(
            Code.INVALID_PARAMETER if layer else Code.BAD_STRUCTURE,
            f"Missing required {'parameter' if layer else 'key'} `{key}`{context}. Received: nothing.",
            layer=layer, pointer=pointer)
    return Diagnostic(
        Code.INVALID_PARAMETER if layer else Code.BAD_STRUCTURE,
        f"Invalid value for `{key}`{context}: {_message(error)}. Received: {key}={_short(received)}.",
        layer=layer, pointer=pointer)


def _message(error: dict) -> str:
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
    try:
        return model.model_validate(params), []
    except ValidationError as exc:
        return None, pydantic_diagnostics(
            exc, pointer, layer=layer, known_fields=list(model.model_fields),
            context=f" of layer '{layer}' ({type_name})")
