"""Actors: the key that counts them, the seeding policy, and THE bootstrap over actors.

Documents from one actor are not independent (one agency's press releases share a
template and an agenda), so every interval in ordbruk resamples actors, not documents
(METHODS.md): within a group, draw as many actors as it has, with replacement, take all
their documents, recompute the statistic; repeat ``n_boot`` times; report the percentile
interval. Keyness (``ordbruk.rhetoric.keyness.actors_bootstrap``), rhetorical markers
(``ordbruk.rhetoric.markers.markers_by_group``) and topic prevalence
(``ordbruk.topics.prevalence.topics_prevalence``) all use the functions here:

- ``actors_key``: who counts as an actor (a document without one is an actor of its own).
- ``rng_make``: the seeding policy.
- ``actors_sum``: per-actor sums of document values, NaN-aware.
- ``actors_bootstrap``: replicates of a ratio of per-actor sums under resampling.
- ``interval_percentile``: the NaN-aware percentile interval of the replicates.
- ``actors_mean``: a mean of document values with its interval, built from the three.

A replicate is a multiset of actors, so it is fully described by how many times each
actor was drawn (multinomial weights): the statistic of a replicate is
``(weights @ numerators) / (weights @ denominators)``, computed for all replicates at once.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import sparse

from ordbruk.errors import ParameterError


def actors_key(actors, doc_ids=None) -> np.ndarray:
    """Return each document's actor for counting and resampling actors.

    A document without an actor counts as an actor of its own ("doc:<doc_id>", or its
    position when no ids are given), so that unattributed documents are never pooled
    into one prolific "actor". Every analysis that counts or resamples actors uses this.

    Args:
        actors: the actor of each row (str; "" or NaN where unknown).
        doc_ids: the document id of each row, when rows are not one per document.

    Returns:
        An object array of actor keys.
    """
    actors = pd.Series(actors).astype("string").fillna("").str.strip().to_numpy(dtype=object)
    ids = range(len(actors)) if doc_ids is None else list(doc_ids)
    return np.asarray(
        [a if a else f"doc:{d}" for a, d in zip(actors, ids, strict=True)], dtype=object
    )


def rng_make(seed: int) -> np.random.Generator:
    """Return the Generator of one result: the seeding policy of every random step.

    One Generator per result table (keyness_actors, rhetoric_markers, topic_prevalence,
    the KWIC sample, the held-out split of the topic grid), made from the study seed and
    drawn from in the table's row order: comparisons in order, side a before side b;
    groups in order. The numbers are therefore reproducible from the seed and the inputs
    alone. The price: adding a group changes the draws of the groups after it (no
    separate sub-stream per group is kept, because the pinned keyness and marker numbers
    were made this way). Topic-model fits take integer seeds (scikit-learn's
    ``random_state``) from ``ordbruk.topics.select.seeds_derive`` instead.

    Args:
        seed: the study seed (params ``seed``).

    Returns:
        ``numpy.random.default_rng(seed)`` (PCG64).
    """
    return np.random.default_rng(seed)


def actors_sum(actors, values) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sum document values per actor, leaving out NaN values.

    Args:
        actors: actor of each document (from ``actors_key``).
        values: documents x columns (dense, or scipy sparse counts), or one value per
            document.

    Returns:
        ``(names, sums, counts)``: the actors sorted, their sums (actors x columns, or one
        per actor for 1-D input), and how many documents with a value each sum holds.
    """
    names, idx = np.unique(np.asarray(actors, dtype=object), return_inverse=True)
    if sparse.issparse(values):
        # Counts have no NaN: an actors x documents indicator times the counts.
        ind = sparse.csr_matrix(
            (np.ones(idx.size), (idx, np.arange(idx.size))), shape=(names.size, idx.size)
        )
        sums = np.asarray((ind @ values).todense())
        docs = np.bincount(idx, minlength=names.size).astype(float)
        return names, sums, np.repeat(docs[:, None], sums.shape[1], axis=1)
    v = np.asarray(values, dtype=float)
    ok = ~np.isnan(v)
    sums = np.zeros((names.size, *v.shape[1:]))
    counts = np.zeros((names.size, *v.shape[1:]))
    np.add.at(sums, idx, np.where(ok, v, 0.0))
    np.add.at(counts, idx, ok.astype(float))
    return names, sums, counts


def actors_bootstrap(rng: np.random.Generator, num, den, n_boot: int) -> np.ndarray:
    """Return bootstrap replicates of ``sum(num) / sum(den)`` over resampled actors.

    Each replicate draws as many actors as there are, with replacement, all equally
    likely (``rng.multinomial``, one call per use, so the Generator advances by one
    block of ``n_boot`` draws).

    Args:
        rng: from ``rng_make``.
        num: per-actor numerators, actors x columns.
        den: per-actor denominators, actors x columns, or one per actor (shared by
            every column).
        n_boot: replicates.

    Returns:
        ``n_boot`` x columns; NaN (or inf) where a replicate's denominator is 0.
    """
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    k = num.shape[0]
    w = rng.multinomial(k, np.full(k, 1.0 / k), size=n_boot).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        bottom = w @ den
        return (w @ num) / (bottom[:, None] if bottom.ndim == 1 else bottom)


def interval_percentile(boot: np.ndarray, ci_level: float) -> tuple[np.ndarray, np.ndarray]:
    """Return the percentile interval of bootstrap replicates, ignoring NaN replicates.

    Args:
        boot: replicates x columns.
        ci_level: coverage, in (0, 1).

    Returns:
        ``(low, high)`` per column; NaN where a column has no finite replicate (or there
        are no replicates).
    """
    if not 0 < ci_level < 1:
        raise ParameterError(f"ci_level must be in (0, 1), got {ci_level}")
    boot = np.asarray(boot, dtype=float)
    if boot.shape[0] == 0:
        nan = np.full(boot.shape[1:], np.nan)
        return nan, nan.copy()
    q = [(1 - ci_level) / 2 * 100, (1 + ci_level) / 2 * 100]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN column gives NaN
        lo, hi = np.nanpercentile(boot, q, axis=0)
    return lo, hi


def actors_mean(
    values, actors, rng: np.random.Generator, n_boot: int = 1000, ci_level: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Mean of document values with a percentile bootstrap interval over actors.

    Each document counts once; a NaN value leaves its document out of that column
    (the mean and every replicate are over the documents with a value). A group of one
    actor gets no interval (NaN): resampling one actor always returns it, which says
    nothing about variation between actors. Its replicates are still drawn, so the
    Generator advances as for any other group and later groups' numbers do not depend on it.

    Args:
        values: documents x columns of one group.
        actors: actor of each document (from ``actors_key``).
        rng: from ``rng_make``.
        n_boot: replicates.
        ci_level: coverage of the interval.

    Returns:
        ``(mean, ci_low, ci_high, n_values)`` per column, ``n_values`` being the
        documents with a value.
    """
    _, sums, counts = actors_sum(actors, np.asarray(values, dtype=float))
    boot = actors_bootstrap(rng, sums, counts, n_boot)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = sums.sum(0) / counts.sum(0)
    lo, hi = interval_percentile(boot, ci_level)
    if sums.shape[0] < 2:
        lo, hi = np.full_like(lo, np.nan), np.full_like(hi, np.nan)
    return mean, lo, hi, counts.sum(0)
