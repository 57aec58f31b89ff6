"""Family rates compared like with like: by genre, with actor intervals, and adjusted ratios.

A rate per group pooled over genres answers "how often does this group's text use the
word", which on a corpus of mixed genres is mostly "which genres does this group write".
These tables put the comparison inside each stratum (genre) and in one model:

- ``rates_by_stratum``: uses, tokens and the rate per 10,000 tokens of each family by group
  and stratum, with a percentile interval from the one bootstrap over actors
  (``stats.actors``); a cell resting on one actor gets no interval.
- ``family_rate_ratios``: each group against a reference group, pooled and adjusted for
  stratum and period (``stats.rates.rate_ratios``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ordbruk.stats.actors import (
    actors_bootstrap,
    actors_key,
    actors_sum,
    interval_percentile,
    rng_make,
)
from ordbruk.stats.groups import labels_get
from ordbruk.stats.rates import rate_ratios

ALL = "(all)"


def counts_wide(doc_counts: pd.DataFrame, meta: pd.DataFrame, families: list[str]) -> pd.DataFrame:
    """Return uses per document (rows in ``meta`` order), one column per family.

    Args:
        doc_counts: ``terms_count(..., unit="document")``: doc_id, family, count.
        meta: the corpus metadata (``doc_id``).
        families: the family names, in column order.
    """
    wide = doc_counts.pivot_table(index="doc_id", columns="family", values="count", aggfunc="sum")
    return wide.reindex(index=meta["doc_id"], columns=families).fillna(0).reset_index(drop=True)


def rates_by_stratum(
    doc_counts: pd.DataFrame,
    meta: pd.DataFrame,
    families: list[str],
    group_by: str,
    strata: str = "",
    n_boot: int = 1000,
    seed: int = 0,
    ci_level: float = 0.95,
) -> pd.DataFrame:
    """Rate of each family by group and stratum, with an actor-bootstrap interval.

    Args:
        doc_counts: ``terms_count(..., unit="document")``.
        meta: the corpus metadata (``n_tokens``, ``actor``, ``doc_id``, the columns named).
        families: the family names.
        group_by: the grouping column.
        strata: the stratum column; "" gives only the ``(all)`` rows.
        n_boot: bootstrap replicates (0: no intervals).
        seed: seeds one Generator for the table (``rng_make``), drawn in table order.
        ci_level: coverage of the intervals.

    Returns:
        Columns family, group, stratum, freq_per_10k, ci_low, ci_high (empty when the cell
        rests on one actor), n_docs, n_actors, uses, n_tokens, in group, stratum order;
        the stratum ``(all)`` is the group pooled over strata (with its interval too).
    """
    wide = counts_wide(doc_counts, meta, families).to_numpy(dtype=float)
    groups = labels_get(meta, group_by)
    strat = labels_get(meta, strata, "strata") if strata else np.full(len(meta), ALL, object)
    actors = actors_key(meta["actor"], meta["doc_id"])
    tokens = meta["n_tokens"].to_numpy(dtype=float)
    rng = rng_make(seed)
    rows = []
    cells = pd.DataFrame({"g": groups, "s": strat}).query("g != ''").drop_duplicates()
    cells = set(cells.itertuples(index=False, name=None)) | {(g, ALL) for g in cells["g"]}
    for g, s in sorted(cells):
        sel = (groups == g) & ((strat == s) | (s == ALL))
        names, num, _ = actors_sum(actors[sel], wide[sel])
        _, den, _ = actors_sum(actors[sel], tokens[sel])
        lo = hi = np.full(len(families), np.nan)
        if n_boot and len(names) >= 2:
            lo, hi = interval_percentile(actors_bootstrap(rng, num, den, n_boot), ci_level)
        uses = wide[sel].sum(axis=0)
        n_tok = tokens[sel].sum()
        for j, fam in enumerate(families):
            rate = uses[j] / n_tok * 1e4 if n_tok else np.nan
            rows.append([fam, g, s, rate, lo[j] * 1e4, hi[j] * 1e4, int(sel.sum()), len(names),
                         int(uses[j]), int(n_tok)])  # fmt: skip
    cols = ["family", "group", "stratum", "freq_per_10k", "ci_low", "ci_high", "n_docs",
            "n_actors", "uses", "n_tokens"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols).sort_values(
        ["family", "group", "stratum"], kind="stable"
    )


def family_rate_ratios(
    doc_counts: pd.DataFrame,
    meta: pd.DataFrame,
    families: list[str],
    group_by: str,
    strata: str = "",
    reference: str | None = None,
) -> pd.DataFrame:
    """Pooled and adjusted rate ratios of each family, each group against ``reference``.

    See ``stats.rates.rate_ratios``; actors follow ``actors_key`` (a document without an
    actor is its own actor). The column ``term`` is named ``family`` here.
    """
    wide = counts_wide(doc_counts, meta, families)
    actors = actors_key(meta["actor"], meta["doc_id"])
    out = rate_ratios(wide, meta, group_by, strata, reference, actors)
    return out.rename(columns={"term": "family"})
