"""Finding a layer type from what a user types: names, abbreviations and common aliases, ranked.

``bn`` finds BatchNormalization, ``maxpool`` MaxPooling2D, ``conv`` Conv2D first; a type whose
name starts with the query ranks above one that merely mentions it in its description.
Textual-free, so the add dialog and tests share it.
"""

from __future__ import annotations

import re
from typing import Sequence

# What people call a layer → the Keras class names it means (several: most likely first).
ALIASES: dict[str, tuple[str, ...]] = {
    "bn": ("BatchNormalization",), "batchnorm": ("BatchNormalization",),
    "ln": ("LayerNormalization",), "layernorm": ("LayerNormalization",),
    "conv": ("Conv2D", "SeparableConv2D", "DepthwiseConv2D"), "convolution": ("Conv2D",),
    "dwconv": ("DepthwiseConv2D",), "sepconv": ("SeparableConv2D",),
    "maxpool": ("MaxPooling2D", "GlobalMaxPooling2D"), "avgpool": ("AveragePooling2D", "GlobalAveragePooling2D"),
    "pool": ("MaxPooling2D", "AveragePooling2D"), "gap": ("GlobalAveragePooling2D",),
    "gmp": ("GlobalMaxPooling2D",), "fc": ("Dense",), "linear": ("Dense",), "mlp": ("Dense",),
    "concat": ("Concatenate",), "cat": ("Concatenate",), "sum": ("Add",), "residual": ("Add",),
    "pad": ("ZeroPadding2D",), "crop": ("Cropping2D",), "mul": ("Multiply",), "sub": ("Subtract",),
    "relu": ("ReLU", "Activation"), "softmax": ("Activation",), "sigmoid": ("Activation",),
    "lstm": ("LSTM",), "gru": ("GRU",), "rnn": ("SimpleRNN", "LSTM", "GRU"), "embedding": ("Embedding",),
}


def initials(name: str) -> str:
    """``BatchNormalization`` → ``bn``, ``GlobalAveragePooling2D`` → ``gap``."""
    return "".join(part[0] for part in re.findall(r"[A-Z][a-z]+", name)).lower()


def score(query: str, name: str, text: str = "") -> int:
    """How well ``name`` (described by ``text``) matches ``query``; 0: not at all."""
    words = query.lower().split()
    if not words:
        return 1
    total = 0
    for word in words:
        best = _word_score(word, name, text.lower())
        if not best:
            return 0  # every word must match somewhere
        total += best
    return total


def _word_score(word: str, name: str, text: str) -> int:
    lower = name.lower()
    aliased = ALIASES.get(word, ())
    if lower == word:
        return 100
    if name in aliased:
        return 95 - aliased.index(name)
    if lower.startswith(word):
        return 80
    if initials(name) == word:
        return 75
    if any(alias.startswith(word) and name in targets for alias, targets in ALIASES.items() if len(word) > 1):
        return 60
    if word in lower:
        return 50
    if word in text:
        return 10
    return 0


def rank(query: str, choices: Sequence[tuple[str, str]]) -> list[str]:
    """Names of ``choices`` ((name, searchable text) pairs) that match, best first
    (ties keep the order of ``choices``)."""
    scored = [(score(query, name, text), i, name) for i, (name, text) in enumerate(choices)]
    return [name for s, _, name in sorted(scored, key=lambda t: (-t[0], t[1])) if s > 0]
