"""Short descriptions for diagrams: what a collapsed block contains, in one line.

``block3: 3×Conv2D 256 + MaxPool → 28×28×256`` is how a lecturer summarises a
VGG block; :func:`group_summary` writes the ``3×Conv2D 256 + MaxPool`` part.
"""

from __future__ import annotations

from ..compiler.analysis import LayerResult

# Families that accompany the main layers; a summary lists them once, after the rest.
MINOR_FAMILIES = ("normalization", "activation", "regularization")


def short_type(result: LayerResult) -> str:
    """``MaxPool`` for MaxPooling2D; an Activation layer is named by its function."""
    if result.type == "Activation" and result.params is not None:
        name = getattr(result.params, "activation", None)
        if isinstance(name, str):
            return {"relu": "ReLU", "softmax": "Softmax", "sigmoid": "Sigmoid"}.get(name, name)
    short = result.layer_type.short_name if result.layer_type is not None else None
    return short or result.type


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
    branched = _branch_term(item, analysis, minor)
    if branched:
        return [branched]
    terms: list[str] = []
    for child in item.children:
        if child.kind == "group":
            inner = _rle(_terms(child, analysis, minor))
            if inner:
                terms.append(inner[0] if len(inner) == 1 else f"({' + '.join(inner)})")
        else:
            terms.extend(_terms(child, analysis, minor))
    return terms


def _branch_term(item, analysis, minor: list[str]) -> str | None:
    """``4 branches: 6×Conv2D, MaxPool → Concat`` for a group entered in several places.

    Listing a branching block's layers in one line would suggest a chain; counting
    them by type, then naming the merge, does not.
    """
    members = set(item.layers)
    results = [analysis.layers[name] for name in item.layers]
    entries = [r for r in results if not r.inputs or any(i not in members for i in r.inputs)]
    if len(entries) < 2 or any(r.family == "input" for r in entries):
        return None
    major = [r for r in results if r.family not in MINOR_FAMILIES]
    for r in results:
        if r.family in MINOR_FAMILIES and short_type(r) not in minor:
            minor.append(short_type(r))
    merge = major[-1] if major and major[-1].family == "merge" else None
    counted = _count([short_type(r) + _size_key(r) for r in major if r is not merge])
    if len(counted) > 3:
        counted = _count([short_type(r) for r in major if r is not merge])
    body = ", ".join(counted)
    return f"{len(entries)} branches: {body}" + (f" → {short_type(merge)}" if merge else "")


def _count(terms: list[str]) -> list[str]:
    """``[a, b, a]`` → ``['2×a', 'b']`` (first-appearance order)."""
    counts: dict[str, int] = {}
    for term in terms:
        counts[term] = counts.get(term, 0) + 1
    return [text if n == 1 else f"{n}×{text}" for text, n in counts.items()]


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
