"""Key results of the rhetoric report, built from computed values.

Three to six sentences for the top of the report and the index page (``Recorder.summary_set``
shows them): which comparisons are large enough, the strongest key term that passes the
rule (test, size and actors) with the actor-bootstrap interval of its rate difference, or
why none passes, and who is quoted. Terms and group names are escaped for Markdown.
"""

from __future__ import annotations

import pandas as pd

from ordbruk.escape import md_escape
from ordbruk.numbers import count_format, count_noun, interval_format, number_format, p_format
from ordbruk.stats.groups import adequacy_summary


def rhetoric_title(group_by: str) -> str:
    """Return the report's title, naming the grouping the study chose."""
    return (
        f"Rhetoric comparison by {group_by}: keyness, Fightin' Words, rhetorical markers and "
        "who is quoted"
    )


def _flag(row, column: str):
    # True or False from a boolean column, None where the column is missing or NaN
    value = row.get(column)
    return None if value is None or not pd.notna(value) else bool(value)


def fails_why(row) -> list[str]:
    """Return the parts of the rule a ``keywords_pass`` row fails, in words.

    Args:
        row: one row of ``keywords_top`` after ``keywords_pass`` (and
            ``rhetoric.strata.keywords_consistent``).

    Returns:
        E.g. ``["descriptive only: the comparison is too small"]``, or
        ``["its interval over actors includes 0"]``; empty when no part is known to fail
        (a row without the columns ``keywords_pass`` adds).
    """
    why = []
    if _flag(row, "descriptive_only"):
        why.append("descriptive only: the comparison is too small")
    if _flag(row, "passes_test") is False:
        why.append("adjusted p above the threshold")
    if _flag(row, "ci_excludes_0") is False:
        why.append("its interval over actors includes 0")
    elif _flag(row, "passes_actors") is False:
        why.append("too few actors use it")
    if _flag(row, "consistent") is False:
        why.append("not key the same way within genres")
    elif not why and "consistent" in row and _flag(row, "consistent") is None:
        # the rest passes: the groups differ in genre and no genre both sides write tests it
        why.append("no genre both sides write tests it, and the groups differ in genre")
    return why


def key_term_sentence(top: pd.DataFrame, rob: pd.DataFrame) -> tuple[str, bool]:
    """Return the sentence on the strongest key term, and whether any term passes.

    Args:
        top: ``keywords_top`` after ``keywords_pass`` (``passes``, ``log_ratio``, ``g2``,
            ``p_adj_bh``, ``descriptive_only``).
        rob: ``keyness_actors`` (``diff_per_10k``, ``ci_low``, ``ci_high`` per term).
    """
    if not len(top):
        return "No term is key in any comparison (none reaches the test and size rule).", False
    passing = top[top["passes"].astype(bool)] if "passes" in top else top[:0]
    pool = (passing if len(passing) else top).reset_index(drop=True)
    r = pool.loc[pool["log_ratio"].abs().idxmax()]
    key = ["group_a", "group_b", "term"]
    hit = rob.merge(pd.DataFrame([r[key]]), on=key) if set(key) <= set(rob.columns) else rob[:0]
    interval = ""
    if len(hit) and pd.notna(hit["ci_low"].iloc[0]) and pd.notna(hit["ci_high"].iloc[0]):
        h = hit.iloc[0]
        est, lo, hi = interval_format(h["diff_per_10k"], h["ci_low"], h["ci_high"])
        interval = f"; rate difference {est} per 10,000 tokens, interval over actors {lo} to {hi}"
    what = "Strongest key term that passes the rule" if len(passing) else (
        "No key term passes the rule (test, size and actors); the largest, which does not "
        f"pass it ({'; '.join(fails_why(r)) or 'the rule as a whole'})"
    )  # fmt: skip
    more = r.get("direction")
    if not (pd.notna(more) and str(more)):  # a NaN direction is not "more frequent in nan"
        more = r["group_a"] if r["log_ratio"] > 0 else r["group_b"]
    return (
        f"{what}: “{md_escape(r['term'])}”, more frequent in {md_escape(more)} "
        f"({md_escape(r['group_a'])} against {md_escape(r['group_b'])}: log ratio "
        f"{number_format(r['log_ratio'])}, "
        f"G2 = {number_format(r['g2'])}, adjusted p = {p_format(r['p_adj_bh'])}{interval}).",
        bool(len(passing)),
    )


def rhetoric_summary(group_by: str, adequacy: str, n_pass: int, agree: dict) -> str:
    """Return the one-line summary for the index page.

    Args:
        group_by: the grouping column.
        adequacy: ``stats.groups.adequacy_summary`` of the comparisons.
        n_pass: key terms that pass in comparisons that are not descriptive only.
        agree: the quote summary of ``quotes.levels_compare``.

    Returns:
        One line of text.
    """
    return (
        f"Comparisons by {group_by}: {adequacy}; {count_format(n_pass)} key terms pass "
        f"in non-descriptive comparisons; {count_format(agree['n_quotes'])} quotes, "
        f"{count_format(agree['n_differ'])} by a "
        "speaker of another level than the publisher"
    )


def rhetoric_results(
    group_by: str, sizes: pd.DataFrame, top: pd.DataFrame, rob: pd.DataFrame, agree: dict
) -> tuple[str, list[tuple[str, str, bool]]]:
    """Return the index summary and the key results of the rhetoric report.

    Args:
        group_by: the grouping column.
        sizes: ``stats.groups.comparisons_adequacy`` (one row per comparison).
        top: ``keywords_top`` after ``keywords_pass``.
        rob: ``keyness_actors``.
        agree: the quote summary of ``quotes.levels_compare`` (``n_quotes``, ``n_differ``).

    Returns:
        The one-line summary (as before: comparisons, passing terms, quotes) and
        ``(text, ref, warning)`` key results.
    """
    adequacy = adequacy_summary(sizes)
    n_pass = int(top["passes"].sum()) if "passes" in top else 0
    n_small = int(sizes["descriptive_only"].sum()) if len(sizes) else 0
    keys = [(
        f"{count_format(len(sizes))} comparisons by {md_escape(group_by)}: "
        f"{md_escape(adequacy)}.", "comparisons", bool(n_small),
    )]  # fmt: skip
    text, passes = key_term_sentence(top, rob)
    verb = "passes" if n_pass == 1 else "pass"
    lead = f"{count_noun(n_pass, 'key term')} {verb} the rule. " if passes else ""
    keys.append((lead + text, "keywords_top", not passes))
    keys.append((
        f"{count_format(agree['n_quotes'])} quote-speaker rows, "
        f"{count_format(agree['n_differ'])} by a speaker of another level than the publisher.",
        "quotes", False,
    ))  # fmt: skip
    return rhetoric_summary(group_by, adequacy, n_pass, agree), keys
