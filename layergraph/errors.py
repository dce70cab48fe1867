"""The root of layergraph's exceptions, and the errors raised to API callers.

Checking never raises for a bad spec (problems are diagnostics); these are for
calls that cannot do their job: ``load_spec`` on a spec with errors, an output
that cannot be written, Keras missing. Catch ``LayergraphError`` for all of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # diagnostics are only named here; no import cycle at run time
    from .diagnostics import Diagnostic


class LayergraphError(Exception):
    """Base class of every error layergraph raises on purpose."""


class SpecError(LayergraphError, ValueError):
    """A spec has errors; ``diagnostics`` lists them."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        lines = "\n".join(d.format() for d in diagnostics)
        super().__init__(f"the spec has {len(diagnostics)} error(s):\n{lines}")
