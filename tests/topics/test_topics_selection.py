"""Choosing k: stability across seeds, the held-out fit, the rule, on a planted corpus."""

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from planted import planted

from ordbruk.errors import OrdbrukError, ParameterError
from ordbruk.topics.coherence import top_ids_from_weights
from ordbruk.topics.features import Features
from ordbruk.topics.heldout import completion_split, perplexity_completion
from ordbruk.topics.models import SHARES_CHUNK, method_resolve, shares_infer, topics_fit
from ordbruk.topics.notes import convergence_sentence
from ordbruk.topics.select import k_choose, topics_grid, units_sample
from ordbruk.topics.stability import (
    runs_reference,
    top_sets_jaccard,
    topics_match,
    topics_stability,
)

# --- matching and stability ----------------------------------------------------------


def test_hungarian_matches_brute_force():
    rng = np.random.default_rng(2)
    sim = rng.random((5, 5))
    best = max(itertools.permutations(range(5)), key=lambda p: sum(sim[i, p[i]] for i in range(5)))
    col, matched = topics_match(sim)
    assert col.tolist() == list(best)
    assert matched == pytest.approx([sim[i, best[i]] for i in range(5)])


def test_jaccard_of_top_sets_hand_counted():
    # {0,1,2} vs {1,2,3}: 2 shared of 4 -> 0.5; {0,1,2} vs {4,5,6}: 0.
    got = top_sets_jaccard(np.array([[0, 1, 2]]), np.array([[1, 2, 3], [4, 5, 6]]))
    assert got.tolist() == [[0.5, 0.0]]


class _M:
    def __init__(self, tw):
        self.topic_word = np.asarray(tw, float)
        self.k = len(tw)


def test_stability_of_permuted_runs_is_one_and_flags_unstable():
    tw = np.array([[5, 4, 3, 0, 0, 0, 0], [0, 0, 0, 5, 4, 3, 0]], float)
    same = topics_stability([_M(tw), _M(tw[::-1])], n_top=3)
    assert same["stability_jaccard"].tolist() == [1.0, 1.0] and not same["unstable"].any()
    # Second run: topic 2 keeps 1 of its 3 top words ({3,4,5} vs {5,6,0}: Jaccard 1/5);
    # topic 1 {0,1,2} vs {0,1,2}: 1. Matching is one-to-one, so topic 2 gets the leftover.
    other = np.array([[5, 4, 3, 0, 0, 0, 0], [1, 0, 0, 0, 0, 4, 5]], float)
    st = topics_stability([_M(tw), _M(other)], n_top=3, threshold=0.5)
    assert st["stability_jaccard"].tolist() == pytest.approx([1.0, 0.2])
    assert st["unstable"].tolist() == [False, True]
    with pytest.raises(OrdbrukError):
        topics_stability([_M(tw)])


# --- held-out fit by document completion ---------------------------------------------


def test_completion_split_halves_sum_to_the_unit_and_follow_the_seed():
    X, _, _ = planted(n_docs=20)
    est, score = completion_split(X, seed=3)
    assert (est + score - X).nnz == 0 and est.min() >= 0 and score.min() >= 0
    n = np.asarray(X.sum(axis=1)).ravel()
    assert np.array_equal(np.asarray(est.sum(axis=1)).ravel(), n // 2)
    again, _ = completion_split(X, seed=3)
    other, _ = completion_split(X, seed=4)
    assert (again != est).nnz == 0 and (other != est).nnz > 0


class _Uniform:
    # A model whose every topic is uniform over the vocabulary: every word has p = 1 / V,
    # so the per-word perplexity is exactly V whatever the topic shares.
    method = "lda"

    def __init__(self, k, v):
        self.topic_word = np.full((k, v), 1.0 / v)

    def shares_of(self, X):
        return np.full((X.shape[0], self.topic_word.shape[0]), 1.0 / self.topic_word.shape[0])


def test_perplexity_of_a_uniform_model_is_the_vocabulary_size():
    X, vocab, _ = planted(n_docs=30)
    perp, n_tok, n_units = perplexity_completion(_Uniform(3, len(vocab)), X, X, seed=1)
    assert perp == pytest.approx(len(vocab)) and n_units == 30
    assert n_tok == int(X.sum() - (np.asarray(X.sum(axis=1)).ravel() // 2).sum())


@pytest.mark.parametrize("method", ["lda", "nmf"])
def test_perplexity_matches_a_token_by_token_computation(method):
    # Independent computation: scikit-learn's transform and components_ read directly, a
    # Python loop over every scored token (no matrix algebra of the module).
    X, _, _ = planted(n_docs=120)
    train, test = X[:100], X[100:]
    m = topics_fit(train, 4, method, seed=2, max_iter=100)
    est, score = completion_split(test, seed=9)
    if method == "lda":
        theta = m.estimator.transform(est)
        phi = m.estimator.components_ / m.estimator.components_.sum(axis=1, keepdims=True)
    else:
        theta = m.estimator.transform(m.tfidf.transform(est))
        h = m.estimator.components_
        freq = np.asarray(train.sum(axis=0)).ravel() + 1.0
        phi = 0.95 * h / h.sum(axis=1, keepdims=True) + 0.05 * freq / freq.sum()
    theta = theta / theta.sum(axis=1, keepdims=True)
    ll, n = 0.0, 0
    S = score.tocoo()
    for i, j, c in zip(S.row, S.col, S.data, strict=True):
        p = sum(theta[i, t] * phi[t, j] for t in range(4))
        ll += c * math.log(p)
        n += c
    perp, n_tok, _ = perplexity_completion(m, train, test, seed=9)
    assert n_tok == n and perp == pytest.approx(math.exp(-ll / n), rel=1e-9)


# --- the grid, the rule, the planted corpus ------------------------------------------


@pytest.fixture(scope="module")
def planted_grids():
    X, _, phi = planted(n_docs=300)
    kw = {"seeds": [1, 2, 3], "seed": 1, "test_share": 0.2, "n_jobs": 1, "max_iter": 500}
    kw["evaluate_every"] = 5  # LDA stops on convergence (about 10 passes here)
    return X, phi, {m: topics_grid(X, [2, 3, 4, 5, 6, 8], m, **kw) for m in ("lda", "nmf")}


@pytest.mark.parametrize("method", ["lda", "nmf"])
def test_planted_corpus_heldout_falls_to_the_true_k_then_flattens(planted_grids, method):
    g = planted_grids[2][method].grid.set_index("k")["perplexity_heldout"]
    print(method, g.round(2).to_dict())
    # Seen: lda 25.6, 20.3, 15.3, 15.4, 15.4, 15.4; nmf 33.2, 22.5, 15.5, 16.0, 16.4, 16.6.
    assert g[2] > g[3] > g[4]
    assert g[4] <= g.min() * 1.01 and g[[5, 6, 8]].max() <= g[4] * 1.08


@pytest.mark.parametrize("method", ["lda", "nmf"])
def test_planted_corpus_rule_picks_the_true_k_and_recovers_every_topic(planted_grids, method):
    X, phi, grids = planted_grids
    sel = grids[method]
    choice = k_choose(sel.grid)
    # Seen: lda 4; nmf 5 (a neighbour: k = 5 is as stable and slightly more coherent).
    assert choice.k in (3, 4, 5) and not choice.warnings
    assert choice.k == 4 if method == "lda" else True
    model, stab = sel.reported(choice.k)
    col, matched = topics_match(
        top_sets_jaccard(top_ids_from_weights(phi, 10), top_ids_from_weights(model.topic_word, 10))
    )
    # every planted topic is found, and the topic that found it is stable
    assert matched.min() >= 0.8 and not stab["unstable"].to_numpy()[col].any()


def test_k_choose_rule_and_warnings():
    g = pd.DataFrame({"k": [5, 10, 15, 20], "stable_share": [0.9, 0.8, 0.6, 0.8],
                      "npmi_mean": [0.1, 0.2, 0.3, 0.15]})  # fmt: skip
    c = k_choose(g, min_stable=0.75)
    # 15 is the most coherent but not stable enough; 10 is the best of 5, 10, 20.
    assert c.k == 10 and c.warnings == [] and "at least 75%" in c.why
    none = g.assign(stable_share=[0.2, 0.5, 0.5, 0.1])
    c = k_choose(none, min_stable=0.75)
    assert c.k == 15 and len(c.warnings) == 1 and c.warnings[0].startswith("No k")
    edge = g.assign(npmi_mean=[0.1, 0.2, 0.3, 0.4], stable_share=0.9)
    c = k_choose(edge)
    assert c.k == 20 and "upper edge" in c.warnings[0]
    assert "lower edge" in k_choose(g.assign(npmi_mean=[0.5, 0.2, 0.3, 0.1])).warnings[0]
    ties = g.assign(npmi_mean=0.2, stable_share=0.9)
    assert k_choose(ties).k == 5
    fixed = k_choose(g, k_fixed=15)
    assert fixed.k == 15 and "fixed" in fixed.why and "60% stable" in fixed.warnings[0]


@pytest.mark.parametrize("method", ["lda", "nmf"])
def test_grid_in_parallel_equals_the_grid_in_one_process(method):
    X, _, _ = planted(n_docs=120)
    kw = {"seeds": [1, 2], "seed": 1, "test_share": 0.2, "max_iter": 50, "evaluate_every": 5}
    one = topics_grid(X, [3, 4], method, n_jobs=1, **kw)
    two = topics_grid(X, [3, 4], method, n_jobs=2, **kw)
    cols = [c for c in one.grid.columns if c != "seconds_per_fit"]
    pd.testing.assert_frame_equal(one.grid[cols], two.grid[cols])
    for k in (3, 4):
        assert np.array_equal(one.reported(k)[0].topic_word, two.reported(k)[0].topic_word)
    assert one.grid["n_fits"].tolist() == [3, 3] and len(one.fits) == 6
    assert set(one.fits["role"]) == {"stability", "held-out"}


def test_fixed_k_joins_the_grid_and_a_k_too_large_is_an_error():
    X, _, _ = planted(n_docs=60)
    sel = topics_grid(X, [2], "nmf", seeds=[1, 2], k_fixed=3, n_jobs=1)
    assert sel.grid["k"].tolist() == [2, 3]
    # Review finding: a grid value the corpus cannot take vanished without a word.
    sel = topics_grid(X[:20], [2, 3, 50], "nmf", seeds=[1, 2], n_jobs=1)
    assert sel.skipped == [50] and sel.grid["k"].tolist() == [2, 3]
    choice = k_choose(sel.grid, skipped=sel.skipped, k_max=sel.k_max)
    assert any("k = 50 of `k_grid` left out" in w for w in choice.warnings)
    if choice.k == 3:  # at the upper edge: the advice is not "widen the grid"
        assert "do not fit this corpus" in choice.warnings[-1]
    with pytest.raises(OrdbrukError, match="does not fit"):
        topics_grid(X, [2], "nmf", seeds=[1, 2], k_fixed=500, n_jobs=1)


def test_reported_run_is_the_medoid():
    # Word sets A = {0,1,2}, B = {3,4,5}, C = {6,7,8}, D = {9,10,11}. Run a = {A, B},
    # b = {A, C}, c = {D, C}: a-b share A (0.5), b-c share C (0.5), a-c nothing (0), so b
    # agrees most with the others (mean 0.5 against 0.25).
    def run(*sets):
        tw = np.zeros((2, 12))
        for t, s in enumerate(sets):
            tw[t, 3 * s : 3 * s + 3] = [5, 4, 3]
        return _M(tw)

    runs = [run(0, 1), run(3, 2), run(0, 2)]
    assert runs_reference(runs, n_top=3) == 2
    st = topics_stability(runs, n_top=3, ref=2)
    assert st["stability_jaccard"].tolist() == pytest.approx([0.5, 0.5])


def test_convergence_is_recorded_and_said():
    X, _, _ = planted(n_docs=60)
    capped = topics_fit(X, 3, "nmf", seed=1, max_iter=2)
    assert capped.n_iter == 2 and capped.converged is False and capped.seconds > 0
    done = topics_fit(X, 3, "lda", seed=1, max_iter=200, evaluate_every=5)
    assert done.converged is True and done.n_iter < 200 and done.n_iter % 5 == 0
    unchecked = topics_fit(X, 3, "lda", seed=1, max_iter=3)
    assert unchecked.converged is None and unchecked.n_iter == 3
    fits = pd.DataFrame({"n_iter": [2, 40], "max_iter": [2, 200], "converged": [False, True],
                         "seconds": [0.1, 0.3]})  # fmt: skip
    text = convergence_sentence(fits, "nmf", {"nmf_tol": 1e-4})
    assert text.startswith("1 of 2 fits converged") and "1 fits stopped at the cap" in text
    lda = convergence_sentence(fits.assign(converged=None), "lda", {"evaluate_every": 0})
    assert lda.startswith("Convergence was not checked")


def test_method_auto_follows_the_modelled_size():
    X, _, _ = planted(n_docs=60)
    small = Features(X=X, terms=[], unit="document", unit_index=np.arange(60),
                     unit_doc=np.arange(60), n_units_total=60)  # fmt: skip
    assert method_resolve("auto", small)[0] == "lda"
    big = Features(X=X * 1000, terms=[], unit="document", unit_index=np.arange(60),
                   unit_doc=np.arange(60), n_units_total=60)  # fmt: skip
    assert method_resolve("auto", big)[0] == "nmf"
    assert method_resolve("lda", big)[0] == "lda"
    with pytest.raises(OrdbrukError):
        method_resolve("plsa", small)


# --- issue 14: a corpus above fit_max_units is fitted on a sample -------------------------


@pytest.fixture(scope="module")
def sampled():
    X, _, phi = planted(n_docs=5000, seed=3)
    kw = {"seeds": [1, 2], "seed": 1, "test_share": 0.2, "n_jobs": 1, "max_iter": 300}
    return X, phi, topics_grid(X, [4], "nmf", fit_max_units=600, **kw)


def test_above_fit_max_units_the_grid_is_fitted_on_a_seeded_sample(sampled):
    X, phi, sel = sampled
    assert sel.n_units == 5000 and len(sel.sample) == 600
    assert np.array_equal(sel.sample, units_sample(5000, 600, 1))  # the study seed's draw
    assert np.all(np.diff(sel.sample) > 0)
    g = sel.grid.iloc[0]
    assert g["n_train_units"] + g["n_test_units"] == 600
    assert set(sel.fits["n_units"]) == {480, 600}
    model, _ = sel.reported(4)
    # Every unit has shares, inferred from the model fitted on the sample.
    assert model.doc_topic.shape == (5000, 4)
    np.testing.assert_allclose(model.doc_topic.sum(axis=1), 1.0)
    assert np.array_equal(model.doc_topic, shares_infer(model, X))
    # The sample finds the planted topics.
    _, matched = topics_match(
        top_sets_jaccard(top_ids_from_weights(phi, 10), top_ids_from_weights(model.topic_word, 10))
    )
    assert matched.min() >= 0.8
    # Below the limit (or 0) nothing is sampled.
    small = topics_grid(X[:300], [4], "nmf", seeds=[1, 2], n_jobs=1, fit_max_units=600)
    assert small.sample is None and small.n_units == 300


def test_shares_of_a_sampled_fit_are_the_same_on_every_engine(sampled):
    X, _, sel = sampled
    model, _ = sel.reported(4)
    assert X.shape[0] > SHARES_CHUNK  # more than one run of units
    serial = shares_infer(model, X, "serial")
    assert np.array_equal(serial, shares_infer(model, X, "local:2"))
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        assert np.array_equal(serial, shares_infer(model, X, cluster.scheduler_address))


def test_units_sample_is_sorted_without_repeats_and_whole_below_the_size():
    s = units_sample(100, 30, 7)
    assert len(s) == len(set(s.tolist())) == 30 and np.all(np.diff(s) > 0)
    assert np.array_equal(units_sample(100, 30, 7), s)
    assert np.array_equal(units_sample(10, 30, 7), np.arange(10))


@pytest.mark.parametrize("value", [1, 150, 2.5, True])
def test_a_sample_too_small_to_model_names_fit_max_units(value):
    X, _, _ = planted(n_docs=400)
    with pytest.raises(ParameterError, match="fit_max_units"):
        topics_grid(X, [4], "nmf", seeds=[1, 2], n_jobs=1, fit_max_units=value)


def test_shares_of_a_matrix_of_other_terms_is_an_error(sampled):
    X, _, sel = sampled
    model, _ = sel.reported(4)
    with pytest.raises(ParameterError, match="terms"):
        shares_infer(model, X[:, :5])
