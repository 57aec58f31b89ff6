"""Topic prevalence by group (actor level, year) with bootstrap intervals over actors.

The prevalence of a topic in a group is the mean document-topic share over the group's
documents (each document counts once, whatever its length). Documents from one actor are
not independent (one agency's press releases share a template and an agenda), so the
confidence interval resamples actors, not documents (METHODS.md, "Prevalence by group"):
within the group, draw as many actors as it has, with replacement, take all their
documents, recompute the mean; repeat ``n_boot`` times; report the percentile interval.
With fewer than two actors in a group no interval is possible and it is left empty.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ordbruk.errors import ParameterError
from ordbruk.text.cache import actors_key


def prevalence_bootstrap(
    shares: np.ndarray, actors, n_boot: int = 1000, seed: int = 0, ci_level: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean share per topic with an actor-resampling percentile bootstrap interval.

    Args:
        shares: documents x topics shares of one group.
        actors: actor of each document (any hashable labels).
        n_boot: bootstrap replicates.
        seed: numpy Generator seed.
        ci_level: interval coverage.

    Returns:
        (mean, ci_low, ci_high), each of length topics; the interval is NaN when the
        group has fewer than two actors.
    """
    shares = np.asarray(shares, dtype=float)
    if shares.ndim != 2 or len(shares) == 0:
        raise ParameterError("prevalence: shares must be a non-empty documents x topics array")
    if not 0 < ci_level < 1:
        raise ParameterError(f"prevalence: ci_level must be in (0, 1), got {ci_level}")
    codes, uniq = pd.factorize(pd.Series(list(actors), dtype=object), sort=True)
    n_act = len(uniq)
    mean = shares.mean(axis=0)
    nan = np.full(shares.shape[1], np.nan)
    if n_act < 2 or n_boot < 1:
        return mean, nan, nan.copy()
    # Sum of shares and document count per actor; a replicate is a multiset of actors,
    # so its mean is (weights @ sums) / (weights @ counts) with weights = times drawn.
    sums = np.zeros((n_act, shares.shape[1]))
    np.add.at(sums, codes, shares)
    counts = np.bincount(codes, minlength=n_act).astype(float)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n_act, size=(n_boot, n_act))
    weights = np.zeros((n_boot, n_act))
    np.add.at(weights, (np.repeat(np.arange(n_boot), n_act), draws.ravel()), 1.0)
    boot = (weights @ sums) / (weights @ counts)[:, None]
    alpha = (1 - ci_level) / 2
    lo, hi = np.quantile(boot, [alpha, 1 - alpha], axis=0)
    return mean, lo, hi


def topics_prevalence(
    doc_shares: np.ndarray,
    meta: pd.DataFrame,
    group_by=("actor_level", "year"),
    labels=None,
    unstable=None,
    n_boot: int = 1000,
    seed: int = 0,
    ci_level: float = 0.95,
) -> pd.DataFrame:
    """Return prevalence of every topic in every group of each grouping column.

    Args:
        doc_shares: documents x topics (NaN rows = documents without modelled text, left out).
        meta: corpus metadata (RangeIndex aligned with doc_shares), with ``actor``.
        group_by: grouping columns; empty or missing values form no group.
        labels: topic labels.
        unstable: bool per topic (carried into the table so no row loses the flag).
        n_boot: bootstrap replicates per group.
        seed: the bootstrap seed (each group gets seed + its position, for independence).
        ci_level: interval coverage.

    Returns:
        DataFrame: grouping, group, topic, label, unstable, n_docs, n_actors, share_mean,
        ci_low, ci_high, n_boot.
    """
    k = doc_shares.shape[1]
    labels = list(labels) if labels is not None else [f"T{i + 1:02d}" for i in range(k)]
    unstable = np.zeros(k, bool) if unstable is None else np.asarray(unstable, bool)
    ok = ~np.isnan(doc_shares).any(axis=1)
    actor = actors_key(meta["actor"])  # one row per document
    rows = []
    g_no = 0
    for col in group_by:
        if col not in meta.columns:
            continue
        vals = meta[col]
        present = ok & vals.notna().to_numpy() & (vals.astype(str).str.strip() != "").to_numpy()
        for g in sorted(pd.unique(vals[present]), key=str):
            idx = np.flatnonzero(present & (vals == g).to_numpy())
            mean, lo, hi = prevalence_bootstrap(
                doc_shares[idx], actor[idx], n_boot, seed + g_no, ci_level
            )
            g_no += 1
            n_act = len(set(actor[idx]))
            for t in range(k):
                rows.append(
                    (
                        col,
                        str(g),
                        t + 1,
                        labels[t],
                        bool(unstable[t]),
                        len(idx),
                        n_act,
                        mean[t],
                        lo[t],
                        hi[t],
                        n_boot,
                    )
                )
    cols = [
        "grouping",
        "group",
        "topic",
        "label",
        "unstable",
        "n_docs",
        "n_actors",
        "share_mean",
        "ci_low",
        "ci_high",
        "n_boot",
    ]
    return pd.DataFrame(rows, columns=cols)
