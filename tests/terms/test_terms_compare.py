import numpy as np
import pandas as pd
import pytest

from ordbruk.terms.compare import counts_wide, family_rate_ratios, rates_by_stratum

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


def test_family_rate_ratios_names_the_family():
    t = family_rate_ratios(COUNTS, META, ["samverkan"], "actor_level", "doc_type", "national")
    assert t.loc[0, "family"] == "samverkan" and t.loc[0, "group"] == "local"
    assert "fewer than 5 actors" in t.loc[0, "note"]
