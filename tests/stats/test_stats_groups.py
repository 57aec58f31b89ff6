"""Tests of ordbruk.stats.groups: groups, comparisons and the adequacy policy."""

import re

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from ordbruk.errors import ParameterError
from ordbruk.stats.groups import (
    MIN_TOKENS,
    Adequacy,
    adequacy_check,
    adequacy_reasons,
    adequacy_rule,
    adequacy_summary,
    comparisons_adequacy,
    comparisons_build,
    group_counts,
    groups_adequacy,
    labels_get,
)


def test_comparisons_pairs_and_rest():
    labels = ["national", "local", "local", "regional", ""]
    comps = comparisons_build(labels)
    names = [(c.group_a, c.group_b) for c in comps]
    assert names == [
        ("local", "national"),
        ("local", "regional"),
        ("national", "regional"),
        ("local", "rest"),
        ("national", "rest"),
        ("regional", "rest"),
    ]
    rest = comps[3]
    assert rest.docs_a.tolist() == [False, True, True, False, False]
    assert rest.docs_b.tolist() == [True, False, False, True, False]  # "" is in no group
    assert len(comparisons_build(["a", "b", "a"])) == 1  # two groups: no vs-rest
    with pytest.raises(ParameterError):
        comparisons_build(["a", "a"])
    with pytest.raises(ParameterError):
        comparisons_build(["a", "b"], groups=["a", "c"])


def test_comparisons_build_groups_given_as_numbers():
    # Bug: labels are strings, so groups from YAML such as [2019, 2020] (group_by: year)
    # were reported as "not found among the labels ['2019', '2020']".
    comps = comparisons_build(["2019", "2020", "2019"], groups=[2019, 2020])
    assert [(c.group_a, c.group_b) for c in comps] == [("2019", "2020")]
    assert comps[0].docs_a.tolist() == [True, False, True]


def test_labels_get_integer_column_with_missing_values():
    # Bug: fillna("") on the nullable Int64 "year" column (undated documents) raised
    # TypeError, so group_by="year" crashed on any corpus with an undated document.
    meta = pd.DataFrame({"year": pd.array([2019, None, 2020], dtype="Int64")})
    assert labels_get(meta, "year").tolist() == ["2019", "", "2020"]


def test_labels_get_and_slug():
    meta = pd.DataFrame({"actor": ["Borås Stad", "Region Örebro län", None]})
    labels = labels_get(meta, "actor")
    assert labels.tolist() == ["Borås Stad", "Region Örebro län", ""]
    with pytest.raises(ParameterError, match="group_by: column 'nope'"):
        labels_get(meta, "nope")
    comp = comparisons_build(labels)[0]
    assert re.fullmatch(r"Boras-Stad-[0-9a-f]{8}_vs_Region-Orebro-lan-[0-9a-f]{8}", comp.slug)


def test_labels_get_names_the_parameter():
    with pytest.raises(ParameterError, match="group_by: column 'nope'"):
        labels_get(pd.DataFrame({"actor": ["A"]}), "nope", "group_by")


def test_group_counts_sums_the_rows_of_a_group():
    dtm = sparse.csr_matrix(np.array([[1, 0, 2], [0, 3, 0], [4, 0, 0]]))
    assert group_counts(dtm, np.array([True, False, True])).tolist() == [5, 0, 2]
    assert group_counts(dtm, np.zeros(3, bool)).tolist() == [0, 0, 0]


def test_adequacy_check_the_issue_example():
    # issue 8: 31 short documents from 26 actors with 4,442 tokens are not enough for keyness
    v = adequacy_check(
        "local",
        {"n_docs": 31, "n_actors": 26, "n_tokens": 4442},
        {"n_docs": 10, "n_actors": 5, "n_tokens": 20_000},
    )
    assert v.descriptive_only and v.shortfalls == ("4,442 tokens < 20,000",)
    assert v.reason == "local: 4,442 tokens < 20,000"
    assert MIN_TOKENS == 20_000


def test_adequacy_check_all_sizes_singular_and_unchecked_keys():
    v = adequacy_check(
        "x", {"n_docs": 1, "n_actors": 1, "n_tokens": 0}, {"n_docs": 2, "n_actors": 2}
    )
    assert v.shortfalls == ("1 document < 2", "1 actor < 2")  # tokens not checked here
    ok = adequacy_check("x", {"n_docs": 2}, {"n_docs": 2, "n_units": 5})  # at the minimum is enough
    assert not ok.descriptive_only and ok.reason == ""
    assert Adequacy("y").descriptive_only is False


LABELS = ["local", "local", "national", "regional", ""]
ACTORS = ["A", "A", "N", "", "X"]  # the regional document has no actor: an actor of its own
TOKENS = [300, 200, 1000, 50, 7]


def test_groups_adequacy_hand_counted():
    g = groups_adequacy(LABELS, ACTORS, TOKENS, min_docs=2, min_actors=1, min_tokens=400)
    assert g.to_dict("records") == [
        {
            "group": "local",
            "n_docs": 2,
            "n_actors": 1,
            "n_tokens": 500,
            "descriptive_only": False,
            "reasons": "",
        },
        {
            "group": "national",
            "n_docs": 1,
            "n_actors": 1,
            "n_tokens": 1000,
            "descriptive_only": True,
            "reasons": "national: 1 document < 2",
        },
        {
            "group": "regional",
            "n_docs": 1,
            "n_actors": 1,
            "n_tokens": 50,
            "descriptive_only": True,
            "reasons": "regional: 1 document < 2, 50 tokens < 400",
        },
    ]
    # the token rule alone can make a group descriptive only
    t = groups_adequacy(LABELS, ACTORS, TOKENS, min_docs=1, min_actors=1, min_tokens=501)
    assert t["descriptive_only"].tolist() == [True, False, True]
    assert t["reasons"].tolist()[0] == "local: 500 tokens < 501"


def test_comparisons_adequacy_either_side():
    comps = comparisons_build(LABELS)
    c = comparisons_adequacy(comps, ACTORS, TOKENS, min_docs=2, min_actors=1, min_tokens=400)
    assert c.columns.tolist() == [
        "group_a",
        "group_b",
        "n_docs_a",
        "n_docs_b",
        "n_actors_a",
        "n_actors_b",
        "n_tokens_a",
        "n_tokens_b",
        "descriptive_only",
        "reasons",
    ]
    rest = c[(c["group_a"] == "local") & (c["group_b"] == "rest")].iloc[0]
    # rest of local = national + regional: 2 documents, actors N and "doc:3", 1,050 tokens
    assert (rest["n_docs_b"], rest["n_actors_b"], rest["n_tokens_b"]) == (2, 2, 1050)
    assert not rest["descriptive_only"] and rest["reasons"] == ""
    assert c["descriptive_only"].sum() == 5
    nat = c[(c["group_a"] == "national") & (c["group_b"] == "regional")].iloc[0]
    assert nat["reasons"] == "national: 1 document < 2; regional: 1 document < 2, 50 tokens < 400"


def test_notes_and_summary_read_the_record():
    comps = comparisons_build(LABELS)
    c = comparisons_adequacy(comps, ACTORS, TOKENS, min_docs=2, min_actors=1, min_tokens=400)
    assert adequacy_summary(c) == (
        "5 of 6 comparisons descriptive only (too small: national, regional)"
    )
    assert adequacy_reasons(c) == (
        "national: 1 document < 2; regional: 1 document < 2, 50 tokens < 400"
    )
    ok = comparisons_adequacy(comps, ACTORS, TOKENS, min_docs=1, min_actors=1, min_tokens=1)
    assert adequacy_summary(ok) == "none of 6 comparisons descriptive only"
    assert adequacy_reasons(ok) == ""
    g = groups_adequacy(LABELS, ACTORS, TOKENS, min_docs=2, min_actors=1, min_tokens=1)
    assert adequacy_summary(g, "groups") == (
        "2 of 3 groups descriptive only (too small: national, regional)"
    )
    rule = adequacy_rule("A comparison", min_docs=10, min_actors=5, min_tokens=20_000)
    assert "a side has fewer than 10 documents, 5 distinct actors or 20,000 tokens" in rule
    assert "when it has fewer" in adequacy_rule("A group")
