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
#: An adjusted ratio is named only when its contrast rests on this many shared strata.
MIN_STRATA_SHARED = 2


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


def _has(x) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def _certainty(low: float, high: float) -> float:
    # how far the bound nearest 1 is from 1 on the log scale (negative: the interval holds 1)
    return max(math.log(low), -math.log(high))


def _direction(family, group, reference, ratio: float) -> str:
    more = "more" if ratio > 1 else "less"
    return (
        f"{md_escape(family)} is {more} frequent in {md_escape(group)} than in "
        f"{md_escape(reference)}"
    )


def ratio_sentence(ratios: pd.DataFrame, ci_pct: int, small=()) -> tuple[str, bool]:
    """Return the sentence on the clearest rate ratio between groups, with its interval.

    The clearest is the one whose interval bound nearest 1 is farthest from 1 on the log
    scale (the most certain difference, not the most extreme estimate, which is often
    the least certain). Adjusted ratios first (like with like), but only those whose
    contrast rests on at least ``MIN_STRATA_SHARED`` shared strata (``n_strata_shared``:
    on one stratum the "adjustment" is a comparison within one genre); pooled ones when
    no adjusted ratio qualifies. Groups that are descriptive only (``small``) are left
    out: their ratios are in the table, not here. The direction is said in words, and
    when the pooled and the adjusted ratio of the same row point in opposite directions,
    the sentence says so.

    Returns:
        The sentence (Markdown) and whether a ratio with an interval was found.
    """
    thin = 0  # adjusted ratios with an interval left out: too few shared strata
    for kind in ("adjusted", "pooled"):
        cols = [f"ratio_{kind}", f"ci_low_{kind}", f"ci_high_{kind}"]
        if not set(cols) <= set(ratios.columns):
            continue
        ok = ratios.dropna(subset=cols)
        ok = ok[~ok["group"].isin(small) & ~ok["reference"].isin(small)]
        ok = ok[(ok[f"ratio_{kind}"] > 0) & (ok[f"ci_low_{kind}"] > 0)]
        if kind == "adjusted" and "n_strata_shared" in ok:
            shared = ok["n_strata_shared"].fillna(0) >= MIN_STRATA_SHARED
            thin, ok = int((~shared).sum()), ok[shared]
        ok = ok.reset_index(drop=True)
        if not len(ok):
            continue
        score = [_certainty(lo, hi) for lo, hi in zip(ok[cols[1]], ok[cols[2]], strict=True)]
        r = ok.loc[pd.Series(score).idxmax()]
        est_v, lo_v, hi_v = (float(r[c]) for c in cols)
        n = r.get("n_strata_shared")
        on = f"on {count_noun(int(n), 'shared stratum', 'shared strata')}" if _has(n) else ""
        if kind == "adjusted":
            how = "adjusted for " + md_escape(
                str(r.get("adjusted_for", "")).removeprefix("group + ")
            )
            how += f", {on}" if on else ""
        else:
            how = "pooled, not adjusted"
            if thin:
                how += f": no adjusted ratio rests on {MIN_STRATA_SHARED} or more shared strata"
        est, lo, hi = interval_format(est_v, lo_v, hi_v)
        text = (
            f"Clearest difference between groups (its interval farthest from 1): "
            f"{_direction(r['family'], r['group'], r['reference'], est_v)}, rate ratio "
            f"{est} ({ci_pct}% interval {lo} to {hi}; {how}); the interval "
            f"{'excludes' if lo_v > 1 or hi_v < 1 else 'includes'} 1."
        )
        other = "pooled" if kind == "adjusted" else "adjusted"
        o = r.get(f"ratio_{other}")
        if _has(o) and o > 0 and (o > 1) != (est_v > 1) and o != 1 and est_v != 1:
            o_s = interval_format(o, o, o)[0]
            o_s += f" ({on})" if other == "adjusted" and on else ""
            text += (
                f" The {other} ratio, {o_s}, points the other way: where they disagree, "
                "the pooled ratio follows the genre mix."
            )
        return text, True
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
