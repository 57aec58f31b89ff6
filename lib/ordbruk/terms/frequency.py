"""Term frequencies: counts per document or paragraph, group totals and dispersion.

Works on the hits of ``ordbruk.terms.locate.terms_locate`` (one row per use or masked mention of
a term family). ``terms_count`` gives one row per unit and family, zeros included, with
uses, masked mentions and the frequency per 10,000 tokens; ``terms_aggregate`` sums the
per-document counts by metadata groups and sets beside each figure how many documents and
actors it rests on and how evenly it is spread (Gries' DP over documents and over actors,
METHODS.md); ``terms_forms`` lists the forms that matched, for auditing a family.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ordbruk.errors import ParameterError
from ordbruk.stats.actors import actors_key
from ordbruk.terms.families import ADMITTED_BY


def dispersion_dp(counts, sizes) -> float:
    """Gries' DP (deviation of proportions, Gries 2008) of one term over corpus parts.

    Args:
        counts: the term's count in each part (documents, actors).
        sizes: each part's size in tokens.

    Returns:
        ``0.5 * sum(|count_i / total_count - size_i / total_size|)``: 0 evenly spread,
        near 1 concentrated in one part; NaN when the term or the corpus is absent.
    """
    c = np.asarray(counts, dtype=float)
    s = np.asarray(sizes, dtype=float)
    if c.sum() <= 0 or s.sum() <= 0:
        return float("nan")
    return float(0.5 * np.abs(c / c.sum() - s / s.sum()).sum())


def terms_count(corpus, hits: pd.DataFrame, families: list[str], unit: str = "document"):
    """Count uses and masked mentions of each family per document or paragraph.

    Args:
        corpus: the corpus the hits come from.
        hits: ``terms_locate`` hits.
        families: family names (every unit gets a row per family, zeros included).
        unit: "document" or "paragraph".

    Returns:
        One row per unit and family: doc_id, (unit_index: paragraph number within the
        document, for paragraphs), family, count, masked_count, n_tokens (all tokens of
        the unit: words and numbers), freq_per_10k (count per 10,000 tokens).
    """
    if unit not in ("document", "paragraph"):
        raise ParameterError(f"unit={unit!r}: use 'document' or 'paragraph'")
    starts, unit_doc = corpus.units(unit)
    n_units = len(starts) - 1
    u = np.searchsorted(starts, hits["start"].to_numpy(dtype=np.int64), "right") - 1
    fam_code = pd.Categorical(hits["family"], categories=list(families)).codes
    masked = hits["masked"].to_numpy(dtype=bool)
    shape = (len(families), n_units)
    counts = np.zeros(shape, dtype=np.int64)
    masked_counts = np.zeros(shape, dtype=np.int64)
    ok = fam_code >= 0
    np.add.at(counts, (fam_code[ok & ~masked], u[ok & ~masked]), 1)
    np.add.at(masked_counts, (fam_code[ok & masked], u[ok & masked]), 1)
    n_tok = np.diff(starts)
    doc_ids = corpus.meta["doc_id"].to_numpy()[unit_doc]
    out = pd.DataFrame(
        {
            "doc_id": np.tile(doc_ids, len(families)),
            "family": np.repeat(list(families), n_units),
            "count": counts.ravel(),
            "masked_count": masked_counts.ravel(),
            "n_tokens": np.tile(n_tok, len(families)),
        }
    )
    if unit == "paragraph":
        first = np.searchsorted(unit_doc, unit_doc, "left")
        out.insert(1, "unit_index", np.tile(np.arange(n_units) - first, len(families)))
    with np.errstate(divide="ignore", invalid="ignore"):
        out["freq_per_10k"] = np.where(
            out["n_tokens"] > 0, 1e4 * out["count"] / out["n_tokens"], 0.0
        )
    return out


def terms_aggregate(
    counts: pd.DataFrame, meta: pd.DataFrame, group_by: str | list[str] | None = None
) -> pd.DataFrame:
    """Aggregate per-document counts by groups, with spread and dispersion beside them.

    Args:
        counts: ``terms_count`` rows per document.
        meta: ``corpus.meta`` (doc_id, actor and the ``group_by`` columns).
        group_by: grouping column(s), e.g. "actor_level" or ["year", "actor_level"]; None: all.

    Returns:
        One row per group and family: count, masked_count, n_tokens, freq_per_10k,
        n_docs, n_docs_with_term, n_actors, n_actors_with_term, dp_docs (Gries' DP over
        the group's documents, sizes in tokens) and dp_actors (over its actors). Grouped
        by ``actor``, the actors with the most documents (then tokens) come first.
    """
    keys = [group_by] if isinstance(group_by, str) else list(group_by or [])
    cols = list(dict.fromkeys(["doc_id", "actor", *keys]))
    df = counts.merge(meta[cols], on="doc_id", how="left", validate="many_to_one")
    df["actor"] = actors_key(df["actor"], df["doc_id"])
    g = [*keys, "family"]

    def dp(frame: pd.DataFrame, part_keys: list[str]) -> pd.Series:
        part_keys = list(dict.fromkeys(part_keys))
        parts = frame.groupby(part_keys, dropna=False, sort=False)[["count", "n_tokens"]].sum()
        parts = parts.reset_index()
        tot = parts.groupby(g, dropna=False, sort=False)[["count", "n_tokens"]].transform("sum")
        with np.errstate(divide="ignore", invalid="ignore"):
            dev = (parts["count"] / tot["count"] - parts["n_tokens"] / tot["n_tokens"]).abs()
        parts["_dev"] = dev
        res = 0.5 * parts.groupby(g, dropna=False, sort=False)["_dev"].sum(min_count=1)
        zero = parts.groupby(g, dropna=False, sort=False)["count"].sum() == 0
        return res.mask(zero)

    df["_with"] = df["count"] > 0
    out = df.groupby(g, dropna=False, sort=True).agg(
        count=("count", "sum"),
        masked_count=("masked_count", "sum"),
        n_tokens=("n_tokens", "sum"),
        n_docs=("doc_id", "nunique"),
        n_docs_with_term=("_with", "sum"),
        n_actors=("actor", "nunique"),
    )
    actors_with = df[df["_with"]].groupby(g, dropna=False)["actor"].nunique()
    out["n_actors_with_term"] = actors_with.reindex(out.index).fillna(0).astype(int)
    out["dp_docs"] = dp(df, [*g, "doc_id"]).reindex(out.index)
    out["dp_actors"] = dp(df, [*g, "actor"]).reindex(out.index)
    with np.errstate(divide="ignore", invalid="ignore"):
        out.insert(
            3,
            "freq_per_10k",
            np.where(out["n_tokens"] > 0, 1e4 * out["count"] / out["n_tokens"], np.nan),
        )
    out = out.reset_index()
    if (
        "actor" in keys
    ):  # per actor: the largest actors first, not A-Z (stable: families keep order)
        out = out.sort_values(["n_docs", "n_tokens"], ascending=False, kind="stable")
    return out.reset_index(drop=True)


def terms_forms(hits: pd.DataFrame) -> pd.DataFrame:
    """List the word forms (and phrases) that matched each family, for auditing.

    Args:
        hits: ``terms_locate`` hits.

    Returns:
        family, form, rule, admitted_by (``families.ADMITTED_BY``: form, include, stem,
        lemma, compound or phrase), count (uses), masked_count, n_docs (documents with a
        use), sorted by family and descending count.
    """
    h = hits.assign(use=~hits["masked"], m=hits["masked"])
    out = h.groupby(["family", "form", "rule"], sort=False).agg(
        count=("use", "sum"), masked_count=("m", "sum")
    )
    docs = h[h["use"]].groupby(["family", "form", "rule"], sort=False)["doc"].nunique()
    out["n_docs"] = docs.reindex(out.index).fillna(0).astype(int)
    out = out.reset_index()
    out.insert(3, "admitted_by", out["rule"].map(ADMITTED_BY).fillna(out["rule"]))
    out = out.sort_values(["family", "count", "form"], ascending=[True, False, True])
    return out.reset_index(drop=True)
