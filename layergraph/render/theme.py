"""Colour themes: light (screens and slides), dark (dark slides), print (black and white).

Every layer family has a fill and a border colour; the print theme tells families
apart by grey level and border style instead of hue, so a photocopy stays readable.
Broken layers are red in the colour themes and double-bordered in print.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..registry import FAMILIES as REGISTRY_FAMILIES

# The layer families (a checked vocabulary on the layer classes) plus the render-only ones;
# a family without a style of its own is drawn in the 'other' style.
FAMILIES = REGISTRY_FAMILIES + ("unknown", "group")

# Sans-serif fonts every Graphviz install resolves (SVG viewers pick the first they have).
FONT = "Helvetica,Arial,sans-serif"


@dataclass(frozen=True)
class FamilyStyle:
    fill: str
    border: str
    style: str = "solid"  # Graphviz border style: solid, dashed, dotted, bold


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    text: str
    muted: str
    edge: str
    cluster_fill: str
    cluster_border: str
    error_fill: str
    error_border: str
    error_text: str
    families: dict[str, FamilyStyle] = field(default_factory=dict)
    font: str = FONT
    # Font sizes in points; the smallest one decides whether a picture is readable.
    title_size: float = 20.0
    name_size: float = 13.0
    text_size: float = 11.0
    small_size: float = 10.0

    def family(self, name: str) -> FamilyStyle:
        """The style of a layer family (unknown families get the 'other' style)."""
        return self.families.get(name) or self.families["other"]

    @property
    def min_font_size(self) -> float:
        return min(self.title_size, self.name_size, self.text_size, self.small_size)


def _styles(colours: dict[str, tuple[str, str]], **styles: str) -> dict[str, FamilyStyle]:
    return {name: FamilyStyle(fill, border, styles.get(name, "solid"))
            for name, (fill, border) in colours.items()}


LIGHT = Theme(
    name="light", background="white", text="#1a1a1a", muted="#555555", edge="#444444",
    cluster_fill="#f7f7f7", cluster_border="#9e9e9e",
    error_fill="#f8d7da", error_border="#c00000", error_text="#a00000",
    families=_styles({
        "input": ("#eeeeee", "#616161"),
        "conv": ("#cfe2f3", "#3d85c6"),
        "pooling": ("#fce5cd", "#e69138"),
        "dense": ("#d9d2e9", "#674ea7"),
        "normalization": ("#d9ead3", "#6aa84f"),
        "merge": ("#fff2cc", "#bf9000"),
        "activation": ("#d0e0e3", "#45818e"),
        "regularization": ("#f3f3f3", "#999999"),
        "reshape": ("#ead1dc", "#a64d79"),
        "preprocessing": ("#fff8e1", "#8d6e63"),
        "recurrent": ("#f4cccc", "#cc4125"),
        "attention": ("#c9f0e4", "#2e8b6e"),
        "embedding": ("#e6d9f2", "#8e44ad"),
        "other": ("#ffffff", "#757575"),
        "unknown": ("#ffffff", "#757575"),
        "group": ("#e8eef7", "#3c5a8a"),
    }),
)

DARK = Theme(
    name="dark", background="#1e1e1e", text="#eeeeee", muted="#b0b0b0", edge="#c8c8c8",
    cluster_fill="#2a2a2a", cluster_border="#6e6e6e",
    error_fill="#5c1a1f", error_border="#ff6b6b", error_text="#ffb3b3",
    families=_styles({
        "input": ("#3a3a3a", "#9e9e9e"),
        "conv": ("#1f3b57", "#6fa8dc"),
        "pooling": ("#5a3a17", "#f6b26b"),
        "dense": ("#3b2f5c", "#b4a7d6"),
        "normalization": ("#274e13", "#93c47d"),
        "merge": ("#5c4a0f", "#ffd966"),
        "activation": ("#1c4048", "#76a5af"),
        "regularization": ("#333333", "#8a8a8a"),
        "reshape": ("#4c1130", "#d5a6bd"),
        "preprocessing": ("#3e2f23", "#bcaaa4"),
        "recurrent": ("#5b1f14", "#ea9999"),
        "attention": ("#163d32", "#7fd1b5"),
        "embedding": ("#3a2350", "#c39bd3"),
        "other": ("#2b2b2b", "#9e9e9e"),
        "unknown": ("#2b2b2b", "#9e9e9e"),
        "group": ("#263445", "#8fb0d9"),
    }),
)

# Black and white: grey levels that survive a photocopier, plus border styles.
PRINT = Theme(
    name="print", background="white", text="black", muted="#333333", edge="black",
    cluster_fill="white", cluster_border="black",
    error_fill="white", error_border="black", error_text="black",
    families=_styles({
        "input": ("white", "black"),
        "conv": ("#d9d9d9", "black"),
        "pooling": ("white", "black"),
        "dense": ("#bfbfbf", "black"),
        "normalization": ("white", "black"),
        "merge": ("#f2f2f2", "black"),
        "activation": ("white", "black"),
        "regularization": ("white", "black"),
        "reshape": ("#f2f2f2", "black"),
        "preprocessing": ("white", "black"),
        "recurrent": ("#a6a6a6", "black"),
        "attention": ("#cccccc", "black"),
        "embedding": ("#e0e0e0", "black"),
        "other": ("white", "black"),
        "unknown": ("white", "black"),
        "group": ("#ececec", "black"),
    }, pooling="bold", normalization="dashed", activation="dashed", regularization="dotted",
       input="bold", preprocessing="dotted", recurrent="bold"),
)

THEMES = {theme.name: theme for theme in (LIGHT, DARK, PRINT)}


def get_theme(name: str) -> Theme:
    """The theme called ``name`` (light, dark or print)."""
    return THEMES[name]
