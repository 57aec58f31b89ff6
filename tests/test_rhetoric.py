import unicodedata

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

from ordbruk.errors import ParameterError  # noqa: E402
from ordbruk.rhetoric.keyness import comparisons_build, keyness_compare, keywords_top  # noqa: E402
from ordbruk.rhetoric.markers import (  # noqa: E402
    comparisons_flag,
    forms_match,
    framing_load,
    framing_matches,
    groups_flag,
    markers_by_group,
    markers_by_speaker,
    markers_per_document,
)
from ordbruk.rhetoric.plots import fightin_words_plot, keywords_plot, markers_plot  # noqa: E402
from ordbruk.rhetoric.quotes import quotes_extract_corpus  # noqa: E402
from ordbruk.text.corpus import corpus_from_texts  # noqa: E402


def test_forms_match_globs():
    forms = ["samverkan", "samverka", "bostadssegregation", "segregation", "samordnare", "kommunen"]
    got = forms_match(forms, ["samverk*", "*segregation*", "samordn*"], ["samordnare"])
    assert got.tolist() == [True, True, True, True, False, False]
    assert forms_match(forms, ["kommunen"]).tolist() == [False] * 5 + [True]  # exact, no glob


def test_framing_load_shipped_and_bad(tmp_path):
    framing = framing_load()
    assert {
        "collaboration",
        "segregation_exclusion",
        "labour_market",
        "education",
        "safety",
        "integration",
        "sustainability",
        "housing",
    } <= set(framing)
    bad = tmp_path / "framing.yaml"
    bad.write_text("categories:\n  x:\n    label: X\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="categories.x.include"):
        framing_load(bad)
    bad.write_text("categories: [\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="framing.yaml"):
        framing_load(bad)


TEXTS = [
    # 8 words: vi ska bygga vi kan samverka med kommunen; 2 sentences
    "Vi ska bygga. Vi kan samverka med kommunen.",
    # NFD input and capitals: VÅRA -> våra (first-person plural), måste (obligation);
    # 4 words: våra barn måste lära
    unicodedata.normalize("NFD", "VÅRA barn måste lära."),
    "",
]


@pytest.fixture(scope="module")
def tiny():
    meta = [
        {"doc_id": f"d{i}", "actor": a, "actor_level": lv}
        for i, (a, lv) in enumerate(
            [("Borås Stad", "local"), ("Boverket", "national"), ("Boverket", "national")]
        )
    ]
    return corpus_from_texts(TEXTS, meta)


def test_markers_per_document_hand_counts(tiny):
    dm = markers_per_document(tiny, quote_share=[0.5, 0.0, np.nan])
    d0, d1, d2 = dm.iloc[0], dm.iloc[1], dm.iloc[2]
    assert d0["n_words"] == 8
    assert d0["we_per_10k"] == pytest.approx(2 / 8 * 1e4)  # vi, vi
    assert d0["obligation_per_10k"] == pytest.approx(1 / 8 * 1e4)  # ska
    assert d0["possibility_per_10k"] == pytest.approx(1 / 8 * 1e4)  # kan
    assert d0["obligation_share"] == pytest.approx(0.5)
    assert d0["frame_collaboration_per_10k"] == pytest.approx(1 / 8 * 1e4)  # samverka
    # LIX = 8 words / 2 sentences + 100 * 2 long (samverka, kommunen: > 6 letters) / 8 = 29
    assert d0["lix"] == pytest.approx(29.0)
    assert d0["mean_sentence_length"] == pytest.approx(4.0)
    # under 50 words MATTR is the plain TTR: 7 types (vi twice) / 8 words
    assert d0["mattr"] == pytest.approx(7 / 8)
    assert d0["quote_share"] == 0.5
    assert d1["we_per_10k"] == pytest.approx(1 / 4 * 1e4) and d1["obligation_share"] == 1.0
    assert d1["frame_education_per_10k"] == 0  # "lära" is not in the education list
    assert d2["n_words"] == 0 and np.isnan(d2["we_per_10k"])


def test_framing_matches_audit(tiny):
    X, forms, _ = tiny.dtm(level="form")
    got = framing_matches(X, forms, framing_load())
    assert got[got["category"] == "collaboration"][["form", "count"]].to_dict("records") == [
        {"form": "samverka", "count": 1}
    ]


def test_markers_by_group_hand_example():
    dm = pd.DataFrame({"n_words": [10, 10, 10, 10], "x": [1.0, 3.0, 5.0, np.nan]})
    out = markers_by_group(
        dm,
        ["A", "A", "B", "B"],
        ["a1", "a2", "b1", "b1"],
        n_boot=400,
        seed=3,
        min_docs=2,
        min_actors=2,
    )
    a = out[out["group"] == "A"].iloc[0]
    b = out[out["group"] == "B"].iloc[0]
    # A: mean of 1 and 3 = 2; resampling two actors gives means 1, 2 or 3
    assert a["mean"] == pytest.approx(2.0) and a["n_docs"] == 2 and a["n_actors"] == 2
    assert a["ci_low"] == pytest.approx(1.0) and a["ci_high"] == pytest.approx(3.0)
    assert not a["descriptive_only"]
    # B: one value (the NaN document does not count), one actor -> degenerate, descriptive
    assert (b["mean"], b["ci_low"], b["ci_high"], b["n_docs"]) == (5.0, 5.0, 5.0, 1)
    assert b["descriptive_only"]
    again = markers_by_group(dm, ["A", "A", "B", "B"], ["a1", "a2", "b1", "b1"], n_boot=400, seed=3)
    pd.testing.assert_series_equal(out["ci_low"], again["ci_low"])


def test_groups_and_comparisons_flags():
    labels = ["local", "local", "national", "regional", ""]
    actors = ["A", "A", "N", "R", "X"]
    g = groups_flag(labels, actors, min_docs=2, min_actors=1)
    assert g.to_dict("records") == [
        {"group": "local", "n_docs": 2, "n_actors": 1, "descriptive_only": False},
        {"group": "national", "n_docs": 1, "n_actors": 1, "descriptive_only": True},
        {"group": "regional", "n_docs": 1, "n_actors": 1, "descriptive_only": True},
    ]
    c = comparisons_flag(comparisons_build(labels), actors, min_docs=2, min_actors=1)
    rest = c[(c["group_a"] == "local") & (c["group_b"] == "rest")].iloc[0]
    assert (rest["n_docs_a"], rest["n_docs_b"], rest["n_actors_b"]) == (2, 2, 2)
    assert not rest["descriptive_only"]
    assert c["descriptive_only"].sum() == 5


def test_markers_by_speaker():
    texts = [
        "– Vi ska bygga mer, säger Anna Berg, kommunalråd i Lunds kommun.",
        "– Staten kan stödja, säger Eva Ek, generaldirektör på Boverket.",
    ]
    meta = pd.DataFrame({"doc_id": ["a", "b"], "actor_level": ["national", "national"]})
    q = quotes_extract_corpus(texts, meta["doc_id"])
    out = markers_by_speaker(q, meta, n_boot=50, seed=1, min_docs=1, min_actors=1)
    we = out[out["marker"] == "we_per_10k"].set_index(["grouping", "group"])["mean"]
    # "Vi ska bygga mer": 1 of 4 words; "Staten kan stödja": 0 of 3
    assert we[("speaker_level", "local")] == pytest.approx(2500.0)
    assert we[("speaker_level", "national")] == pytest.approx(0.0)
    assert we[("publisher_level", "national")] == pytest.approx(1250.0)
    assert markers_by_speaker(q.iloc[0:0], meta).empty


def test_plots_smoke(tiny):
    X, terms, _ = tiny.dtm(level="form")
    comps = comparisons_build(tiny.meta["actor_level"])
    top = keywords_top(keyness_compare(X, terms, comps, min_freq=1), n=3, log_ratio_min=0)
    assert len(keywords_plot(top, n=3).axes) >= 1
    fw = pd.DataFrame(
        {
            "group_a": "a",
            "group_b": "b",
            "term": ["x", "y", "z"],
            "count_a": [5, 1, 0],
            "count_b": [0, 1, 5],
            "z": [2.5, 0.0, -2.5],
        }
    )
    assert fightin_words_plot(fw, label_n=2).axes
    summary = markers_by_group(
        pd.DataFrame({"n_words": [1, 1], "m": [1.0, 2.0]}), ["a", "b"], ["x", "y"], n_boot=10
    )
    assert markers_plot(summary, ["m"]).axes
