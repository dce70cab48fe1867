"""Rendering options: one validated, immutable object shared by every stage.

The Python API (``lg.render(spec, path, **options)``) and the CLI both build a
:class:`RenderOptions` through :func:`make_options`, so a bad value gets the same
clear ``ValueError`` (CLI: a usage error) wherever it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, Iterable

from ..diagnostics import did_you_mean

STYLES = ("graph", "blocks", "volumes")
RANKDIRS = ("LR", "TB")
THEMES = ("light", "dark", "print")
HIDEABLE = ("shapes", "params", "hyperparams")
COLLAPSE_MODES = ("auto", "all", "none")
FORMATS = ("png", "svg", "pdf", "dot", "tex")
LANGS = ("en", "ko")

# Graphviz silently scales anything larger than 32,767 px a side down to an
# unreadable strip; layergraph keeps every side below this many pixels.
MAX_SIDE_PX = 32_000


class OptionError(ValueError):
    """An option has a value layergraph does not know; the message lists the valid ones."""


@dataclass(frozen=True)
class RenderOptions:
    """How to draw a spec. Every field has a default that suits lecture notes.

    ``collapse``: ``"auto"`` collapses repeated blocks only when the full graph would be
    too large to read, ``"all"`` draws every block as one node, ``"none"`` never collapses.
    ``rows``: how many rows (columns with ``rankdir="TB"``) a long chain is wrapped into;
    0 chooses automatically, 1 never wraps.
    """

    style: str = "graph"
    rankdir: str = "LR"
    theme: str = "light"
    hide: frozenset[str] = frozenset()
    collapse: str = "auto"
    rows: int = 0
    dpi: int = 150
    format: str | None = None
    title: str | None = None
    strict: bool = False
    overwrite: bool = True
    max_nodes: int = 200
    timeout: float = 300.0
    font: str | None = None          # first font family; default: a stack that covers the text
    caption: bool = True             # volumes: the spec's description under the title
    notes: bool = False              # volumes: layer descriptions as notes under the figure
    lang: str = "en"                 # footer words: en or ko

    def shows(self, detail: str) -> bool:
        """True unless ``detail`` (shapes, params, hyperparams) is hidden."""
        return detail not in self.hide


def _choice(option: str, value: Any, choices: Iterable[str], *, upper: bool = False) -> str:
    text = str(value).strip()
    text = text.upper() if upper else text.lower()
    choices = tuple(choices)
    if text not in choices:
        hint = did_you_mean(text, choices)
        raise OptionError(f"unknown {option} {value!r}: expected one of {', '.join(choices)}"
                          + (f" ({hint})" if hint else ""))
    return text


def parse_hide(value: Any) -> frozenset[str]:
    """``"shapes,params"`` or an iterable of names → a validated frozenset."""
    if value is None or value == "":
        return frozenset()
    items = value.split(",") if isinstance(value, str) else list(value)
    return frozenset(_choice("detail to hide", item, HIDEABLE) for item in items if str(item).strip())


def parse_collapse(value: Any) -> str:
    """True → all, False → none, None → auto; strings as given."""
    if value is None:
        return "auto"
    if isinstance(value, bool):
        return "all" if value else "none"
    return _choice("collapse mode", value, COLLAPSE_MODES)


def _positive_int(option: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise OptionError(f"{option} must be an integer from {low} to {high}; received {value!r}")
    return value


def make_options(options: RenderOptions | None = None, **overrides: Any) -> RenderOptions:
    """Validate keyword options (as the API and CLI receive them) into RenderOptions."""
    base = options or RenderOptions()
    known = {f.name for f in fields(RenderOptions)}
    for key in overrides:
        if key not in known:
            hint = did_you_mean(key, sorted(known))
            raise TypeError(f"unknown render option {key!r}" + (f"; {hint}" if hint else ""))
    values = {**{f.name: getattr(base, f.name) for f in fields(base)}, **overrides}
    return replace(
        base,
        style=_choice("style", values["style"], STYLES),
        rankdir=_choice("rankdir", values["rankdir"], RANKDIRS, upper=True),
        theme=_choice("theme", values["theme"], THEMES),
        hide=parse_hide(values["hide"]),
        collapse=parse_collapse(values["collapse"]),
        rows=_positive_int("rows", values["rows"], 0, 1000),
        dpi=_positive_int("dpi", values["dpi"], 10, 1200),
        format=None if values["format"] is None else _choice("format", values["format"], FORMATS),
        title=None if values["title"] is None else str(values["title"]),
        strict=bool(values["strict"]),
        overwrite=bool(values["overwrite"]),
        max_nodes=_positive_int("max_nodes", values["max_nodes"], 10, 100_000),
        timeout=_seconds(values["timeout"]),
        font=None if not values["font"] else str(values["font"]).strip(),
        caption=bool(values["caption"]),
        notes=bool(values["notes"]),
        lang=_choice("language", values["lang"], LANGS),
    )


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 86_400:
        raise OptionError(f"timeout must be a number of seconds above 0; received {value!r}")
    return float(value)
