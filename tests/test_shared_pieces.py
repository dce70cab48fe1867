"""Shared pieces in one home: JSON pointers, the exception root, formatting."""

from hypothesis import given
from hypothesis import strategies as st

from layergraph import jsonpointer


def test_tilde_and_slash_are_escaped_as_rfc_6901_says():
    assert jsonpointer.join("layers", 0, "a/b", "m~n") == "/layers/0/a~1b/m~0n"
    assert jsonpointer.unescape("~01") == "~1"  # "~0" first would wrongly give "/"


@given(st.lists(st.text(max_size=8), max_size=5))
def test_split_inverts_join(parts):
    assert jsonpointer.split(jsonpointer.join(*parts)) == parts


def test_every_error_raised_on_purpose_shares_one_root():
    import layergraph as lg
    from layergraph.errors import LayergraphError
    from layergraph.explain import UnknownLayer
    from layergraph.fileio import OutputError
    from layergraph.jsonsource import SpecLoadError
    from layergraph.keras_support import KerasError

    for error in (lg.SpecError, OutputError, SpecLoadError, KerasError, UnknownLayer):
        assert issubclass(error, LayergraphError)
    assert lg.SpecError.__module__ == "layergraph.errors"


def test_sizes_are_formatted_in_one_module_and_the_old_homes_still_work():
    from layergraph import fmt, summary
    from layergraph.layers import common

    assert fmt.fmt_dims((55, 55, None)) == "55×55×?" and fmt.fmt_shape((9216,)) == "(9216,)"
    assert fmt.human(1_135_256_096, "MAC") == "1.14 GMAC" and fmt.human_bytes(2**20) == "1.00 MiB"
    assert common.fmt_dims is fmt.fmt_dims and summary.human is fmt.human
