"""Term frequency per year and group, with a sparse flag."""

import numpy as np
import pytest

from ordbruk.terms import families as T
from ordbruk.terms.frequency import terms_count
from ordbruk.terms.locate import terms_locate
from ordbruk.terms.trends import terms_trend
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
    hits, _ = terms_locate(c, FAMS)
    return c, hits


def test_trend_sparse_flag(data):
    c, hits = data
    counts = terms_count(c, hits, [f.name for f in FAMS])
    trend = terms_trend(counts, c.meta, "actor_level", min_docs=2)
    assert sorted(trend["year"].unique()) == [2016, 2018, 2020]
    assert trend["sparse"].all()  # one document per year and level
    row = trend[(trend["year"] == 2016) & (trend["family"] == "samverkan")].iloc[0]
    # doc z (2016): "Segregation minskar. Samverkan!" has 3 tokens, 1 use of samverkan
    assert (row["count"], row["n_tokens"]) == (1, 3)
    assert np.isclose(row["freq_per_10k"], 1e4 / 3)
    assert not terms_trend(counts, c.meta, "actor_level", min_docs=1)["sparse"].any()


def test_trend_leaves_undated_documents_out(data):
    c, hits = data
    meta = c.meta.copy()
    meta["year"] = meta["year"].astype("Int64")
    meta.loc[2, "year"] = None
    counts = terms_count(c, hits, [f.name for f in FAMS])
    assert sorted(terms_trend(counts, meta, "actor_level")["year"].unique()) == [2018, 2020]
