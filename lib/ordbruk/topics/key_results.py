"""Key results of the topic-model report, built from computed values.

Three to six sentences for the top of the report and the index page (``Recorder.summary_set``
shows them): the model and its k with the stability of its topics, whether the corpus is
large enough to interpret them, and the largest difference in topic share between actor
levels with its interval (adjusted for genre and period where possible). Stability and
design warnings are marked as warnings. Labels and group names are escaped for Markdown.
"""

from __future__ import annotations

import pandas as pd

from ordbruk.escape import md_escape
from ordbruk.numbers import interval_format, number_format


def _points(x) -> str:
    # a difference of shares (0-1) in percentage points
    return f"{'+' if x > 0 else ''}{number_format(100 * x)} percentage points"


def small_groups(design) -> set[str]:
    """Return the groups a design judged descriptive only (``Composition.groups``)."""
    groups = getattr(design, "groups", None)
    if groups is None or not len(groups):
        return set()
    return set(groups.loc[groups["descriptive_only"].astype(bool), "group"].astype(str))


def difference_sentence(adj: pd.DataFrame, small: set[str] = frozenset()) -> tuple[str, bool]:
    """Return the sentence on the largest level difference in topic share with an interval.

    Stable topics only; the adjusted difference first, the pooled one when no adjusted
    difference has an interval. Groups that are descriptive only (``small``, as report 02
    judges them) are left out, as in ``terms.key_results.ratio_sentence``: their
    differences are in the table, not here.

    Returns:
        The sentence (Markdown) and whether a difference with an interval was found.
    """
    small = set(map(str, small))
    stable = adj[~adj["unstable"].astype(bool)] if "unstable" in adj else adj
    if small and {"group", "reference"} <= set(stable.columns):
        keep = ~stable["group"].astype(str).isin(small)
        stable = stable[keep & ~stable["reference"].astype(str).isin(small)]
    for kind in ("adjusted", "pooled"):
        cols = [f"diff_{kind}", f"ci_low_{kind}", f"ci_high_{kind}"]
        ok = stable.dropna(subset=cols) if set(cols) <= set(stable.columns) else stable[:0]
        ok = ok.reset_index(drop=True)
        if not len(ok):
            continue
        r = ok.loc[ok[f"diff_{kind}"].abs().idxmax()]
        how = (
            "adjusted for " + md_escape(str(r["adjusted_for"]).removeprefix("group + "))
            if kind == "adjusted"
            else "pooled, not adjusted"
        )
        left = sorted(small & set(map(str, adj["group"]))) if "group" in adj else []
        lo, hi = r[f"ci_low_{kind}"], r[f"ci_high_{kind}"]
        est, lo_s, hi_s = interval_format(100 * r[f"diff_{kind}"], 100 * lo, 100 * hi)
        return (
            f"Largest difference in topic share between levels: {md_escape(r['label'])} in "
            f"{md_escape(r['group'])} against {md_escape(r['reference'])}, "
            f"{'+' if r[f'diff_{kind}'] > 0 else ''}{est} percentage points (interval "
            f"{lo_s} to {hi_s}; {how}); the interval "
            f"{'excludes' if lo > 0 or hi < 0 else 'includes'} 0."
            + (
                f" Left out as descriptive only (too small): {md_escape(', '.join(left))}."
                if left
                else ""
            ),
            True,
        )
    why = "too few actors on a side, or a level not separable from genre and period"
    if small:
        return (
            "The level comparison is descriptive only: "
            f"{md_escape(', '.join(sorted(map(str, small))))} "
            f"{'is' if len(small) == 1 else 'are'} too small to compare, and no "
            f"other difference in topic share between levels has an interval ({why}).",
            False,
        )
    return (
        f"No difference in topic share between levels has an interval ({why}): the level "
        "comparison is descriptive only.",
        False,
    )


def topics_summary(method: str, choice, k_fixed: bool, n_unstable: int, adequacy) -> str:
    """Return the one-line summary for the index page: model, k, unstable topics, warnings."""
    how = "fixed" if k_fixed else "most coherent with enough stable topics"
    if not k_fixed and any(w.startswith("No k") for w in choice.warnings):
        how = "no k stable enough: most stable"
    text = (
        f"{method.upper()}, k = {choice.k} ({how}); {n_unstable} of {choice.k} topics unstable"
        + ("; corpus too small: descriptive only" if adequacy.descriptive_only else "")
    )
    return text + "".join(f". Warning: {w.rstrip('.')}" for w in choice.warnings)


def topics_results(
    method: str, choice, k_fixed: bool, stab: pd.DataFrame, adequacy, adj: pd.DataFrame,
    threshold: float, design=None,
) -> tuple[str, list[tuple[str, str, bool]]]:  # fmt: skip
    """Return the index summary and the key results of the topic-model report.

    Args:
        method: "lda" or "nmf" (the method fitted).
        choice: ``topics.select.Choice``.
        k_fixed: whether k was fixed by the parameters.
        stab: the stability table of the reported model (``unstable``, ``stability_jaccard``).
        adequacy: ``topics.select.corpus_adequacy``.
        adj: ``prevalence.prevalence_adjusted``.
        threshold: the stability threshold (mean matched Jaccard).
        design: ``stats.design.Composition`` of the levels (``design_show``): its
            descriptive-only ``groups`` are left out of the level difference.

    Returns:
        The summary, and ``(text, ref, warning)`` key results.
    """
    n_unstable = int(stab["unstable"].sum())
    how = "fixed in the parameters" if k_fixed else "the most coherent k with enough stable topics"
    if not k_fixed and any(w.startswith("No k") for w in choice.warnings):
        how = "no k has enough stable topics: the k with the most"
    keys = [
        (
            f"{method.upper()} with k = {choice.k} topics ({how}); {choice.k - n_unstable} of "
            f"{choice.k} topics of the reported run are stable across seeds (mean matched Jaccard at least "
            f"{number_format(threshold)}; mean {number_format(stab['stability_jaccard'].mean())}).",
            "topic_stability",
            False,
        )
    ]
    keys += [(md_escape(w), "topic_selection", True) for w in choice.warnings]
    if adequacy.descriptive_only:
        keys.append((
            "The modelled corpus is too small for a meaningful topic model "
            f"({md_escape('; '.join(adequacy.shortfalls))}): the topics are descriptive "
            "only.", "", True,
        ))  # fmt: skip
    text, found = difference_sentence(adj, small_groups(design))
    # at most five (six with a design warning); the level difference is always among them
    keys = keys[:4] + [(text, "table:topic_by_level_adjusted", not found)]
    return topics_summary(method, choice, k_fixed, n_unstable, adequacy), keys
