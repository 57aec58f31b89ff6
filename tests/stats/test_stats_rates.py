"""Rate ratios pooled and adjusted for genre: planted confounds, statsmodels as the oracle."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from ordbruk.errors import ParameterError
from ordbruk.stats.design import composition_check
from ordbruk.stats.rates import rate_ratios


def planted(level_effect: float, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two levels, two genres, levels concentrated in different genres.

    local writes 90 % events, national 90 % press releases; the term's rate is 40 per 10k
    tokens in events and 10 in press releases, times ``level_effect`` for local documents.
    Twenty actors per level, six documents each, 400-1,200 tokens, year 2010-2019.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for level, main in (("local", "event"), ("national", "press")):
        for a in range(20):
            for _d in range(6):
                genre = main if rng.random() < 0.9 else ({"event", "press"} - {main}).pop()
                tokens = int(rng.integers(400, 1200))
                rate = (40 if genre == "event" else 10) / 1e4
                rate *= level_effect if level == "local" else 1.0
                rows.append({"actor": f"{level}-{a}", "actor_level": level, "doc_type": genre,
                             "n_tokens": tokens, "year": 2010 + int(rng.integers(0, 10)),
                             "uses": int(rng.poisson(rate * tokens))})  # fmt: skip
    meta = pd.DataFrame(rows)
    meta["year"] = meta["year"].astype("Int64")
    return meta, meta[["uses"]].rename(columns={"uses": "samverkan"})


def test_genre_only_term_shows_a_pooled_difference_that_adjustment_removes():
    meta, counts = planted(level_effect=1.0)
    row = rate_ratios(counts, meta, "actor_level", "doc_type", reference="national").iloc[0]
    assert row["group"] == "local" and row["reference"] == "national"
    # pooled: local looks about 3x national, and the interval is far from 1
    assert row["ratio_pooled"] > 2.0 and row["ci_low_pooled"] > 1.5
    # adjusted for genre (and period): the interval contains 1
    assert row["ci_low_adjusted"] < 1.0 < row["ci_high_adjusted"]
    assert row["adjusted_for"] == "group + doc_type + period" and row["n_strata_shared"] == 2
    assert composition_check(meta, "actor_level", "doc_type").flagged  # and the design warns


def test_a_true_level_effect_within_genre_is_found():
    meta, counts = planted(level_effect=2.0)
    row = rate_ratios(counts, meta, "actor_level", "doc_type", reference="national").iloc[0]
    assert row["ci_low_adjusted"] > 1.2 and row["ratio_adjusted"] == pytest.approx(2.0, rel=0.3)


def test_pooled_ratio_is_the_ratio_of_pooled_rates_and_matches_statsmodels_formula():
    meta, counts = planted(level_effect=1.5, seed=3)
    row = rate_ratios(counts, meta, "actor_level", "doc_type", reference="national").iloc[0]
    by = meta.groupby("actor_level")[["uses", "n_tokens"]].sum()
    rates = by["uses"] / by["n_tokens"]
    assert row["ratio_pooled"] == pytest.approx(rates["local"] / rates["national"], rel=1e-6)
    assert row["rate_per_10k"] == pytest.approx(rates["local"] * 1e4)
    # the adjusted model, written independently with a formula
    df = meta.assign(period=(meta["year"].astype(int) // 5 * 5).astype(str))
    fit = smf.glm(
        "uses ~ C(actor_level, Treatment('national')) + C(doc_type) + C(period)",
        data=df, family=__import__("statsmodels.api").api.families.Poisson(),
        offset=np.log(df["n_tokens"]),
    ).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(df["actor"])[0]}, use_t=True)  # fmt: skip
    name = "C(actor_level, Treatment('national'))[T.local]"
    assert row["ratio_adjusted"] == pytest.approx(np.exp(fit.params[name]), rel=1e-6)
    lo, hi = np.exp(fit.conf_int().loc[name])
    assert (row["ci_low_adjusted"], row["ci_high_adjusted"]) == pytest.approx((lo, hi), rel=1e-6)


def test_what_cannot_be_fitted_is_said_not_guessed():
    meta, counts = planted(level_effect=1.0)
    few = meta[(meta["actor_level"] == "national") | meta["actor"].isin(["local-0", "local-1"])]
    row = rate_ratios(counts.loc[few.index].reset_index(drop=True), few.reset_index(drop=True),
                      "actor_level", "doc_type", reference="national").iloc[0]  # fmt: skip
    assert "fewer than 5 actors on a side: no interval" in row["note"]
    assert np.isnan(row["ci_low_pooled"]) and not np.isnan(row["ratio_pooled"])
    zero = counts.copy()
    zero.loc[meta["actor_level"] == "local", "samverkan"] = 0
    row = rate_ratios(zero, meta, "actor_level", "doc_type", reference="national").iloc[0]
    assert "no use on a side" in row["note"] and np.isnan(row["ratio_adjusted"])
    apart = meta.assign(doc_type=np.where(meta["actor_level"] == "local", "event", "press"))
    row = rate_ratios(counts, apart, "actor_level", "doc_type", reference="national").iloc[0]
    assert "no doc_type shared with national: no adjusted ratio" in row["note"]
    assert np.isnan(row["ratio_adjusted"]) and not np.isnan(row["ratio_pooled"])


def test_adjusted_interval_needs_actors_in_the_shared_genres():
    # national: 40 actors of interpellations and 2 actors of events; local writes events only
    meta, counts = planted(level_effect=1.0)
    meta = meta.copy()
    nat = meta["actor_level"] == "national"
    meta.loc[nat, "doc_type"] = "interpellation"
    meta.loc[nat & meta["actor"].isin(["national-0", "national-1"]), "doc_type"] = "event"
    row = rate_ratios(counts, meta, "actor_level", "doc_type", reference="national").iloc[0]
    assert "in the doc_types both write: no adjusted interval" in row["note"]
    assert np.isnan(row["ci_low_adjusted"]) and not np.isnan(row["ci_low_pooled"])
    with pytest.raises(ParameterError, match="reference: 'county' is not a actor_level group"):
        rate_ratios(counts, meta, "actor_level", "doc_type", reference="county")


def test_reference_defaults_to_the_largest_group():
    meta, counts = planted(level_effect=1.0)
    meta = pd.concat([meta, meta[meta["actor_level"] == "national"]], ignore_index=True)
    counts = pd.concat([counts, counts[:0]], ignore_index=True).reindex(range(len(meta))).fillna(0)
    assert rate_ratios(counts, meta, "actor_level", "doc_type")["reference"].iloc[0] == "national"
