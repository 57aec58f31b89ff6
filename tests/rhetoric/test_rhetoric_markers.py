import hashlib
import unicodedata

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

from ordbruk.errors import ParameterError  # noqa: E402
from ordbruk.rhetoric.keyness import keyness_compare, keywords_top  # noqa: E402
from ordbruk.rhetoric.markers import (  # noqa: E402
    forms_match,
    framing_load,
    framing_matches,
    markers_by_group,
    markers_by_speaker,
    markers_per_document,
)
from ordbruk.rhetoric.plots import fightin_words_plot, keywords_plot, markers_plot  # noqa: E402
from ordbruk.rhetoric.quotes import quotes_extract_corpus  # noqa: E402
from ordbruk.stats.groups import comparisons_build  # noqa: E402
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
    assert d0["sentence_length_mean"] == pytest.approx(4.0)
    # under 50 words MATTR is the plain TTR: 7 types (vi twice) / 8 words
    assert d0["mattr"] == pytest.approx(7 / 8)
    assert d0["quote_share"] == 0.5
    assert d1["we_per_10k"] == pytest.approx(1 / 4 * 1e4) and d1["obligation_share"] == 1.0
    assert d1["frame_education_per_10k"] == 0  # "lära" is not in the education list
    assert d2["n_words"] == 0 and np.isnan(d2["we_per_10k"])


def test_framing_matches_audit(tiny):
    X, forms, _ = tiny.dtm(token_level="form")
    got = framing_matches(X, forms, framing_load())
    assert got[got["category"] == "collaboration"][["form", "count"]].to_dict("records") == [
        {"form": "samverka", "count": 1}
    ]


def _nan_none(row):
    return tuple(None if isinstance(x, float) and np.isnan(x) else x for x in row)


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
        min_tokens=20,
    )
    a = out[out["group"] == "A"].iloc[0]
    b = out[out["group"] == "B"].iloc[0]
    # A: mean of 1 and 3 = 2; resampling two actors gives means 1, 2 or 3
    assert a["mean"] == pytest.approx(2.0) and a["n_docs"] == 2 and a["n_actors"] == 2
    assert a["ci_low"] == pytest.approx(1.0) and a["ci_high"] == pytest.approx(3.0)
    assert not a["descriptive_only"]
    # B: one value (the NaN document does not count), one actor -> no interval (issue 10)
    assert (b["mean"], b["n_docs"]) == (5.0, 1) and np.isnan(b["ci_low"]) and np.isnan(b["ci_high"])
    assert b["descriptive_only"]
    again = markers_by_group(dm, ["A", "A", "B", "B"], ["a1", "a2", "b1", "b1"], n_boot=400, seed=3)
    pd.testing.assert_series_equal(out["ci_low"], again["ci_low"])


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
    X, terms, _ = tiny.dtm(token_level="form")
    comps = comparisons_build(tiny.meta["actor_level"])
    top = keywords_top(keyness_compare(X, terms, comps, min_freq=1), n=3, log_ratio_min=0)
    pages = keywords_plot(top, n=3)  # a list of figures, six comparisons a page
    assert pages and all(len(fig.axes) >= 1 for fig in pages)
    fw = pd.DataFrame(
        {
            "group_a": "a",
            "group_b": "b",
            "term": ["x", "y", "z"],
            "a": [5, 1, 0],
            "b": [0, 1, 5],
            "z": [2.5, 0.0, -2.5],
        }
    )
    assert fightin_words_plot(fw, label_n=2).axes
    summary = markers_by_group(
        pd.DataFrame({"n_words": [1, 1], "m": [1.0, 2.0]}), ["a", "b"], ["x", "y"], n_boot=10
    )
    assert all(fig.axes for fig in markers_plot(summary, ["m"]))


# --- pinned numbers: the actor bootstrap must not change when its code moves ---------

PIN_LABELS = ["local"] * 3 + ["national"] * 3 + ["regional"] * 2
PIN_ACTORS = ["A", "B", "C", "N", "M", "", "R", "R"]
PIN_MARKERS = pd.DataFrame(
    {
        "n_words": [10] * 8,
        "x": [1.0, 3.0, 5.0, np.nan, 2.5, 4.0, 0.5, 7.0],
        "y": [np.nan, np.nan, 1.0, 2.0, 3.0, np.nan, 6.0, 1.5],
    }
)
PIN_NUMERIC = ["group", "marker", "n_docs", "n_actors", "mean", "ci_low", "ci_high"]


def _digest(df: pd.DataFrame) -> str:
    return hashlib.sha256(df.to_csv(float_format="%.17g").encode()).hexdigest()


def test_markers_by_group_pinned_numbers():
    # Captured from the code before the bootstrap moved to ordbruk.stats.actors.
    out = markers_by_group(
        PIN_MARKERS,
        PIN_LABELS,
        PIN_ACTORS,
        n_boot=300,
        seed=5,
        ci_level=0.8,
        min_docs=3,
        min_actors=2,
    )
    got = [
        _nan_none((r.group, r.marker, r.mean, r.ci_low, r.ci_high))
        for r in out.itertuples(index=False)
    ]
    # Re-pinned at issue 10: the one-actor group (regional) has no interval; others unchanged.
    assert got == [
        ("local", "x", 3.0, 1.6666666666666667, 4.333333333333333),
        ("local", "y", 1.0, 1.0, 1.0),
        ("national", "x", 3.25, 2.5, 4.0),
        ("national", "y", 2.5, 2.0, 3.0),
        ("regional", "x", 3.75, None, None),
        ("regional", "y", 3.75, None, None),
    ]
    assert _digest(out[PIN_NUMERIC]) == (
        "69ba279d40499510627cab1c4c5e08e126fa51694594f032e29f946ad882c7c9"
    )


PIN_QUOTES = [
    "– Vi ska bygga mer bostäder i området, säger Anna Berg, kommunalråd i Lunds kommun.",
    "– Staten kan stödja kommunerna med mer pengar, säger Eva Ek, generaldirektör på Boverket.",
    "– Vi måste samverka mer med regionen och skolan, säger Olle Lind, kommunalråd i Malmö "
    "stad.\n\n– Regionen kan bidra, säger Per Ås, regionråd i Region Skåne.",
    "– Vår uppgift är att samordna arbetet mot segregation, säger Karin Sten, generaldirektör "
    "på Delmos.",
    "– Vi behöver fler lärare och vi ska anställa dem nu, säger Lena Holm, kommunalråd i "
    "Lunds kommun.",
    "– Länet måste ta ett större ansvar för trygghet, säger Jonas Berg, regionråd i Region Skåne.",
]


def test_markers_by_speaker_pinned_numbers():
    # Captured from the code before the bootstrap moved to ordbruk.stats.actors.
    meta = pd.DataFrame(
        {
            "doc_id": list("abcdef"),
            "actor_level": ["local", "national", "local", "national", "local", "regional"],
        }
    )
    q = quotes_extract_corpus(PIN_QUOTES, meta["doc_id"])
    out = markers_by_speaker(q, meta, n_boot=100, seed=2, ci_level=0.9, min_docs=1, min_actors=1)
    sub = out[out["marker"].isin(["lix", "we_per_10k"])]
    got = [
        _nan_none((r.grouping, r.group, r.marker, r.mean, r.ci_low, r.ci_high))
        for r in sub.itertuples(index=False)
    ]
    assert got == [
        ("speaker_level", "local", "lix", 32.857142857142854, 30.0, 34.75714285714285),
        ("speaker_level", "local", "we_per_10k", 1559.5238095238094, 1306.5476190476188, 2000.0),
        ("speaker_level", "national", "lix", 39.64285714285714, 21.285714285714285, 58.0),
        ("speaker_level", "national", "we_per_10k", 625.0, 0.0, 1250.0),
        ("speaker_level", "regional", "lix", 28.416666666666668, 20.5, 36.333333333333336),
        ("speaker_level", "regional", "we_per_10k", 0.0, 0.0, 0.0),
        (
            "publisher_level",
            "local",
            "lix",
            33.726190476190474,
            31.583333333333336,
            35.95238095238095,
        ),
        ("publisher_level", "local", "we_per_10k", 1169.642857142857, 312.5, 1669.642857142857),
        ("publisher_level", "national", "lix", 39.64285714285714, 21.285714285714285, 58.0),
        ("publisher_level", "national", "we_per_10k", 625.0, 0.0, 1250.0),
        ("publisher_level", "regional", "lix", 20.5, None, None),
        ("publisher_level", "regional", "we_per_10k", 0.0, None, None),
    ]
    # The pin predates the rename of mean_sentence_length to sentence_length_mean (issue 8).
    renamed = out.replace({"marker": {"sentence_length_mean": "mean_sentence_length"}})
    assert _digest(renamed[["grouping", *PIN_NUMERIC]]) == (
        "bbab0384a49c4028511c761c35d8c5bfee48ced0941cf92db6e767207d9e8a14"
    )
