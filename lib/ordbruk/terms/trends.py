"""Term frequency over time: per year and group, with the documents behind each point.

``terms_trend`` sums the per-document counts of ``frequency.terms_count`` by year and a
grouping column (``frequency.terms_aggregate``), leaves undated documents out and flags
a point resting on fewer than ``min_docs`` documents as ``sparse``, so a figure
(``plots.trends_plot``) can draw it apart from the points that carry a trend.
"""

from __future__ import annotations

import pandas as pd

from ordbruk.stats.design import MIX_FAR, mix_compare
from ordbruk.stats.groups import labels_get
from ordbruk.terms.compare import ALL, rates_by_stratum
from ordbruk.terms.frequency import terms_aggregate


def terms_trend(
    counts: pd.DataFrame,
    meta: pd.DataFrame,
    group_by: str = "actor_level",
    min_docs: int = 5,
    n_boot: int = 0,
    seed: int = 0,
    ci_level: float = 0.95,
) -> pd.DataFrame:
    """Frequency per year and group, with the documents behind each point and a sparse flag.

    Args:
        counts: ``terms_count`` rows per document.
        meta: ``corpus.meta`` with ``year`` (undated documents are left out).
        group_by: the grouping column.
        min_docs: a point resting on fewer documents is flagged ``sparse``.
        n_boot: actor-bootstrap replicates of each point's rate (0: no interval); the
            interval is ``compare.rates_by_stratum``'s, with the year as the stratum, so a
            point resting on one actor has none.
        seed: seeds the bootstrap (one Generator for the table).
        ci_level: coverage of the intervals.

    Returns:
        ``terms_aggregate`` by year and ``group_by``, plus ``sparse`` (and ``ci_low``,
        ``ci_high`` per 10,000 tokens when ``n_boot``).
    """
    dated = meta[pd.to_numeric(meta["year"], errors="coerce").notna()].copy()
    dated["year"] = pd.to_numeric(dated["year"]).astype(int)
    c = counts[counts["doc_id"].isin(dated["doc_id"])]
    out = terms_aggregate(c, dated, ["year", group_by])
    out["sparse"] = out["n_docs"] < min_docs
    if n_boot and len(out):
        families = list(dict.fromkeys(c["family"]))
        r = rates_by_stratum(c, dated, families, group_by, "year", n_boot, seed, ci_level)
        r = r[r["stratum"] != ALL]  # the pooled rows are not a year
        r = r.assign(year=r["stratum"].astype(int)).rename(columns={"group": group_by})
        # labels_get made the group labels text: merge on a text copy, keep the column as is
        r = r.rename(columns={group_by: "_key"})[["year", "_key", "family", "ci_low", "ci_high"]]
        keyed = out.assign(_key=out[group_by].astype("string").fillna("").astype(str))
        out = keyed.merge(r, on=["year", "_key", "family"], how="left").drop(columns="_key")
    return out


def terms_trend_standardised(
    counts: pd.DataFrame,
    meta: pd.DataFrame,
    families: list[str],
    group_by: str = "actor_level",
    strata: str = "",
) -> pd.DataFrame:
    """Frequency per year and group standardised to the corpus's genre mix.

    Direct standardisation: within each year and group, the rate of each stratum (genre)
    is weighted by that stratum's share of all tokens of the dated documents analysed, so a year
    that happens to hold more of a wordy genre does not rise for that reason alone. Strata
    absent from a year and group are left out and the weights of the others rescaled;
    ``coverage`` is the share of the corpus mix that remained. ``mix_distance`` is the total
    variation distance between the year and group's token mix and the corpus's (0: the
    same mix, 1: no stratum in common); ``mix_far`` flags a distance >= ``MIX_FAR``, where
    even the standardised figure rests on genres the rest of the series hardly has.

    Args:
        counts: ``terms_count`` rows per document (doc_id, family, count).
        meta: ``corpus.meta`` with ``year``, ``n_tokens`` and the columns named.
        families: the family names.
        group_by: the grouping column.
        strata: the stratum column ("": nothing to standardise; the raw rate is repeated).

    Returns:
        year, group, family, n_docs, freq_per_10k (raw), freq_per_10k_standardised,
        coverage, mix_distance, mix_far.
    """
    dated = meta[pd.to_numeric(meta["year"], errors="coerce").notna()]
    s = dated[strata].astype("string").fillna("") if strata else pd.Series("", index=dated.index)
    base = pd.DataFrame(
        {
            "doc_id": dated["doc_id"].to_numpy(),
            "year": pd.to_numeric(dated["year"]).astype(int).to_numpy(),
            "group": labels_get(dated, group_by),
            "stratum": s.to_numpy(),
            "n_tokens": dated["n_tokens"].to_numpy(dtype=float),
        }
    )
    base = base[base["group"] != ""]
    weights = base.groupby("stratum")["n_tokens"].sum()
    weights = weights / weights.sum()
    c = counts[counts["family"].isin(families)][["doc_id", "family", "count"]]
    rows = []
    keys = ["year", "group", "stratum"]
    cell_tokens = base.groupby(keys)["n_tokens"].sum()
    cell_docs = base.groupby(["year", "group"])["doc_id"].size()
    uses = c.merge(base[["doc_id", *keys]], on="doc_id").groupby([*keys, "family"])["count"].sum()
    for (year, group), n_docs in cell_docs.items():
        tok = cell_tokens.loc[(year, group)]
        mix = tok / tok.sum()
        w, coverage, distance = mix_compare(mix, weights)
        for fam in families:
            u = pd.Series(
                [uses.get((year, group, st, fam), 0) for st in mix.index], index=mix.index
            )
            raw = u.sum() / tok.sum() * 1e4
            std = float((w * (u / tok)).sum() / coverage * 1e4) if coverage > 0 else float("nan")
            rows.append([year, group, fam, int(n_docs), raw, std, coverage, distance,
                         distance >= MIX_FAR])  # fmt: skip
    cols = ["year", "group", "family", "n_docs", "freq_per_10k", "freq_per_10k_standardised",
            "coverage", "mix_distance", "mix_far"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)
