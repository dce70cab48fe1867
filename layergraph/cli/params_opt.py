"""The ``--set NAME=VALUE`` option shared by the commands that read a spec."""

from __future__ import annotations

from typing import Annotated, Any, List, Optional

import typer

from ..compiler.params import parse_assignment
from .output import fail

SetOpt = Annotated[Optional[List[str]], typer.Option(
    "--set", metavar="NAME=VALUE", show_default=False,
    help="Override a spec parameter (repeatable): --set width=128. VALUE is JSON, else text.")]


def overrides(sets: list[str] | None) -> dict[str, Any] | None:
    """The ``--set`` values as a dict (None when there are none); a malformed one is a usage error."""
    result = {}
    for text in sets or []:
        try:
            name, value = parse_assignment(text)
        except ValueError as exc:
            fail(f"--set: {exc}", 2)
        result[name] = value
    return result or None
