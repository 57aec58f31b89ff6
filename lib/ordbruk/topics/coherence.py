"""Topic coherence: NPMI (Bouma 2009; c_npmi of Röder et al. 2015) and UMass (Mimno et al. 2011).

Both measures score a topic by how often its top words occur together in the modelled
corpus. Co-occurrence is counted per modelling unit (document or paragraph): a word
"occurs" in a unit when its count there is above zero. Everything is computed from one
sparse product of the binary unit-term matrix restricted to the topics' top words, so
scoring a whole grid of models costs a few milliseconds.

Definitions (METHODS.md, "Topic models"), with ``D`` units, ``D(w)`` the units containing
w and ``D(wi, wj)`` the units containing both:

- NPMI for a pair: ``ln((P(wi, wj) + eps) / (P(wi) P(wj))) / -ln(P(wi, wj) + eps)`` with
  ``P(w) = D(w) / D``; ``eps`` (default 1e-12, as in Röder et al.'s Palmetto and gensim)
  keeps a pair that never co-occurs finite (close to -1). A pair that co-occurs in every
  unit has ``0 / 0``; it takes its limit, 1. A topic's NPMI is the mean over its
  ``N (N - 1) / 2`` pairs.
- UMass for a pair ordered by rank (``wi`` ranked above ``wj``):
  ``ln((D(wi, wj) + 1) / D(wi))``, the +1 of Mimno et al. A topic's UMass is the mean over
  pairs (Mimno et al. sum; the mean makes values comparable across N). Values are <= ~0;
  closer to 0 is more coherent.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ordbruk.errors import ParameterError

NPMI_EPSILON = 1e-12


def _cooccurrence(X, top_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Return (pair counts K x N x N, unit frequency K x N, number of units)."""
    top_ids = np.asarray(top_ids, dtype=np.int64)
    if top_ids.ndim != 2 or top_ids.shape[1] < 2:
        raise ParameterError(
            "coherence: top_ids must be a (topics x N) array with N >= 2 top words per topic"
        )
    X = sp.csc_matrix(X)
    if top_ids.size and (top_ids.min() < 0 or top_ids.max() >= X.shape[1]):
        raise ParameterError(
            f"coherence: a top word id is outside the matrix's {X.shape[1]} columns"
        )
    uniq, pos = np.unique(top_ids, return_inverse=True)
    pos = pos.reshape(top_ids.shape)
    # Binary occurrence: co-occurrence counts units, not tokens.
    B = (X[:, uniq] > 0).astype(np.float64)
    co = np.asarray((B.T @ B).todense())
    pair = co[pos[:, :, None], pos[:, None, :]]
    freq = np.diagonal(co)[pos]
    return pair, freq, X.shape[0]


def coherence_npmi(X, top_ids, epsilon: float = NPMI_EPSILON) -> np.ndarray:
    """Return the NPMI coherence of each topic, from unit co-occurrence in ``X``.

    Args:
        X: unit-term count matrix (scipy.sparse or dense), the modelled corpus.
        top_ids: (topics x N) column indices of each topic's top words, best first.
        epsilon: added to the joint probability against log 0.

    Returns:
        Array of length topics: mean NPMI over the topic's word pairs, in [-1, 1].
        A pair containing a word that occurs in no unit scores -1 (it never co-occurs).
    """
    pair, freq, n_units = _cooccurrence(X, top_ids)
    if n_units == 0:
        raise ParameterError("coherence: the matrix has no units (rows)")
    p_joint = pair / n_units
    p_word = freq / n_units
    p_prod = p_word[:, :, None] * p_word[:, None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log((p_joint + epsilon) / p_prod)
        npmi = pmi / -np.log(p_joint + epsilon)
    # Limits and undefined cases, by convention (Bouma 2009: complete co-occurrence = 1).
    npmi = np.where(p_joint >= 1.0, 1.0, npmi)
    npmi = np.where(p_prod == 0, -1.0, npmi)
    n = pair.shape[1]
    iu = np.triu_indices(n, k=1)
    return npmi[:, iu[0], iu[1]].mean(axis=1)


def coherence_umass(X, top_ids) -> np.ndarray:
    """Return the UMass coherence of each topic (mean over rank-ordered pairs).

    Args:
        X: unit-term count matrix (scipy.sparse or dense), the modelled corpus.
        top_ids: (topics x N) column indices of each topic's top words, best first.

    Returns:
        Array of length topics: mean of ``ln((D(wi, wj) + 1) / D(wi))`` over pairs with wi
        ranked above wj. A pair whose higher-ranked word occurs in no unit is skipped.
    """
    pair, freq, _ = _cooccurrence(X, top_ids)
    n = pair.shape[1]
    iu = np.triu_indices(n, k=1)
    # iu[0] < iu[1]: the row word is the higher-ranked one, the conditioning word.
    joint = pair[:, iu[0], iu[1]]
    cond = freq[:, iu[0]]
    with np.errstate(divide="ignore", invalid="ignore"):
        vals = np.log((joint + 1.0) / cond)
    vals = np.where(cond > 0, vals, np.nan)
    out = np.full(vals.shape[0], np.nan)
    ok = np.isfinite(vals).any(axis=1)
    out[ok] = np.nanmean(vals[ok], axis=1)
    return out


def top_ids_from_weights(weights: np.ndarray, n_top: int = 10) -> np.ndarray:
    """Return each topic's ``n_top`` highest-weighted column indices, best first.

    Ties are broken by column index (stable sort), so the result is deterministic.

    Args:
        weights: (topics x terms) topic-word weights.
        n_top: number of top words per topic (capped at the number of terms).

    Returns:
        (topics x min(n_top, terms)) int64 array.
    """
    weights = np.asarray(weights)
    n_top = min(int(n_top), weights.shape[1])
    order = np.argsort(-weights, axis=1, kind="stable")
    return order[:, :n_top].astype(np.int64)
