"""Overriding a spec's parameters (``--set width=128``, ``analyze(spec, params=...)``).

An override must name a declared parameter (else a did-you-mean) and have the JSON type
of its default (an integer where a number is expected is fine). Its value then goes
through the same checks as the spec: it is substituted and each layer validates it.
"""

from __future__ import annotations

from typing import Any, Mapping

from ..diagnostics import Code, Diagnostic, did_you_mean
from ..spec import GraphSpec


def json_kind(value: Any) -> str:
    """The JSON type of a value, as messages name it."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return {str: "string", list: "array", dict: "object", type(None): "null"}.get(type(value), "value")


def _fits(value: Any, default: Any) -> bool:
    expected, given = json_kind(default), json_kind(value)
    return default is None or given == expected or (expected == "number" and given == "integer")


def apply_overrides(spec: GraphSpec, overrides: Mapping[str, Any]) -> tuple[GraphSpec, list[Diagnostic]]:
    """The spec with the accepted overrides as its parameters, and the rejected ones' errors."""
    problems, accepted = [], {}
    for name, value in overrides.items():
        if name not in spec.params:
            declared = ", ".join(sorted(spec.params)) or "none"
            problems.append(Diagnostic(
                Code.BAD_SPEC_PARAMETER,
                f"Unknown spec parameter `{name}` in an override: the spec declares {declared}. "
                f"Received: {name}={value!r}.", pointer="/params",
                hint=did_you_mean(name, spec.params) or "declare it under the spec's `params`"))
        elif not _fits(value, spec.params[name]):
            default = spec.params[name]
            problems.append(Diagnostic(
                Code.BAD_SPEC_PARAMETER,
                f"Invalid override of spec parameter `{name}`: expected {json_kind(default)} "
                f"like its default {default!r}. Received: {name}={value!r} ({json_kind(value)}).",
                pointer=f"/params/{name}"))
        else:
            accepted[name] = value
    if not accepted:
        return spec, problems
    return spec.model_copy(update={"params": {**spec.params, **accepted}}), problems


def parse_assignment(text: str) -> tuple[str, Any]:
    """``"width=128"`` → ``("width", 128)``: the value is JSON if it parses, else a string.

    Raises ValueError when there is no ``=`` or no name.
    """
    import json

    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise ValueError(f"expected NAME=VALUE (e.g. width=128). Received: {text!r}")
    try:
        return name.strip(), json.loads(raw)
    except ValueError:
        return name.strip(), raw
