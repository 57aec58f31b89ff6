"""Key results and the title of the term-frequency report, built from computed values.

The report opens with three to six sentences a reader needs first (``Recorder.summary_set``
puts them in the "Key results" box and on the index page): the most used families, the
largest difference between groups with its interval (or why there is none), and which
groups are descriptive only. Every number comes from the tables; corpus and parameter
strings are escaped for Markdown. The report's title names the families the study chose.
"""

from __future__ import annotations

import math

import pandas as pd

from ordbruk.escape import md_escape
from ordbruk.numbers import count_format, count_noun, interval_format, number_format
from ordbruk.stats.groups import adequacy_summary

#: Shown in a title when the study has more families than this.
TITLE_FAMILIES = 2


def terms_title(names: list[str], group_by: str) -> str:
    """Return the report's title, naming the study's families and grouping.

    Args:
        names: the family names in the order of the parameters.
        group_by: the grouping column.

    Returns:
        E.g. ``Term frequency: who says "samverkan", "segregation" and 8 more families,
        by actor_level, where and with what``.
    """
    shown = ", ".join(f'"{n}"' for n in names[:TITLE_FAMILIES]) or "no family"
    more = len(names) - TITLE_FAMILIES
    if more > 0:
        shown += f" and {more} more {'family' if more == 1 else 'families'}"
    return f"Term frequency: who says {shown}, by {group_by}, where and with what"


def _interval(low, high) -> str:
    return f"{number_format(low)} to {number_format(high)}"


def _has(x) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def ratio_sentence(ratios: pd.DataFrame, ci_pct: int, small=()) -> tuple[str, bool]:
    """Return the sentence on the largest rate ratio between groups with an interval.

    Adjusted ratios first (like with like), pooled ones when no adjusted ratio has an
    interval; the largest is the one farthest from 1 on the log scale. Groups that are
    descriptive only (``small``) are left out: their ratios are in the table, not here.

    Returns:
        The sentence (Markdown) and whether a ratio with an interval was found.
    """
    for kind, what in (("adjusted", "adjusted for "), ("pooled", "pooled")):
        cols = [f"ratio_{kind}", f"ci_low_{kind}", f"ci_high_{kind}"]
        if not set(cols) <= set(ratios.columns):
            continue
        ok = ratios.dropna(subset=cols)
        ok = ok[~ok["group"].isin(small) & ~ok["reference"].isin(small)]
        ok = ok[ok[f"ratio_{kind}"] > 0].reset_index(drop=True)
        if not len(ok):
            continue
        r = ok.loc[ok[f"ratio_{kind}"].map(lambda x: abs(math.log(x))).idxmax()]
        how = what + (
            md_escape(str(r.get("adjusted_for", "")).removeprefix("group + "))
            if kind == "adjusted"
            else ""
        )
        excludes = r[f"ci_low_{kind}"] > 1 or r[f"ci_high_{kind}"] < 1
        est, lo, hi = interval_format(*(r[c] for c in cols))
        return (
            f"Largest difference between groups with an interval: {md_escape(r['family'])} "
            f"in {md_escape(r['group'])} against {md_escape(r['reference'])}, rate ratio "
            f"{est} ({ci_pct}% interval {lo} to {hi}; {how.strip()}); the "
            f"interval {'excludes' if excludes else 'includes'} 1.",
            True,
        )
    return (
        "No rate ratio between groups large enough to compare has an interval (too few "
        "actors on a side, or no use on a side): the group differences are descriptive only.",
        False,
    )


def terms_summary(n_families: int, n_docs: int, totals: pd.DataFrame) -> str:
    """Return the one-line summary for the index page: the three most frequent families."""
    top = totals.nlargest(3, "freq_per_10k").itertuples()
    return (
        f"{n_families} term families over {n_docs:,} documents; "
        + ", ".join(f"{r.family} {r.freq_per_10k:.1f}" for r in top)
        + " per 10k tokens"
    )


def terms_results(
    names: list[str], n_docs: int, totals: pd.DataFrame, ratios: pd.DataFrame, adequacy,
    group_by: str, ci_level: float = 0.95,
) -> tuple[str, list[tuple[str, str, bool]]]:  # fmt: skip
    """Return the index summary and the key results of the term-frequency report.

    Args:
        names: the family names.
        n_docs: documents analysed.
        totals: ``frequency.terms_aggregate`` over the corpus (``term_totals``).
        ratios: ``compare.family_rate_ratios`` (``term_rate_ratios``).
        adequacy: ``stats.groups.groups_adequacy`` of the ``group_by`` groups.
        group_by: the grouping column.
        ci_level: the intervals' coverage.

    Returns:
        The one-line summary, and ``(text, ref, warning)`` key results.
    """
    top = totals[totals["count"] > 0].nlargest(3, "freq_per_10k")
    used = ", ".join(
        f"{md_escape(r.family)} ({number_format(r.freq_per_10k)} per 10,000 tokens, "
        f"{count_noun(r.n_docs_with_term, 'document')})"
        for r in top.itertuples()
    )
    n_used = int((totals["count"] > 0).sum())
    keys = [
        (
            f"{n_used} of {len(names)} families are used in the {count_format(n_docs)} documents"
            + (f"; the most used: {used}." if used else "."),
            "term_totals",
            False,
        )
    ]
    zero = totals.loc[totals["count"] == 0, "family"].tolist()
    if zero:
        keys.append(
            (f"Not used at all: {md_escape(', '.join(map(str, zero)))}.", "term_totals", False)
        )
    small = adequacy[adequacy["descriptive_only"]]
    text, found = ratio_sentence(ratios, round(ci_level * 100), set(small["group"]))
    keys.append((text, "term_rate_ratios", not found))
    if len(small):
        groups = ", ".join(map(str, small["group"]))
        keys.append((
            f"{len(small)} of {len(adequacy)} {md_escape(group_by)} groups are descriptive "
            f"only (too small to compare): {md_escape(groups)}.", "", True,
        ))  # fmt: skip
    summary = terms_summary(len(names), n_docs, totals[totals["count"] > 0])
    if len(small):
        summary += f"; {adequacy_summary(adequacy, f'{group_by} groups')}"
    return summary, keys
