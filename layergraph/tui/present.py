"""How rows, totals and problems are written in the editor (Rich text, no widgets)."""

from __future__ import annotations

from rich.text import Text

from ..compiler.analysis import Analysis
from ..diagnostics import Diagnostic
from ..editing.rows import ERROR, OK, UNKNOWN, WARNING, Row
from ..layers.common import fmt_dims
from ..summary import human

STATUS = {OK: ("✓", "green"), WARNING: ("!", "yellow"), ERROR: ("✗", "bold red"), UNKNOWN: ("?", "dim")}

# At most ten characters for the shape cell of a broken layer (80 columns); the full
# message is in the inspector and the problems panel.
SHORT_REASONS = {
    "LG101": "structure", "LG201": "bad type", "LG202": "bad param", "LG203": "bad value",
    "LG301": "dup. name", "LG302": "no input", "LG303": "cycle", "LG304": "# inputs",
    "LG401": "mismatch", "LG402": "size ≤ 0", "LG403": "bad input", "LG501": "no block",
    "LG305": "bad output", "LG306": "unused", "LG307": "bad output", "LG308": "call arg",
    "LG309": "bad share",
    "LG502": "recursion", "LG503": "block args",
    "LG504": "spec param", "LG601": "too large", "LG701": "plugin", "LG702": "backend",
}


def shape_cell(row: Row) -> Text:
    """``55×55×96``; for a broken layer the reason in red; ``—`` when unknown."""
    if row.errors:
        code = row.errors[0].code.value
        return Text("✗ " + SHORT_REASONS.get(code, code), style="bold red")
    if row.result is None or row.result.output_shape is None:
        return Text("—", style="dim")
    return Text(compact_shape(row.result.output_shape))


def compact_shape(shape: tuple) -> str:
    """``55×55×96`` (``?`` for a size known only at run time)."""
    return fmt_dims(shape)


def params_text(row: Row) -> str:
    """``1,792``; from 10,000 on three significant digits (``148k``, ``2.36M``); ``—`` if unknown."""
    count = row.result.param_count if row.result is not None else None
    if count is None:
        return "—"
    return compact_count(count)


def compact_count(n: int) -> str:
    if n < 10_000:
        return f"{n:,}"
    for factor, suffix in ((10**3, "k"), (10**6, "M"), (10**9, "G"), (10**12, "T")):
        value = n / factor
        if value < 999.5 or suffix == "T":  # 999,999 is 1.00M, not 1000k
            digits = 2 if value < 9.995 else (1 if value < 99.95 else 0)
            return f"{value:.{digits}f}{suffix}"
    return str(n)


def name_cell(row: Row) -> Text:
    """The layer name; inside a block the instance prefix (``block1_``) is dimmed."""
    style = {ERROR: "bold red", UNKNOWN: "dim", WARNING: "yellow"}.get(row.status, "")
    text = Text(no_wrap=True, style=style)
    prefix = f"{row.block}_" if row.block and row.name.startswith(f"{row.block}_") else ""
    text.append(prefix, style="dim")
    text.append(row.name[len(prefix):])
    return text


def status_cell(row: Row) -> Text:
    glyph, style = STATUS[row.status]
    return Text(glyph, style=style)


TYPE_WIDTH = 15


def short_type(type_name: str) -> str:
    """The type, cut to fit the table (``GlobalAverageP…``); the inspector shows it whole."""
    return type_name if len(type_name) <= TYPE_WIDTH else type_name[: TYPE_WIDTH - 1] + "…"


def row_cells(row: Row, lanes: str, params_width: int = 0) -> tuple[Text, ...]:
    """The cells of one table row: graph, name, type, output shape, params, status."""
    params = params_text(row)
    cells = (Text(lanes, style="cyan", no_wrap=True), name_cell(row), Text(short_type(row.type), no_wrap=True),
             shape_cell(row), Text(params.rjust(params_width), style="dim" if params == "—" else ""))
    for cell in cells:  # one space between columns: the table has no cell padding (80 columns)
        cell.append(" ")
    return (*cells, status_cell(row))


def totals_text(analysis: Analysis) -> str:
    """``62.38 M params · 1.14 GMAC`` (marked incomplete when some layers are unknown)."""
    if not analysis.complete and not analysis.total_params and not analysis.total_macs:
        return "— params · — MAC"
    mark = "≥ " if not analysis.complete else ""
    return f"{mark}{human(analysis.total_params)} params · {mark}{human(analysis.total_macs, 'MAC')}"


def problems_text(analysis: Analysis) -> Text:
    errors, warnings = len(analysis.errors), len(analysis.warnings)
    if errors:
        text = Text(f"✗ {errors} error{'s' if errors != 1 else ''}", style="bold red")
        if warnings:
            text.append(f" {warnings} warning{'s' if warnings != 1 else ''}", style="yellow")
        return text
    if warnings:
        return Text(f"! {warnings} warning{'s' if warnings != 1 else ''}", style="yellow")
    return Text("✓ no problems", style="green")


def problem_line(diagnostic: Diagnostic) -> Text:
    """One line of the problems panel."""
    style = "red" if diagnostic.is_error else "yellow"
    text = Text("✗ " if diagnostic.is_error else "! ", style=style)
    text.append(diagnostic.code.value + " ", style="dim")
    if diagnostic.layer:
        text.append(diagnostic.layer + ": ", style="bold")
    text.append(diagnostic.message)
    if diagnostic.hint:
        text.append(f"  hint: {diagnostic.hint}", style="italic dim")
    return text
