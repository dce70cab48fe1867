"""How the editor writes counts, shapes and names in its table."""

import json

import pytest

from conftest import SPECS
from layergraph.editing.document import Document
from layergraph.editing.rows import build_rows
from layergraph.tui.present import compact_count, name_cell, shape_cell


@pytest.mark.parametrize("n, text", [
    (0, "0"), (1792, "1,792"), (9999, "9,999"), (10_000, "10.0k"), (73_856, "73.9k"), (99_960, "100k"),
    (147_584, "148k"), (999_999, "1.00M"), (2_359_808, "2.36M"), (138_357_544, "138M"), (10**13, "10.0T")])
def test_counts_fit_in_six_characters(n, text):
    assert compact_count(n) == text and len(text) <= 6


def rows(stem, edit=None):
    data = json.loads((SPECS / f"{stem}.json").read_text())
    if edit:
        edit(data)
    doc = Document(data)
    return {r.key: r for r in build_rows(doc.data, doc.analysis, doc.names)}


def test_a_broken_layer_shows_the_reason_and_layers_after_it_a_dash():
    table = rows("alexnet", lambda d: d["layers"][7].update(pool_size=15))
    assert shape_cell(table["pool3"]).plain == "✗ size ≤ 0"
    assert shape_cell(table["flatten"]).plain == "—"
    assert shape_cell(table["conv5"]).plain == "13×13×256"


def test_names_inside_a_block_dim_the_instance_prefix():
    cell = name_cell(rows("vgg16")["block2_conv1"])
    assert cell.plain == "block2_conv1"
    assert [(cell.plain[s.start:s.end], s.style) for s in cell.spans] == [("block2_", "dim")]


def test_every_short_reason_fits_the_shape_column():
    from layergraph.diagnostics import Code
    from layergraph.tui.present import SHORT_REASONS
    assert all(len(text) <= 10 for text in SHORT_REASONS.values())
    assert {c.value for c in Code if c.value[2] in "2345"} <= set(SHORT_REASONS)


def test_the_readme_key_reference_is_the_command_table():
    from conftest import ROOT
    from layergraph.tui.commands import markdown_reference
    assert markdown_reference() in (ROOT / "README.md").read_text(encoding="utf-8")
