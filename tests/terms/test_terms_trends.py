"""Term frequency per year and group, with a sparse flag."""

import numpy as np
from terms_sample import FAMS

from ordbruk.terms.frequency import terms_count
from ordbruk.terms.trends import terms_trend


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
