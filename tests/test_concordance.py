import numpy as np
import pandas as pd
import pytest

from ordbruk.errors import ParameterError
from ordbruk.terms import concordance as C
from ordbruk.terms import families as T
from ordbruk.text.corpus import corpus_from_texts

TEXTS = [
    "Vi vill öka samverkan, sa hon.\n\nSamverkans- och samordningsformer är bra för "
    "Delegationen mot segregation.",
    "Ingen träff här.",
    "Segregation minskar. Samverkan!",
]
META = [
    {"doc_id": "x", "actor": "A", "actor_level": "local", "date": "2020-02-01"},
    {"doc_id": "y", "actor": "B", "actor_level": "national", "date": "2018"},
    {"doc_id": "z", "actor": "B", "actor_level": "national", "date": "2016-05"},
]
FAMS = [
    T.family_from_spec("samverkan", {"stems": ["samverkan"], "endings": ["", "s"]}),
    T.family_from_spec(
        "segregation", {"stems": ["segregation"], "masks": ["Delegationen mot segregation"]}
    ),
]


@pytest.fixture(scope="module")
def data():
    c = corpus_from_texts(TEXTS, META)
    hits, _ = T.terms_locate(c, FAMS)
    return c, hits


def test_kwic_lines_read_as_text(data):
    c, hits = data
    k = C.kwic_build(c, hits, width=12)
    assert list(k.columns) == C.KWIC_COLUMNS
    # hits in corpus order: samverkan, Samverkans-, segregation (masked), Segregation, Samverkan
    assert k["match"].tolist() == [
        "samverkan", "Samverkans-", "segregation", "Segregation", "Samverkan",
    ]  # fmt: skip
    first = k.iloc[0]
    # 12 characters before "samverkan" are "Vi vill öka " -> starts on a whole word
    assert first["left"] == "Vi vill öka"
    # 12 after are ", sa hon.\n\nS": whitespace collapsed, the cut word "S" dropped
    assert first["right"] == ", sa hon."
    assert (first["left_word"], first["right_word"]) == ("öka", "sa")
    assert k.iloc[1]["right"].startswith("och")  # truncated compound keeps its hyphen
    assert k["masked"].tolist() == [False, False, True, False, False]
    assert k.iloc[4]["right_word"] == "" and k.iloc[3]["left_word"] == ""  # document edges
    assert k.iloc[3][["doc_id", "actor", "actor_level", "date"]].tolist() == [
        "z", "B", "national", "2016-05",
    ]  # fmt: skip


def test_kwic_sort_and_sample(data):
    c, hits = data
    k = C.kwic_build(c, hits, width=20)
    by_right = C.kwic_sort(k, "right")
    sam = by_right[by_right["family"] == "samverkan"]["right_word"].tolist()
    assert sam == sorted(sam)
    with pytest.raises(ParameterError):
        C.kwic_sort(k, "middle")
    s1 = C.kwic_sample(k, 1, seed=3)
    s2 = C.kwic_sample(k, 1, seed=3)
    pd.testing.assert_frame_equal(s1, s2)
    assert s1.groupby("family").size().tolist() == [1, 1] and not s1["masked"].any()
    assert len(C.kwic_sample(k, 10, seed=3)) == 4  # 3 samverkan + 1 unmasked segregation


def test_dispersion_positions(data):
    c, hits = data
    pos = C.dispersion_positions(c, hits)
    # doc z (2016-05) is earlier than doc x (2020-02-01): rank 0
    z = pos[pos["doc_id"] == "z"].sort_values("position")
    assert z["doc_rank"].tolist() == [0, 0]
    # z has 3 tokens (Segregation minskar Samverkan): positions 0/2 and 2/2
    assert z["position"].tolist() == [0.0, 1.0]
    assert (pos[pos["doc_id"] == "x"]["doc_rank"] == 1).all() and len(pos) == 4
    fig = C.dispersion_plot(pos, [f.name for f in FAMS])
    assert len(fig.axes) == 1


def test_trend_sparse_flag_and_plot(data):
    c, hits = data
    counts = T.terms_count(c, hits, [f.name for f in FAMS])
    trend = C.terms_trend(counts, c.meta, "actor_level", min_docs=2)
    assert sorted(trend["year"].unique()) == [2016, 2018, 2020]
    assert trend["sparse"].all()  # one document per year and level
    row = trend[(trend["year"] == 2016) & (trend["family"] == "samverkan")].iloc[0]
    assert (row["count"], row["n_tokens"]) == (1, 3)
    fig = C.trends_plot(trend, [f.name for f in FAMS])
    assert len(fig.axes) >= 3
    assert np.isclose(row["freq_per_10k"], 1e4 / 3)
