import hashlib
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
    g2_compute,
    keyness_compare,
    keyness_table,
    keywords_pass,
    keywords_top,
    log_ratio_compute,
    p_adjust_bh,
    pct_diff_compute,
)
from ordbruk.stats.groups import comparisons_build


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
    # national rests on one actor: no interval (issue 10); the counts above still hold
    assert np.isnan(row["ci_low"]) and np.isnan(row["ci_high"])
    # (intervals with two or more actors a side: test_actors_bootstrap_pinned_numbers)
    again = actors_bootstrap(dtm, terms, actors, comps, key, n_boot=500, seed=7)
    pd.testing.assert_frame_equal(out, again)


def test_actors_bootstrap_single_actor_groups_degenerate():
    dtm, terms, labels, _ = _toy()
    comps = comparisons_build(labels)
    key = pd.DataFrame({"group_a": ["local"], "group_b": ["national"], "term": ["skola"]})
    out = actors_bootstrap(dtm, terms, ["A", "A", "N"], comps, key, n_boot=50, seed=1)
    # one actor per group: resampling one actor says nothing, so no interval (issue 10)
    assert np.isnan(out.loc[0, "ci_low"]) and np.isnan(out.loc[0, "ci_high"])
    assert out.loc[0, "diff_per_10k"] == pytest.approx(3750.0)


# --- pinned numbers: the actor bootstrap must not change when its code moves ---------

PIN_DTM = np.array(
    [
        [4, 2, 0, 1],  # local A
        [0, 2, 0, 3],  # local B
        [3, 0, 1, 0],  # local C
        [1, 1, 6, 0],  # national N
        [0, 3, 2, 2],  # national M
        [2, 0, 4, 1],  # national, no actor (an actor of its own)
        [0, 1, 1, 5],  # regional R
        [1, 0, 0, 4],  # regional R
    ]
)
PIN_TERMS = ["vi", "skola", "regeringen", "region"]
PIN_LABELS = ["local"] * 3 + ["national"] * 3 + ["regional"] * 2
PIN_ACTORS = ["A", "B", "C", "N", "M", "", "R", "R"]
# (group_a, group_b, term) -> (ci_low, ci_high), captured from the code before the bootstrap
# moved to ordbruk.stats.actors (n_boot=200, seed=11, level 0.9).
PIN_KEYNESS_CI = {
    ("local", "national", "vi"): (-129.87012987012992, 6140.151515151513),
    ("local", "national", "skola"): (-1819.6969696969697, 2503.5714285714275),
    ("local", "national", "regeringen"): (-6878.472222222223, -2271.0622710622706),
    ("local", "national", "region"): (-1363.6363636363635, 3863.1469979296016),
    ("local", "regional", "vi"): (1309.5238095238094, 5833.333333333333),
    ("local", "regional", "skola"): (500.0, 2696.0784313725494),
    ("local", "regional", "regeringen"): (-833.3333333333333, 705.1282051282053),
    ("local", "regional", "region"): (-6833.333333333333, -3214.2857142857147),
    ("national", "regional", "vi"): (-378.78787878787875, 1439.3939393939393),
    ("national", "regional", "skola"): (-378.78787878787875, 2348.4848484848485),
    ("national", "regional", "regeringen"): (2976.190476190476, 6123.188405797101),
    ("national", "regional", "region"): (-7065.217391304348, -5119.047619047618),
    ("local", "rest", "vi"): (622.8180421728805, 5708.850289495446),
    ("local", "rest", "skola"): (-878.978779840849, 2633.6134453781506),
    ("local", "rest", "regeringen"): (-6041.666666666666, -1002.9069767441862),
    ("local", "rest", "region"): (-4205.128205128205, 3118.9075630252096),
    ("national", "rest", "vi"): (-5000.0, 607.354028085735),
    ("national", "rest", "skola"): (-1818.6188811188813, 2134.334415584414),
    ("national", "rest", "regeringen"): (2609.523809523809, 6480.331262939958),
    ("national", "rest", "region"): (-5414.422975398586, 457.79220779220657),
    ("regional", "rest", "vi"): (-3541.666666666667, -216.66666666666754),
    ("regional", "rest", "skola"): (-2416.666666666667, -142.27642276422773),
    ("regional", "rest", "regeringen"): (-4433.333333333333, -497.4358974358983),
    ("regional", "rest", "region"): (4357.142857142857, 6713.41463414634),
}
# sha256 of the whole table written with 17 significant digits, from the same code.
# Re-pinned at issue 10: a side resting on one actor (regional: R) has no interval; every
# other interval is the pinned one, unchanged.
PIN_KEYNESS_SHA = "58877e5c8f9b3428d60563e871bebcea33d475a7f3eb75cd7b68cef305257205"


def test_actors_bootstrap_pinned_numbers():
    comps = comparisons_build(PIN_LABELS)
    key = pd.DataFrame(
        [(c.group_a, c.group_b, t) for c in comps for t in PIN_TERMS],
        columns=["group_a", "group_b", "term"],
    )
    out = actors_bootstrap(
        sparse.csr_matrix(PIN_DTM),
        PIN_TERMS,
        PIN_ACTORS,
        comps,
        key,
        n_boot=200,
        seed=11,
        ci_level=0.9,
    )
    got = {
        (r.group_a, r.group_b, r.term): (r.ci_low, r.ci_high) for r in out.itertuples(index=False)
    }
    one_actor = {k for k in got if "regional" in k[:2]}
    assert all(math.isnan(got[k][0]) and math.isnan(got[k][1]) for k in one_actor)
    assert {k: v for k, v in got.items() if k not in one_actor} == {
        k: v for k, v in PIN_KEYNESS_CI.items() if k not in one_actor
    }  # exact floats, not approx
    digest = hashlib.sha256(out.to_csv(float_format="%.17g").encode()).hexdigest()
    assert digest == PIN_KEYNESS_SHA


def test_keywords_pass_is_the_one_rule():
    top = pd.DataFrame(
        {
            "group_a": ["x"] * 5, "group_b": ["y"] * 5,
            "term": ["ok", "few", "ci0", "p", "down"],
            "direction": ["x", "x", "x", "x", "y"],
            "passes": [True, True, True, False, True],
            "descriptive_only": [False] * 5,
        }
    )  # fmt: skip
    rob = pd.DataFrame(
        {
            "group_a": ["x"] * 5, "group_b": ["y"] * 5,
            "term": ["ok", "few", "ci0", "p", "down"],
            "n_actors_a_using": [6, 4, 9, 9, 1], "n_actors_b_using": [1, 0, 2, 2, 7],
            "ci_low": [0.5, 0.5, -0.1, 0.5, -3.0], "ci_high": [2.0, 2.0, 1.0, 2.0, -1.0],
        }
    )  # fmt: skip
    out = keywords_pass(top, rob, min_actors=5).set_index("term")
    assert out["passes"].to_dict() == {
        "ok": True,
        "few": False,
        "ci0": False,
        "p": False,
        "down": True,
    }
    assert out.loc["down", "n_actors_using"] == 7 and out.loc["few", "passes_actors"] == False  # noqa: E712
    # a descriptive-only comparison passes nothing; a term without an actor row fails
    assert not keywords_pass(top.assign(descriptive_only=True), rob)["passes"].any()
    assert not keywords_pass(top, rob.iloc[:0])["passes"].any()
