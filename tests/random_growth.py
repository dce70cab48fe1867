"""Growing a random valid spec one candidate layer at a time, Keras judging every refusal:
the shared loop of the random-graph tests (spatial layers, and sequence layers)."""

from __future__ import annotations

from hypothesis import event
from hypothesis import strategies as st

import layergraph as lg


def grow(draw, spec: dict, candidate, keras_refuses, size=st.integers(3, 12)) -> dict:
    """Add up to ``size`` random layers to ``spec`` (which holds its first layer): each
    candidate that layergraph accepts joins the spec; one it refuses must be refused by
    Keras as well (``keras_refuses(analysis, layer)``). The spec's outputs are its sinks."""
    analysis = lg.analyze(spec)
    refused = 0
    for index in range(1, draw(size)):
        layer = candidate(draw, analysis, index)
        trial = lg.analyze({**spec, "layers": spec["layers"] + [layer], "outputs": [layer["name"]]})
        if trial.ok:
            spec["layers"].append(layer)
            analysis = trial
        else:
            assert keras_refuses(analysis, layer), \
                f"layergraph refused what Keras builds: {layer}\n" + \
                "\n".join(d.format() for d in trial.errors)
            refused += 1
    event(f"{len(spec['layers'])} layers kept, {refused} refused by both")
    used = {i for layer in spec["layers"] for i in layer["inputs"]}
    spec["outputs"] = [layer["name"] for layer in spec["layers"] if layer["name"] not in used]
    return spec
