"""The analysis pauses the cyclic garbage collector and leaves it as it found it."""

from __future__ import annotations

import gc

import layergraph as lg

SPEC = {"inputs": [{"shape": [4]}], "layers": [{"type": "Dense", "units": 2}]}


def test_an_analysis_leaves_the_collector_enabled_and_nothing_frozen():
    assert gc.isenabled()
    lg.analyze(SPEC)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_an_analysis_leaves_a_paused_collector_paused():
    gc.disable()
    try:
        lg.analyze(SPEC)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_objects_made_by_an_analysis_are_still_collected_when_they_form_a_cycle():
    class Node:
        pass

    analysis = lg.analyze(SPEC)
    a, b = Node(), Node()
    a.other, b.other, a.analysis = b, a, analysis
    del a, b, analysis
    gc.collect()
    assert not [o for o in gc.get_objects() if isinstance(o, Node)]
