"""Topic prevalence by group (actor level, year) with bootstrap intervals over actors.

The prevalence of a topic in a group is the mean document-topic share over the group's
documents (each document counts once, whatever its length). Documents from one actor are
not independent (one agency's press releases share a template and an agenda), so the
confidence interval resamples actors, not documents (METHODS.md, "Prevalence by group"),
with the bootstrap every analysis shares (``ordbruk.stats.actors.actors_mean``): within
the group, draw as many actors as it has, with replacement, take all their documents,
recompute the mean; repeat ``n_boot`` times; report the percentile interval. One
Generator made from the seed serves every group in table order
(``ordbruk.stats.actors.rng_make``). A group of one actor has no interval (NaN).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ordbruk.errors import ParameterError
from ordbruk.stats import actors as sa
from ordbruk.stats.adjusted import means_adjusted
from ordbruk.stats.design import MIX_FAR, mix_compare
from ordbruk.topics.stability import stability_attach

COLUMNS = [
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
        seed: the study seed; one Generator for all groups, in table order.
        ci_level: interval coverage.

    Returns:
        DataFrame: grouping, group, topic, label, unstable, n_docs, n_actors, share_mean,
        ci_low, ci_high, n_boot.
    """
    doc_shares = np.asarray(doc_shares, dtype=float)
    if doc_shares.ndim != 2:
        raise ParameterError("prevalence: doc_shares must be a documents x topics array")
    k = doc_shares.shape[1]
    labels = list(labels) if labels is not None else [f"T{i + 1:02d}" for i in range(k)]
    unstable = np.zeros(k, bool) if unstable is None else np.asarray(unstable, bool)
    ok = ~np.isnan(doc_shares).any(axis=1)
    actor = sa.actors_key(meta["actor"])  # one row per document
    rng = sa.rng_make(seed)
    rows = []
    for col in group_by:
        if col not in meta.columns:
            continue
        vals = meta[col]
        present = ok & vals.notna().to_numpy() & (vals.astype(str).str.strip() != "").to_numpy()
        for g in sorted(pd.unique(vals[present]), key=str):
            idx = np.flatnonzero(present & (vals == g).to_numpy())
            mean, lo, hi, _ = sa.actors_mean(doc_shares[idx], actor[idx], rng, n_boot, ci_level)
            n_act = len(set(actor[idx]))
            for t in range(k):
                rows.append(
                    (col, str(g), t + 1, labels[t], bool(unstable[t]), len(idx), n_act)
                    + (mean[t], lo[t], hi[t], n_boot)
                )
    return pd.DataFrame(rows, columns=COLUMNS)


def prevalence_standardised(
    doc_shares: np.ndarray, meta: pd.DataFrame, strata: str, labels=None
) -> pd.DataFrame:
    """Mean topic share per year, raw and standardised to the corpus's genre mix.

    Direct standardisation over documents: within each year the mean share of each
    stratum (genre) is weighted by that stratum's share of the modelled dated documents, so a
    topic does not rise in a year only because that year holds more of the genre that
    carries it. Strata absent from a year are left out and the other weights rescaled
    (``coverage``); ``mix_distance`` is the total variation distance between the year's
    document mix and the corpus's, ``mix_far`` flags a distance >= ``MIX_FAR``.

    Args:
        doc_shares: documents x topics (NaN rows: no modelled unit, left out).
        meta: document metadata with ``year`` and the ``strata`` column.
        strata: the stratum column ("": nothing to standardise; the raw mean is repeated).
        labels: topic labels (default T01, T02, ...).

    Returns:
        year, topic, label, n_docs, share_mean, share_standardised, coverage,
        mix_distance, mix_far.
    """
    k = doc_shares.shape[1]
    labels = list(labels) if labels is not None else [f"T{t + 1:02d}" for t in range(k)]
    year = pd.to_numeric(meta["year"], errors="coerce").to_numpy(dtype=float)
    ok = ~np.isnan(doc_shares).any(axis=1) & ~np.isnan(year)
    s = meta[strata].astype("string").fillna("").to_numpy() if strata else np.full(len(meta), "")
    df = pd.DataFrame(doc_shares[ok], columns=range(k))
    df["year"], df["stratum"] = year[ok].astype(int), s[ok]
    weights = df["stratum"].value_counts(normalize=True)
    means = df.groupby(["year", "stratum"])[list(range(k))].mean()
    sizes = df.groupby(["year", "stratum"]).size()
    rows = []
    for y, n in df.groupby("year").size().items():
        mix = sizes.loc[y] / sizes.loc[y].sum()
        w, coverage, distance = mix_compare(mix, weights)
        raw = df.loc[df["year"] == y, list(range(k))].mean()
        std = means.loc[y].mul(w, axis=0).sum() / coverage
        for t in range(k):
            rows.append([y, t + 1, labels[t], int(n), float(raw[t]), float(std[t]),
                         coverage, distance, distance >= MIX_FAR])  # fmt: skip
    cols = ["year", "topic", "label", "n_docs", "share_mean", "share_standardised", "coverage",
            "mix_distance", "mix_far"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def prevalence_adjusted(doc_shares, meta, group_by: str, strata: str, stab):
    """Each topic's difference in mean share between groups, pooled and adjusted for genre.

    ``ordbruk.stats.adjusted.means_adjusted`` on the document-topic shares (documents
    without modelled text left out): OLS of a document's share on group + stratum +
    period, actor-clustered t intervals.

    Args:
        doc_shares: documents x topics.
        meta: document metadata.
        group_by: the grouping column.
        strata: the stratum column ("": period only).
        stab: the stability table with ``label`` (topic, label, stability_jaccard, unstable).

    Returns:
        topic, label, stability, unstable, then the columns of ``means_adjusted`` without
        ``outcome``, its ``mean_group`` and ``mean_reference`` named ``share_group`` and
        ``share_reference`` (shares 0-1; the differences are differences of shares).
    """
    k = doc_shares.shape[1]
    values = pd.DataFrame(doc_shares, columns=range(1, k + 1))
    out = means_adjusted(values, meta, group_by, strata).rename(
        # the means are shares: named so, the report shows them and their differences so
        columns={
            "outcome": "topic",
            "mean_group": "share_group",
            "mean_reference": "share_reference",
        }
    )
    out.insert(1, "label", out["topic"].map(dict(zip(stab["topic"], stab["label"], strict=True))))
    out.insert(
        2, "unstable", out["topic"].map(dict(zip(stab["topic"], stab["unstable"], strict=True)))
    )
    return stability_attach(out, stab)
