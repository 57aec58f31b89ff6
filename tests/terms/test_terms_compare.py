import numpy as np
import pandas as pd
import pytest

from ordbruk.terms.compare import counts_wide, family_rate_ratios, rates_by_stratum
from ordbruk.terms.trends import terms_trend_standardised

META = pd.DataFrame(
    {
        "doc_id": [f"d{i}" for i in range(8)],
        "actor": ["A", "A", "B", "C", "D", "D", "E", ""],
        "actor_level": ["local"] * 3 + ["national"] * 5,
        "doc_type": ["event", "event", "press", "event", "press", "press", "press", "press"],
        "n_tokens": [100, 300, 200, 400, 100, 100, 200, 100],
        "year": pd.array([2010] * 8, dtype="Int64"),
    }
)
COUNTS = pd.DataFrame(
    {
        "doc_id": [f"d{i}" for i in range(8)] + ["d0"],
        "family": ["samverkan"] * 8 + ["segregation"],
        "count": [1, 3, 0, 8, 1, 0, 2, 1, 5],
    }
)


def test_counts_wide_in_meta_order_with_zeros():
    wide = counts_wide(COUNTS, META, ["segregation", "samverkan"])
    assert wide.shape == (8, 2) and list(wide.columns) == ["segregation", "samverkan"]
    assert wide["segregation"].tolist() == [5, 0, 0, 0, 0, 0, 0, 0]


def test_rates_by_stratum_counts_and_intervals():
    t = rates_by_stratum(COUNTS, META, ["samverkan"], "actor_level", "doc_type", n_boot=200, seed=1)
    t = t.set_index(["group", "stratum"])
    row = t.loc[("local", "event")]
    assert (row["n_docs"], row["n_actors"], row["uses"], row["n_tokens"]) == (2, 1, 4, 400)
    assert row["freq_per_10k"] == pytest.approx(100.0)
    assert np.isnan(row["ci_low"]) and np.isnan(row["ci_high"])  # one actor: no interval
    row = t.loc[("national", "press")]
    # D (2 docs), E, and the document without an actor (its own actor): 3 actors
    assert (row["n_docs"], row["n_actors"], row["uses"]) == (4, 3, 4)
    assert row["ci_low"] <= row["freq_per_10k"] <= row["ci_high"]
    args = (COUNTS, META, ["samverkan"], "actor_level", "doc_type")
    first = rates_by_stratum(*args, n_boot=200, seed=1)
    assert first.equals(rates_by_stratum(*args, n_boot=200, seed=1))  # seeded: same numbers


def test_without_strata_one_cell_per_group():
    t = rates_by_stratum(COUNTS, META, ["samverkan"], "actor_level", "", n_boot=0)
    assert t["stratum"].tolist() == ["(all)", "(all)"] and t["uses"].tolist() == [4, 12]
    pooled = rates_by_stratum(COUNTS, META, ["samverkan"], "actor_level", "doc_type", n_boot=50)
    pooled = pooled[pooled["stratum"] == "(all)"].set_index("group")
    assert pooled.loc["national", "uses"] == 12 and pooled.loc["national", "n_actors"] == 4
    assert pooled.loc["national", "ci_low"] <= pooled.loc["national", "freq_per_10k"]


def test_family_rate_ratios_names_the_family():
    t = family_rate_ratios(COUNTS, META, ["samverkan"], "actor_level", "doc_type", "national")
    assert t.loc[0, "family"] == "samverkan" and t.loc[0, "group"] == "local"
    assert "fewer than 5 actors" in t.loc[0, "note"]


def test_trend_standardised_removes_a_change_of_genre_mix():
    # Year 1: 90 % of tokens are events (rate 40/10k), year 2: 10 % (events 40, press 10).
    # Within each genre nothing changes, so the standardised series is flat.
    rows, counts = [], []
    for year, n_event in ((2010, 9), (2011, 1)):
        for i in range(10):
            doc = f"{year}-{i}"
            genre = "event" if i < n_event else "press"
            rows.append({"doc_id": doc, "year": year, "actor_level": "national",
                         "doc_type": genre, "n_tokens": 1000})  # fmt: skip
            counts.append(
                {"doc_id": doc, "family": "samverkan", "count": 4 if genre == "event" else 1}
            )
    meta = pd.DataFrame(rows)
    t = terms_trend_standardised(
        pd.DataFrame(counts), meta, ["samverkan"], "actor_level", "doc_type"
    )
    t = t.set_index("year")
    assert t.loc[2010, "freq_per_10k"] == pytest.approx(37.0) and t.loc[
        2011, "freq_per_10k"
    ] == pytest.approx(13.0)
    # corpus mix: 50 % events, 50 % press -> 0.5 * 40 + 0.5 * 10 = 25 in both years
    assert t["freq_per_10k_standardised"].tolist() == pytest.approx([25.0, 25.0])
    assert t.loc[2010, "mix_distance"] == pytest.approx(0.4) and not t["mix_far"].any()
    assert t["coverage"].tolist() == pytest.approx([1.0, 1.0])
    flat = terms_trend_standardised(pd.DataFrame(counts), meta, ["samverkan"], "actor_level", "")
    assert flat["freq_per_10k_standardised"].tolist() == pytest.approx(
        flat["freq_per_10k"].tolist()
    )


def test_term_trend_intervals_per_year_and_group():
    from ordbruk.terms.trends import terms_trend

    meta = META.assign(
        year=pd.array([2010, 2010, 2011, 2010, 2010, 2010, 2011, 2011], dtype="Int64")
    )
    counts = COUNTS[COUNTS["family"] == "samverkan"].merge(META[["doc_id", "n_tokens"]])
    counts = counts.assign(masked_count=0, freq_per_10k=0.0)
    t = terms_trend(counts, meta, "actor_level", 1, n_boot=100, seed=2)
    row = t[(t["year"] == 2010) & (t["actor_level"] == "local")].iloc[0]
    assert np.isnan(row["ci_low"])  # local 2010 rests on actor A alone
    row = t[(t["year"] == 2010) & (t["actor_level"] == "national")].iloc[0]
    assert row["ci_low"] <= row["freq_per_10k"] <= row["ci_high"]
