"""Tests of ordbruk.stats.actors: the actor key, the seeding policy and THE bootstrap."""

import numpy as np
import pytest
from scipy import sparse

from ordbruk.errors import ParameterError
from ordbruk.stats.actors import (
    actors_bootstrap,
    actors_key,
    actors_mean,
    actors_sum,
    interval_percentile,
    rng_make,
)


def test_actors_key_never_pools_unattributed_documents():
    # regression: term aggregates and topic prevalence pooled every document without an
    # actor into one actor "", while keyness and rhetoric counted each as its own
    assert actors_key(["A", "", None, " B "]).tolist() == ["A", "doc:1", "doc:2", "B"]
    assert actors_key(["", "", "A"], ["x", "x", "y"]).tolist() == ["doc:x", "doc:x", "A"]


def test_rng_make_is_the_default_generator_of_the_seed():
    assert rng_make(7).random(3).tolist() == np.random.default_rng(7).random(3).tolist()


def test_actors_sum_dense_leaves_out_nan():
    # actors sorted: A, B; A has documents 1 and 2, B document 0 (whose 2nd value is NaN)
    names, sums, counts = actors_sum(["B", "A", "A"], [[1.0, np.nan], [2.0, 5.0], [3.0, 4.0]])
    assert names.tolist() == ["A", "B"]
    assert sums.tolist() == [[5.0, 9.0], [1.0, 0.0]]
    assert counts.tolist() == [[2.0, 2.0], [1.0, 0.0]]
    _, s1, c1 = actors_sum(["B", "A", "A"], [10, 20, 30])  # one value per document
    assert s1.tolist() == [50.0, 10.0] and c1.tolist() == [2.0, 1.0]


def test_actors_sum_sparse_counts():
    X = sparse.csr_matrix(np.array([[1, 0], [0, 2], [3, 4]]))
    names, sums, counts = actors_sum(["A", "B", "A"], X)
    assert names.tolist() == ["A", "B"] and sums.tolist() == [[4.0, 4.0], [0.0, 2.0]]
    assert counts.tolist() == [[2.0, 2.0], [1.0, 1.0]]


def test_actors_bootstrap_three_actors_by_hand():
    # Three actors: a term used 4, 0 and 2 times in 10, 10 and 20 tokens. A replicate of
    # only A gives 0.4 (the largest possible rate), only B gives 0 (the smallest); each
    # has probability (1/3)^3 = 1/27, so of 2,000 replicates about 74 sit at each
    # extreme and the 1st and 99th percentiles are exactly 0 and 0.4.
    num = np.array([[4.0], [0.0], [2.0]])
    den = np.array([10.0, 10.0, 20.0])
    boot = actors_bootstrap(rng_make(3), num, den, 2000)
    assert boot.shape == (2000, 1)
    lo, hi = interval_percentile(boot, 0.98)
    assert lo[0] == 0.0 and hi[0] == pytest.approx(0.4)
    # Independent computation: the same draws (one multinomial block from the same
    # seed), then each replicate's drawn actors summed in a plain loop.
    w = np.random.default_rng(3).multinomial(3, [1 / 3] * 3, size=2000)
    direct = [
        sum(num[j, 0] * row[j] for j in range(3)) / sum(den[j] * row[j] for j in range(3))
        for row in w
    ]
    assert boot[:, 0] == pytest.approx(direct, rel=1e-12)


def test_actors_bootstrap_per_column_denominators_and_zero():
    # den per actor and column: a replicate with no value in a column is NaN, not an error
    num = np.array([[1.0, 0.0], [3.0, 2.0]])
    den = np.array([[1.0, 0.0], [1.0, 1.0]])
    boot = actors_bootstrap(rng_make(0), num, den, 200)
    only_a = np.isnan(boot[:, 1])
    assert only_a.any() and (boot[only_a, 0] == 1.0).all()


def test_interval_percentile_nan_aware_and_checked():
    boot = np.array([[1.0, np.nan], [2.0, np.nan], [3.0, np.nan], [np.nan, np.nan]])
    lo, hi = interval_percentile(boot, 0.5)
    # column 0: the NaN replicate is left out; percentiles 25 and 75 of 1, 2, 3
    assert lo[0] == 1.5 and hi[0] == 2.5 and np.isnan(lo[1]) and np.isnan(hi[1])
    lo, hi = interval_percentile(np.zeros((0, 2)), 0.9)
    assert np.isnan(lo).all() and np.isnan(hi).all()
    with pytest.raises(ParameterError, match="ci_level"):
        interval_percentile(boot, 95)


def test_actors_mean_against_direct_resampling():
    # a1 has two documents (1 and 3), a2 one (5), a3 one without a value (NaN)
    values = np.array([[1.0], [3.0], [5.0], [np.nan]])
    actors = np.array(["a1", "a1", "a2", "a3"], dtype=object)
    mean, lo, hi, n = actors_mean(values, actors, rng_make(11), n_boot=500, ci_level=0.9)
    assert mean[0] == 3.0 and n[0] == 3  # (1 + 3 + 5) / 3: each document counts once
    w = np.random.default_rng(11).multinomial(3, [1 / 3] * 3, size=500)
    docs = {0: [1.0, 3.0], 1: [5.0], 2: []}
    reps = []
    for row in w:
        drawn = [v for j in range(3) for _ in range(row[j]) for v in docs[j]]
        reps.append(np.mean(drawn) if drawn else np.nan)
    reps = np.array(reps)
    assert lo[0] == pytest.approx(np.nanpercentile(reps, 5))
    assert hi[0] == pytest.approx(np.nanpercentile(reps, 95))
    # one actor: no interval, since resampling one actor says nothing (issue 10 item 4)
    m1, lo1, hi1, _ = actors_mean([[2.0], [4.0]], ["x", "x"], rng_make(1), 50)
    assert m1[0] == 3.0 and np.isnan(lo1[0]) and np.isnan(hi1[0])
