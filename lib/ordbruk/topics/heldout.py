"""Held-out fit of a topic model by document completion.

The held-out score says how well a model fitted on some units predicts words of units it
has not seen. ordbruk uses **document completion** (Wallach, Murray, Salakhutdinov and
Mimno 2009, "Evaluation methods for topic models", section 5; the "estimated theta"
reading): every held-out unit's tokens are split at random into two halves; the unit's
topic shares are estimated on the first half with the fitted model (``TopicModel.shares_of``,
scikit-learn's ``transform``), and the second half is scored with

    log p(w | unit) = log sum_k theta_k phi_kw

where ``phi`` is the model's topic-word matrix (rows sum to 1). The per-word perplexity is
``exp(-sum(log p) / number of scored tokens)``: lower is better, and it falls or flattens
as k grows on data with that many themes. It replaces scikit-learn's
``LatentDirichletAllocation.perplexity``, whose variational bound carries the topic-word term
E_q[log p(beta) - log q(beta)], which does not depend on the held-out data and, divided by a
few held-out tokens, dominates the figure (it grows with k whatever the data say).

LDA's topic-word rows are the posterior means of the topic-word distributions (never zero).
NMF is not a probability model: its normalised factors are read as one, and because NMF
gives many terms exactly zero weight, each topic row is mixed with the training units'
term distribution (add-one smoothed) with weight ``NMF_SMOOTHING``, so that a word no
topic holds is improbable rather than impossible. The two methods' perplexities are
therefore not comparable with each other, only across k within one method.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ordbruk.errors import ParameterError
from ordbruk.stats.actors import rng_make

#: Weight of the training term distribution mixed into NMF topic rows for scoring.
NMF_SMOOTHING = 0.05


def completion_split(X, seed: int) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Split every unit's tokens at random into an estimation half and a scoring half.

    Each unit's tokens are put in a random order (one Generator from ``seed``, units in
    row order); the first ``n // 2`` estimate the topic shares, the rest are scored.

    Args:
        X: units x terms counts.
        seed: seed of the split.

    Returns:
        (estimation counts, scoring counts), both units x terms, summing to ``X``.
    """
    X = sp.csr_matrix(X)
    if X.nnz and (X.data < 0).any():
        raise ParameterError("completion_split: counts must be non-negative")
    rng = rng_make(seed)
    est_rows, est_cols = [], []
    counts = X.data.astype(np.int64)
    for i in range(X.shape[0]):
        lo, hi = X.indptr[i], X.indptr[i + 1]
        tokens = np.repeat(X.indices[lo:hi], counts[lo:hi])
        first = rng.permutation(tokens)[: len(tokens) // 2]
        est_rows.append(np.full(len(first), i))
        est_cols.append(first)
    rows = np.concatenate(est_rows) if est_rows else np.zeros(0, np.int64)
    cols = np.concatenate(est_cols) if est_cols else np.zeros(0, np.int64)
    est = sp.csr_matrix((np.ones(len(rows), np.int64), (rows, cols)), shape=X.shape)
    est.sum_duplicates()
    score = (X.astype(np.int64) - est).tocsr()
    score.eliminate_zeros()
    return est, score


def completion_loglik(theta: np.ndarray, phi: np.ndarray, X_score) -> tuple[float, int]:
    """Return (sum of log p(w | unit) over the scored tokens, number of scored tokens).

    Args:
        theta: units x k topic shares (rows sum to 1), estimated on the other half.
        phi: k x terms topic-word probabilities (rows sum to 1).
        X_score: units x terms counts to score.
    """
    S = sp.coo_matrix(X_score)
    if S.nnz == 0:
        return 0.0, 0
    p = np.einsum("nk,kn->n", theta[S.row], phi[:, S.col])
    if (p <= 0).any():
        raise ParameterError("completion_loglik: a scored word has probability 0 under the model")
    return float(np.sum(S.data * np.log(p))), int(S.data.sum())


def topic_word_scoring(model, X_train) -> np.ndarray:
    """Return the topic-word probabilities used for scoring (NMF rows smoothed, see above)."""
    phi = np.asarray(model.topic_word, dtype=float)
    if model.method != "nmf":
        return phi
    freq = np.asarray(sp.csr_matrix(X_train).sum(axis=0)).ravel() + 1.0
    return (1 - NMF_SMOOTHING) * phi + NMF_SMOOTHING * (freq / freq.sum())[None, :]


def perplexity_completion(model, X_train, X_test, seed: int) -> tuple[float, int, int]:
    """Per-word held-out perplexity of ``model`` on ``X_test`` by document completion.

    Args:
        model: a ``TopicModel`` fitted on ``X_train``.
        X_train: the training counts (for NMF's smoothing distribution).
        X_test: held-out units x terms counts (same columns).
        seed: seed of the half split.

    Returns:
        (perplexity, scored tokens, held-out units scored); units with fewer than two
        tokens cannot be split and are left out. NaN when nothing can be scored.
    """
    X_test = sp.csr_matrix(X_test)
    keep = np.flatnonzero(np.asarray(X_test.sum(axis=1)).ravel() >= 2)
    if len(keep) == 0:
        return float("nan"), 0, 0
    est, score = completion_split(X_test[keep], seed)
    theta = model.shares_of(est)
    ll, n = completion_loglik(theta, topic_word_scoring(model, X_train), score)
    return (float(np.exp(-ll / n)) if n else float("nan")), n, len(keep)
