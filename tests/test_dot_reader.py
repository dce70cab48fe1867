"""The diagram tests' DOT reader agrees with pydot, statement for statement.

The tests read DOT with ``dot_reader`` (milliseconds) instead of pydot (seconds to
minutes for the large graphs); here pydot is the reference on small graphs, including
names with quotes, backslashes, HTML characters and Hangul.
"""

from __future__ import annotations

import pydot
import pytest
from dot_reader import read_dot
from test_render_safety import evil_spec

import layergraph as lg
from conftest import SPECS
from layergraph.render import to_dot


def statements(graph, attributes_of) -> list:
    """Every statement of a graph and its subgraphs, in order, with its attributes."""
    out = [("graph", graph.get_name(), sorted(attributes_of(graph).items()),
            [sorted(d.items()) for d in graph.get_graph_defaults()])]
    out += [("node", n.get_name(), sorted(n.get_attributes().items())) for n in graph.get_nodes()]
    out += [("edge", e.get_source(), e.get_destination(), sorted(e.get_attributes().items()))
            for e in graph.get_edges()]
    for sub in graph.get_subgraphs():
        out.append(statements(sub, attributes_of))
    return out


def korean_spec() -> dict:
    return {"name": "합성곱 신경망", "inputs": [{"name": "입력", "shape": [28, 28, 1]}],
            "layers": [{"name": "합성곱1", "type": "Conv2D", "filters": 8, "kernel_size": 3},
                       {"type": "Flatten"}, {"name": "출력", "type": "Dense", "units": 10}]}


# pydot takes seconds per graph: a few graphs that between them have every kind of statement
# (clusters, HTML and plain labels, ports, row wrapping, merges, defaults, odd characters).
CASES = {
    "inception_graph": (SPECS / "inception_module.json", {"style": "graph"}),
    "residual_blocks": (SPECS / "residual_cnn.json", {"style": "blocks", "collapse": True}),
    "lenet_rows": (SPECS / "lenet5.json", {"style": "graph", "rows": 3}),
    "evil_names": (evil_spec(), {"style": "graph"}),
    "korean_blocks": (korean_spec(), {"style": "blocks"}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_reader_returns_what_pydot_returns(case):
    spec, options = CASES[case]
    source = to_dot(lg.analyze(spec), **options).source
    expected = statements(pydot.graph_from_dot_data(source)[0], lambda g: g.obj_dict["attributes"])
    assert statements(read_dot(source), lambda g: g._attributes) == expected


@pytest.mark.parametrize("source", ["digraph { a -> }", "digraph { a [label=<<B>x</B>] }",
                                    "graph g { a } }", "digraph { a [label] }", "tree { }"])
def test_the_reader_refuses_what_is_not_dot(source):
    with pytest.raises(ValueError, match="DOT"):
        read_dot(source)
