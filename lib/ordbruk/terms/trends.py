"""Term frequency over time: per year and group, with the documents behind each point.

``terms_trend`` sums the per-document counts of ``frequency.terms_count`` by year and a
grouping column (``frequency.terms_aggregate``), leaves undated documents out and flags
a point resting on fewer than ``min_docs`` documents as ``sparse``, so a figure
(``plots.trends_plot``) can draw it apart from the points that carry a trend.
"""

from __future__ import annotations

import pandas as pd

from ordbruk.terms.frequency import terms_aggregate


def terms_trend(
    counts: pd.DataFrame, meta: pd.DataFrame, group_by: str = "actor_level", min_docs: int = 5
) -> pd.DataFrame:
    """Frequency per year and group, with the documents behind each point and a sparse flag.

    Args:
        counts: ``terms_count`` rows per document.
        meta: ``corpus.meta`` with ``year`` (undated documents are left out).
        group_by: the grouping column.
        min_docs: a point resting on fewer documents is flagged ``sparse``.

    Returns:
        ``terms_aggregate`` by year and ``group_by``, plus ``sparse``.
    """
    dated = meta[pd.to_numeric(meta["year"], errors="coerce").notna()].copy()
    dated["year"] = pd.to_numeric(dated["year"]).astype(int)
    c = counts[counts["doc_id"].isin(dated["doc_id"])]
    out = terms_aggregate(c, dated, ["year", group_by])
    out["sparse"] = out["n_docs"] < min_docs
    return out
