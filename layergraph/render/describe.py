"""Short descriptions for diagrams: what a collapsed block contains, in one line.

``block3: 3×Conv2D 256 + MaxPool → 28×28×256`` is how a lecturer summarises a
VGG block; :func:`group_summary` writes the ``3×Conv2D 256 + MaxPool`` part.
"""

from __future__ import annotations

from ..compiler.analysis import LayerResult

SHORT_TYPES = {
    "MaxPooling2D": "MaxPool", "AveragePooling2D": "AvgPool", "MaxPooling1D": "MaxPool1D",
    "AveragePooling1D": "AvgPool1D", "GlobalAveragePooling2D": "GlobalAvgPool",
    "GlobalMaxPooling2D": "GlobalMaxPool", "BatchNormalization": "BN",
    "LayerNormalization": "LayerNorm", "Concatenate": "Concat", "ZeroPadding2D": "ZeroPad",
    "DepthwiseConv2D": "DWConv", "SeparableConv2D": "SepConv", "Conv2DTranspose": "ConvT",
    "InputLayer": "Input",
}
# Families that accompany the main layers; a summary lists them once, after the rest.
MINOR_FAMILIES = ("normalization", "activation", "regularization")


def short_type(result: LayerResult) -> str:
    """``MaxPool`` for MaxPooling2D; an Activation layer is named by its function."""
    if result.type == "Activation" and result.params is not None:
        name = getattr(result.params, "activation", None)
        if isinstance(name, str):
            return {"relu": "ReLU", "softmax": "Softmax", "sigmoid": "Sigmoid"}.get(name, name)
    return SHORT_TYPES.get(result.type, result.type)


def _size_key(result: LayerResult) -> str:
    """The width of a layer (filters or units) when it has one."""
    for attribute in ("filters", "units"):
        value = getattr(result.params, attribute, None) if result.params is not None else None
        if isinstance(value, int):
            return f" {value}"
    return ""


def item_summary(item, analysis) -> tuple[str, str]:
    """(main part, accompanying part) of a group, run or layer item of the scene's tree.

    ``('3×Conv2D 256 + MaxPool', 'with ReLU')``: consecutive equal parts are counted,
    nested groups are parenthesised, and normalisation, activation and dropout layers
    are listed once in the second part.
    """
    minor: list[str] = []
    terms = _terms(item, analysis, minor)
    main = " + ".join(_rle(terms))
    extra = ", ".join(minor)
    if not main:
        return extra, ""
    return main, (f"with {extra}" if extra else "")


def _terms(item, analysis, minor: list[str]) -> list[str]:
    if item.kind == "layer":
        result = analysis.layers[item.layers[0]]
        if result.family in MINOR_FAMILIES:
            name = short_type(result)
            if name not in minor:
                minor.append(name)
            return []
        return [short_type(result) + _size_key(result)]
    if item.kind == "run":
        inner = _rle(_terms(item.children[0], analysis, minor))
        body = " + ".join(inner)
        if len(inner) > 1 or item.children[0].kind == "group":
            body = f"({body})"
        return [f"{len(item.children)}×{body}"] if body else []
    terms: list[str] = []
    for child in item.children:
        if child.kind == "group":
            inner = _rle(_terms(child, analysis, minor))
            if inner:
                terms.append(inner[0] if len(inner) == 1 else f"({' + '.join(inner)})")
        else:
            terms.extend(_terms(child, analysis, minor))
    return terms


def _rle(terms: list[str]) -> list[str]:
    """``[a, a, a, b]`` → ``['3×a', 'b']``."""
    counted: list[list] = []
    for term in terms:
        if counted and counted[-1][0] == term:
            counted[-1][1] += 1
        else:
            counted.append([term, 1])
    return [text if count == 1 else f"{count}×{text}" for text, count in counted]


def run_title(first: str, last: str, count: int) -> str:
    """``conv2_block2 … conv2_block6`` for a run of repeated blocks."""
    return first if count == 1 else f"{first} … {last}"
