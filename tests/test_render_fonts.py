"""Every script renders: Korean text embeds a Hangul font in PDFs, or the command warns."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from layergraph.cli import app

ROOT = Path(__file__).resolve().parent.parent
KOREAN = ROOT / "tests" / "fixtures" / "figures" / "korean_cnn.json"


def hangul_postscript_names() -> set[str]:
    """What fontconfig itself says can draw 가 (U+AC00): the independent truth."""
    if shutil.which("fc-list") is None:
        return set()
    out = subprocess.run(["fc-list", ":charset=ac00", "postscriptname"], capture_output=True,
                         text=True, check=False).stdout
    return {m.strip() for m in re.findall(r"postscriptname=([^\n:]+)", out)}


HANGUL_FONTS = hangul_postscript_names()
needs_hangul_font = pytest.mark.skipif(not HANGUL_FONTS, reason="no Hangul font installed")


def embedded_fonts(pdf: bytes) -> set[str]:
    """The /BaseFont names of a PDF's font dictionaries, without subset prefixes."""
    return {m.decode() for m in re.findall(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([^\s/\[\]<>]+)", pdf)}


def run(*args):
    result = CliRunner().invoke(app, ["render", *map(str, args)])
    print(result.stdout, result.stderr)
    return result


@needs_hangul_font
@pytest.mark.parametrize("style", ["volumes", "graph", "blocks"])
def test_the_pdf_of_a_korean_spec_embeds_a_hangul_font(tmp_path, style):
    if style != "volumes" and shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    target = tmp_path / "korean.pdf"
    result = run(KOREAN, "--style", style, "-o", target)
    assert result.exit_code == 0
    fonts = embedded_fonts(target.read_bytes())
    assert fonts & HANGUL_FONTS, f"embedded {fonts}, none of which draws Hangul"
    assert "no glyphs" not in result.stderr


@needs_hangul_font
def test_a_font_without_hangul_gets_a_warning_naming_the_characters(tmp_path):
    latin = subprocess.run(["fc-list", ":lang=en", "family"], capture_output=True, text=True).stdout
    if "DejaVu Sans" not in latin:
        pytest.skip("DejaVu Sans is not installed")
    result = run(KOREAN, "--style", "volumes", "--font", "DejaVu Sans", "-o", tmp_path / "k.svg")
    assert result.exit_code == 0
    assert "no glyphs for" in result.stderr and ("곱" in result.stderr or "합" in result.stderr)


@needs_hangul_font
def test_the_font_option_puts_the_chosen_family_first(tmp_path):
    family = "NanumGothic" if "NanumGothic" in "".join(HANGUL_FONTS) else "Noto Sans CJK KR"
    target = tmp_path / "k.svg"
    assert run(KOREAN, "--style", "volumes", "--font", family, "-o", target).exit_code == 0
    assert re.search(r"font-family=\"'?" + re.escape(family), target.read_text())


def test_the_volumes_svg_keeps_korean_text_as_text(tmp_path):
    target = tmp_path / "k.svg"
    assert run(KOREAN, "--style", "volumes", "-o", target).exit_code == 0
    svg = target.read_text(encoding="utf-8")
    assert "합성곱1" in svg and "밀집층" in svg
