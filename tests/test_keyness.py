import math

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy.stats import power_divergence

from ordbruk.errors import ParameterError
from ordbruk.rhetoric.fightin_words import (
    fightin_words,
    fightin_words_compare,
    prior_from_counts,
    prior_from_wordfreq,
)
from ordbruk.rhetoric.keyness import (
    actors_bootstrap,
    comparisons_build,
    g2_compute,
    keyness_compare,
    keyness_table,
    keywords_top,
    labels_get,
    log_ratio_compute,
    p_adjust_bh,
    pct_diff_compute,
)


def test_g2_worked_example():
    # a=10, b=5, c=1000, d=2000 -> N=3000, E1 = 1000*15/3000 = 5, E2 = 2000*15/3000 = 10
    # G2 = 2*(10 ln(10/5) + 5 ln(5/10)) = 2*5*ln 2 = 6.931472; p(chi2, 1 df) = erfc(sqrt(G2/2))
    g2, p = g2_compute([10], [5], 1000, 2000)
    assert g2[0] == pytest.approx(10 * math.log(2), rel=1e-12)
    assert p[0] == pytest.approx(math.erfc(math.sqrt(10 * math.log(2) / 2)), rel=1e-9)
    assert p[0] == pytest.approx(0.0084692, abs=1e-7)


def test_g2_matches_scipy_two_cell_g_test():
    rng = np.random.default_rng(1)
    a = rng.integers(1, 200, 50)
    b = rng.integers(1, 200, 50)
    c, d = 50_000, 80_000
    g2, p = g2_compute(a, b, c, d)
    for i in range(50):
        e = [c * (a[i] + b[i]) / (c + d), d * (a[i] + b[i]) / (c + d)]
        ref = power_divergence([a[i], b[i]], e, lambda_="log-likelihood")
        assert abs(g2[i]) == pytest.approx(ref.statistic, rel=1e-9)
        assert p[i] == pytest.approx(ref.pvalue, rel=1e-6)


def test_g2_sign_zero_count_and_equal_use():
    # a=1, b=10 with equal sizes: underuse in T -> negative
    g2, _ = g2_compute([1, 0, 5], [10, 4, 10], 1000, 2000)
    assert g2[0] < 0
    # a=0: only b contributes: E2 = 2000*4/3000 = 8/3, G2 = 2*4*ln(4/(8/3)) = 8 ln 1.5
    assert g2[1] == pytest.approx(-8 * math.log(1.5))
    # 5/1000 == 10/2000: no difference
    assert g2[2] == pytest.approx(0.0, abs=1e-12)


def test_log_ratio_and_pct_diff():
    # (10/1000)/(5/2000) = 4 -> log2 = 2; %DIFF = 100*(0.01-0.0025)/0.0025 = 300
    assert log_ratio_compute([10], [5], 1000, 2000)[0] == pytest.approx(2.0)
    assert pct_diff_compute([10], [5], 1000, 2000)[0] == pytest.approx(300.0)
    # a=0 -> 0.5: log2((0.5/1000)/(4/1000)) = log2(1/8) = -3
    assert log_ratio_compute([0], [4], 1000, 1000)[0] == pytest.approx(-3.0)
    # b=0 -> 0.5: log2((4/1000)/(0.5/1000)) = 3; %DIFF = 100*(0.004-0.0005)/0.0005 = 700
    assert log_ratio_compute([4], [0], 1000, 1000)[0] == pytest.approx(3.0)
    assert pct_diff_compute([4], [0], 1000, 1000)[0] == pytest.approx(700.0)


def _bh_reference(p):
    # Direct definition: adj_i = min over j with p_j >= p_i of p_j * m / rank_j, capped at 1.
    p = np.asarray(p, float)
    m = len(p)
    rank = np.argsort(np.argsort(p)) + 1
    return np.array(
        [min(1.0, min(p[j] * m / rank[j] for j in range(m) if p[j] >= p[i])) for i in range(m)]
    )


def test_bh_hand_example_and_reference():
    # p = 0.01, 0.04, 0.03, 0.005 (m=4): sorted 0.005, 0.01, 0.03, 0.04 -> *4/rank = 0.02,
    # 0.02, 0.04, 0.04 (already monotone) -> back in input order: 0.02, 0.04, 0.04, 0.02
    np.testing.assert_allclose(p_adjust_bh([0.01, 0.04, 0.03, 0.005]), [0.02, 0.04, 0.04, 0.02])
    # non-monotone: 0.01*3/1 = 0.03, 0.02*3/2 = 0.03, 0.021*3/3 = 0.021 -> min from top: 0.021
    np.testing.assert_allclose(p_adjust_bh([0.01, 0.02, 0.021]), [0.021, 0.021, 0.021])
    p = np.random.default_rng(3).uniform(0, 0.2, 40)
    np.testing.assert_allclose(p_adjust_bh(p), _bh_reference(p))
    out = p_adjust_bh([0.5, np.nan, 0.9])  # NaN is not a test: m = 2
    assert np.isnan(out[1]) and out[0] == pytest.approx(0.9)
    assert p_adjust_bh([]).size == 0


def test_keyness_table_min_freq_and_columns():
    df = keyness_table([10, 1, 0], [5, 1, 3], 1000, 2000, ["skola", "bo", "våld"], min_freq=3)
    assert list(df.columns) == [
        "term",
        "a",
        "b",
        "c",
        "d",
        "g2",
        "p",
        "p_adj_bh",
        "log_ratio",
        "pct_diff",
    ]
    assert list(df["term"]) == ["skola", "våld"]  # "bo": 1 + 1 < 3
    assert df.loc[0, "g2"] == pytest.approx(10 * math.log(2))


def test_fightin_words_hand_example():
    # y_T = 10, 5, 0; y_R = 2, 8, 5; alpha = 1, 1, 2 (alpha_0 = 4); n_T = n_R = 15
    # w1: delta = ln(11/(15+4-10-1)) - ln(3/(15+4-2-1)) = ln(11/8) - ln(3/16) = 1.992430
    #     var = 1/11 + 1/3 = 0.424242; z = 1.992430/sqrt(0.424242) = 3.058976
    # w2: ln(6/13) - ln(9/10) = -0.667829; var = 1/6 + 1/9 = 0.277778; z = -1.267117
    # w3: ln(2/17) - ln(7/12) = -1.601070; var = 1/2 + 1/7 = 0.642857; z = -1.996885
    fw = fightin_words([10, 5, 0], [2, 8, 5], [1, 1, 2])
    np.testing.assert_allclose(fw["delta"], [1.992430, -0.667829, -1.601070], atol=1e-6)
    np.testing.assert_allclose(fw["var"], [0.424242, 0.277778, 0.642857], atol=1e-6)
    np.testing.assert_allclose(fw["z"], [3.058976, -1.267117, -1.996885], atol=1e-6)


def test_priors():
    # counts 3, 1, 0, 4; zero -> half the smallest positive (0.5); shares /8.5; alpha_0 = 10
    np.testing.assert_allclose(
        prior_from_counts([3, 1, 0, 4], 10), np.array([3, 1, 0.5, 4]) / 8.5 * 10
    )
    alpha = prior_from_wordfreq(["och", "segregation", "qqqxyzzz"], 100)
    assert alpha.sum() == pytest.approx(100)
    assert alpha[0] > alpha[1] > alpha[2] > 0  # "och" is far more common than "segregation"
    with pytest.raises(ParameterError):
        prior_from_counts([1, 2], 0)


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


def _toy():
    # docs: 0,1 local (actors A, B); 2 national (actor N)
    # terms:          vi  skola  regeringen
    dtm = sparse.csr_matrix(np.array([[4, 2, 0], [0, 2, 0], [1, 1, 6]]))
    return dtm, ["vi", "skola", "regeringen"], ["local", "local", "national"], ["A", "B", "N"]


def test_keyness_compare_counts():
    dtm, terms, labels, _ = _toy()
    df = keyness_compare(dtm, terms, comparisons_build(labels), min_freq=1)
    vi = df[df["term"] == "vi"].iloc[0]
    # local: vi 4 of 8 tokens; national: vi 1 of 8 tokens
    assert (vi["group_a"], vi["group_b"], vi["a"], vi["b"], vi["c"], vi["d"]) == (
        "local",
        "national",
        4,
        1,
        8,
        8,
    )
    assert vi["log_ratio"] == pytest.approx(2.0)


def test_fightin_words_compare_and_keywords_top():
    dtm, terms, labels, _ = _toy()
    comps = comparisons_build(labels)
    fw = fightin_words_compare(dtm, terms, comps, prior="corpus", prior_size=16)
    assert list(fw.columns[:8]) == ["group_a", "group_b", "term", "a", "b", "c", "d", "prior"]
    # the count columns mean what they mean in keyness: local vi 4 of 8, national 1 of 8
    vi = fw[(fw["term"] == "vi") & (fw["group_a"] == "local")].iloc[0]
    assert (vi["a"], vi["b"], vi["c"], vi["d"]) == (4, 1, 8, 8)
    key_cols = ["group_a", "group_b", "term", "a", "b", "c", "d"]
    both = fw[key_cols].merge(keyness_compare(dtm, terms, comps, min_freq=1)[key_cols])
    assert len(both) == len(fw)
    # prior = corpus shares (5, 5, 6)/16 * 16
    assert dict(zip(fw["term"], fw["prior"], strict=True)) == pytest.approx(
        {"vi": 5, "skola": 5, "regeringen": 6}
    )
    # local: vi 4, skola 4 of 8; national: 1, 1 of 8 -> same counts and prior, same z
    first = fw[(fw["group_a"] == "local") & (fw["group_b"] == "national")]
    assert list(first["term"]) == ["skola", "vi", "regeringen"]  # ties by term
    assert first["z"].iloc[0] == pytest.approx(first["z"].iloc[1]) and first["z"].iloc[2] < 0
    with pytest.raises(ParameterError):
        fightin_words_compare(dtm, terms, comps, prior="nope")
    key = keyness_compare(dtm, terms, comps, min_freq=1)
    top = keywords_top(key, n=5, p_max=0.05, log_ratio_min=1.0)
    assert set(top[top["direction"] == "national"]["term"]) == {"regeringen"}
    assert set(top[top["direction"] == "local"]["term"]) == {"vi", "skola"}


def test_actors_bootstrap_counts_and_ci():
    dtm, terms, labels, actors = _toy()
    comps = comparisons_build(labels)
    key = pd.DataFrame({"group_a": ["local"], "group_b": ["national"], "term": ["vi"]})
    out = actors_bootstrap(dtm, terms, actors, comps, key, n_boot=500, seed=7)
    row = out.iloc[0]
    # vi: actor A uses it 4 times, B never -> 1 of 2 local actors; all 4 from A (share 1.0)
    assert (row["n_actors_a"], row["n_actors_a_using"], row["n_actors_b_using"]) == (2, 1, 1)
    assert row["top_actor_share_a"] == pytest.approx(1.0)
    # 4/8 - 1/8 tokens = 0.375 -> 3750 per 10k
    assert row["diff_per_10k"] == pytest.approx(3750.0)
    # resampling {A, B}: A twice = 4/6 - 1/8, B twice = 0 - 1/8: the CI spans both extremes
    assert row["ci_low"] == pytest.approx(-1250.0) and row["ci_high"] == pytest.approx(
        10000 * (4 / 6 - 1 / 8)
    )
    again = actors_bootstrap(dtm, terms, actors, comps, key, n_boot=500, seed=7)
    pd.testing.assert_frame_equal(out, again)


def test_actors_bootstrap_single_actor_groups_degenerate():
    dtm, terms, labels, _ = _toy()
    comps = comparisons_build(labels)
    key = pd.DataFrame({"group_a": ["local"], "group_b": ["national"], "term": ["skola"]})
    out = actors_bootstrap(dtm, terms, ["A", "A", "N"], comps, key, n_boot=50, seed=1)
    # one actor per group: every replicate equals the point estimate 4/8 - 1/8
    assert out.loc[0, "ci_low"] == pytest.approx(3750.0) and out.loc[0, "ci_high"] == pytest.approx(
        3750.0
    )


def test_labels_get_and_slug():
    meta = pd.DataFrame({"actor": ["Borås Stad", "Region Örebro län", None]})
    labels = labels_get(meta, "actor")
    assert labels.tolist() == ["Borås Stad", "Region Örebro län", ""]
    with pytest.raises(ParameterError, match="group_by: column 'nope'"):
        labels_get(meta, "nope")
    comp = comparisons_build(labels)[0]
    assert comp.slug == "Boras-Stad_vs_Region-Orebro-lan"
