"""The design of a comparison: what the groups are made of, and when that confounds them.

A comparison of national, regional and local actors is a comparison of levels only when
the groups are made of the same kinds of text. On the policy corpora they are not: local
and regional actors write almost only event descriptions, national ones interpellations,
press releases and assignments. A difference between the groups can then be a difference
between genres. Every analysis that compares groups starts by showing the design: documents
and tokens by group and by a stratum column (``strata``, default ``doc_type`` or ``genre``,
whichever exists) and by year band, with a verdict.

The verdict (``composition_check``) flags the grouping when group and stratum are
associated:

- Cramér's V between group and stratum over documents is at least ``V_MIN`` (0.3:
  Cohen's 1988 "medium" association for a table with two rows or columns; for larger
  tables his benchmarks scale with 1/sqrt(min(r, c) - 1), so 0.3 is then nearer "large",
  and the rule errs on the side of not warning), computed with
  ``scipy.stats.contingency.association``; or
- a group has at least ``CONCENTRATED`` (80 %) of its documents in one stratum that is at
  most ``RARE`` (20 %) of another group's.

A flagged grouping carries a warning that names the strata; ``Recorder.design_note`` adds
it to the notes of every later result and to the index summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy.stats.contingency import association

from ordbruk import figures as F
from ordbruk.escape import md_escape
from ordbruk.stats.groups import groups_adequacy, labels_get, name_slug

V_MIN = 0.3
CONCENTRATED = 0.8
RARE = 0.2
#: Width of a year band in the design table, in years.
BAND_YEARS = 5
#: Columns taken as the stratum (genre) column when ``strata`` is not given, first found.
DEFAULT_STRATA = ("doc_type", "genre")


@dataclass
class Composition:
    """The verdict on a grouping's composition by a stratum column."""

    group_by: str
    strata: str  # "" when there is no stratum column
    cramers_v: float | None
    concentrated: list[dict] = field(
        default_factory=list
    )  # group, stratum, share, other, other_share
    flagged: bool = False
    warning: str = ""
    note: str = ""
    #: ``stats.groups.groups_adequacy`` of the groups (default thresholds), set by
    #: ``design_show``; a later comparison leaves the descriptive-only groups out of its
    #: key results (report 04 has no thresholds of its own). None: not judged.
    groups: pd.DataFrame | None = None


def strata_resolve(meta: pd.DataFrame, strata: str | None) -> str:
    """Return the stratum column to use: ``strata``, or the first of DEFAULT_STRATA present, or ""."""
    if strata:
        labels_get(meta, strata, "strata")  # a one-line error naming the columns
        return strata
    return next((c for c in DEFAULT_STRATA if c in meta.columns), "")


def year_band(year) -> str:
    """Return the BAND_YEARS-wide band of a year ("2010-2014"), or "undated"."""
    if pd.isna(year):
        return "undated"
    lo = int(year) // BAND_YEARS * BAND_YEARS
    return f"{lo}-{lo + BAND_YEARS - 1}"


def design_table(meta: pd.DataFrame, group_by: str, strata: str = "") -> pd.DataFrame:
    """Documents and tokens by group and stratum, and by group and year band.

    Args:
        meta: document metadata with ``n_tokens`` (and ``year`` for the bands).
        group_by: the comparison grouping column.
        strata: the stratum column ("" for year bands only).

    Returns:
        Columns ``group``, ``by`` (the stratum column or "year_band"), ``stratum``,
        ``n_docs``, ``n_tokens``, ``share_of_group_docs`` (of the group's documents),
        ``share_of_stratum_docs``.
    """
    groups = labels_get(meta, group_by)
    frames = []
    kinds = ([strata] if strata else []) + (["year_band"] if "year" in meta else [])
    for by in kinds:
        values = (
            meta["year"].map(year_band) if by == "year_band" else pd.Series(labels_get(meta, by))
        )
        df = pd.DataFrame(
            {"group": groups, "stratum": values.to_numpy(), "n_tokens": meta["n_tokens"].to_numpy()}
        )
        df = df[df["group"] != ""]
        t = df.groupby(["group", "stratum"], sort=True).agg(
            n_docs=("n_tokens", "size"), n_tokens=("n_tokens", "sum")
        )
        t = t.reset_index()
        t.insert(1, "by", by)
        t["share_of_group_docs"] = t["n_docs"] / t.groupby("group")["n_docs"].transform("sum")
        t["share_of_stratum_docs"] = t["n_docs"] / t.groupby("stratum")["n_docs"].transform("sum")
        frames.append(t)
    cols = [
        "group",
        "by",
        "stratum",
        "n_docs",
        "n_tokens",
        "share_of_group_docs",
        "share_of_stratum_docs",
    ]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)


def composition_check(meta: pd.DataFrame, group_by: str, strata: str = "") -> Composition:
    """Decide whether the groups of ``group_by`` differ in their mix of ``strata``.

    Args:
        meta: document metadata.
        group_by: the comparison grouping column.
        strata: the stratum column ("": nothing to check, the note says so).

    Returns:
        The Composition verdict, with the warning and the note written from it.
    """
    if not strata:
        return Composition(
            group_by, "", None,
            note="No stratum column (no `doc_type` or `genre` in the metadata and no `strata` "
            "given): the groups' mix of genres was not checked.",
        )  # fmt: skip
    groups = labels_get(meta, group_by)
    values = labels_get(meta, strata)
    keep = groups != ""
    table = pd.crosstab(groups[keep], values[keep])
    v = None
    if table.shape[0] >= 2 and table.shape[1] >= 2:
        v = float(association(table.to_numpy(), method="cramer"))
    share = table.div(table.sum(axis=1), axis=0)
    conc = []
    for g in share.index:
        for s in share.columns:
            if share.loc[g, s] < CONCENTRATED:
                continue
            for h in share.index:
                if h != g and share.loc[h, s] <= RARE:
                    conc.append({"group": g, "stratum": s, "share": float(share.loc[g, s]),
                                 "other": h, "other_share": float(share.loc[h, s])})  # fmt: skip
    flagged = (v is not None and v >= V_MIN) or bool(conc)
    # The warning and the note are Markdown: names from the metadata are escaped.
    e, gb, st = md_escape, md_escape(group_by), md_escape(strata)
    rule = (
        f"The rule: Cramér's V between {gb} and {st} of at least {V_MIN}, or a group "
        f"with at least {CONCENTRATED:.0%} of its documents in a {st} that is at most "
        f"{RARE:.0%} of another group's."
    )
    v_text = (
        f"Cramér's V = {v:.2f}"
        if v is not None
        else "Cramér's V not defined (one group or one stratum)"
    )
    warning = ""
    if flagged:
        named = sorted({c["stratum"] for c in conc}) or list(
            share.columns[share.max(axis=0) >= 0.5]
        )
        pairs = "; ".join(
            f"{e(c['group'])}: {c['share']:.0%} {e(c['stratum'])} (vs {c['other_share']:.0%} for {e(c['other'])})"
            for c in conc[:4]
        )
        warning = (
            f"Composition differs: the {gb} groups differ in their mix of {st} "
            f"({v_text}{'; ' + pairs if pairs else ''}). Differences between them may be "
            f"differences between {', '.join(e(x) for x in named)} and the other {st} values, "
            f"not between kinds of actor; compare within a {st} (`subset`) before "
            "reading them as level effects."
        )
    note = f"{v_text}. {rule} " + ("Flagged." if flagged else "Not flagged.")
    return Composition(group_by, strata, v, conc, flagged, warning, note)


#: A year's genre mix this far (total variation distance) from the corpus's is flagged.
MIX_FAR = 0.5


def mix_compare(mix: pd.Series, weights: pd.Series) -> tuple[pd.Series, float, float]:
    """Compare one year's stratum mix with the corpus's, for direct standardisation.

    Args:
        mix: the year's share of each stratum present in it (sums to 1).
        weights: the corpus's share of each stratum (sums to 1).

    Returns:
        ``(w, coverage, distance)``: the corpus weights of the strata present (to weight
        their rates by), their sum (the share of the corpus mix the year covers), and the
        total variation distance between the two mixes (0: the same mix, 1: no stratum in
        common; ``MIX_FAR`` and above is flagged).
    """
    w = weights.reindex(mix.index).fillna(0.0)
    distance = 0.5 * float(mix.reindex(weights.index, fill_value=0).sub(weights).abs().sum())
    return w, float(w.sum()), distance


def composition_plot(meta: pd.DataFrame, group_by: str, strata: str, max_strata: int = 7):
    """Share of each group's documents per year by stratum: one panel per group.

    Strata beyond the ``max_strata - 1`` most frequent are drawn together as "other".
    """
    groups = labels_get(meta, group_by)
    values = pd.Series(labels_get(meta, strata))
    top = list(values.value_counts().index[: max_strata - 1])
    values = values.where(values.isin(top), "(other)")
    df = pd.DataFrame({"group": groups, "stratum": values, "year": meta["year"].to_numpy()})
    df = df[(df["group"] != "") & df["year"].notna()]
    # A few stray early dates (a 1955 document in a corpus of 1994-2026) would squeeze
    # every bar into a corner: years before the 0.1st percentile are not drawn.
    first = int(np.floor(np.quantile(df["year"].astype(int), 0.001))) if len(df) else 0
    df = df[df["year"].astype(int) >= first]
    names = sorted(df["group"].unique())
    sizes = df["group"].value_counts()
    left_out = []
    if len(names) > F.GROUPS_MAX:  # a page holds 12 panels: the largest groups, the rest noted
        keep = set(sizes.index[: F.GROUPS_MAX])
        left_out = [g for g in names if g not in keep]
        names = [g for g in names if g in keep]
    ncol = 1 if len(names) <= 4 else 2 if len(names) <= 8 else 3  # 7 in wide, a page tall
    nrow = -(-len(names) // ncol)
    fig, axes = F.figure_make(F.WIDTH_FULL_IN, 1.5 * nrow + 0.7, nrow, ncol, sharex=True)
    for ax in axes.flat[len(names) :]:
        ax.set_visible(False)
    order = top + (["(other)"] if (values == "(other)").any() else [])
    for ax, g in zip(axes.flat, names, strict=False):
        t = pd.crosstab(
            df.loc[df["group"] == g, "year"].astype(int), df.loc[df["group"] == g, "stratum"]
        )
        t = t.reindex(columns=[s for s in order if s in t.columns])
        shares = t.div(t.sum(axis=1), axis=0)
        bottom = np.zeros(len(shares))
        for j, s in enumerate(order):
            if s not in shares:
                continue
            ax.bar(shares.index, shares[s], bottom=bottom, width=0.85, color=F.PALETTE[j], label=s)
            bottom += shares[s].to_numpy()
        ax.set_ylim(0, 1)
        if ax.get_subplotspec().is_first_col():
            ax.set_ylabel("share of\ndocuments")
        ax.set_title(f"{g} (n = {int(t.to_numpy().sum()):,})", loc="left")
        ax.tick_params(labelbottom=True)
    handles = [plt.Rectangle((0, 0), 1, 1, color=F.PALETTE[j]) for j in range(len(order))]
    for ax in axes[-1]:
        ax.set_xlabel("year")
    F.legend_below(fig, handles, order, ncols=min(4, len(order)))
    if left_out:
        shown = ", ".join(md_escape(g) for g in left_out)
        F.note_add(fig, f"The {len(left_out):,} smallest {md_escape(group_by)} groups are "
                        f"not drawn (see the table): {shown}.")  # fmt: skip
    return fig


def design_show(rec, meta: pd.DataFrame, group_by: str, strata: str | None = "", standing=True):
    """Show the design of a grouping: the table, the composition figure when flagged.

    Args:
        rec: the notebook's ``Recorder`` (passed in: stats does not import the report).
        meta: document metadata of the corpus analysed.
        group_by: the comparison grouping column.
        strata: the stratum column; "" or None: ``doc_type`` where it exists.
        standing: when flagged, every later result's notes and the index summary carry
            the warning (``Recorder.design_note``); False for a notebook that only
            describes the corpus.

    Returns:
        The Composition verdict, with ``groups``: the adequacy of each group.
    """
    strata = strata_resolve(meta, strata)
    comp = composition_check(meta, group_by, strata)
    if {"actor", "n_tokens"} <= set(meta.columns):
        comp.groups = groups_adequacy(labels_get(meta, group_by), meta["actor"], meta["n_tokens"])
    table = design_table(meta, group_by, strata)
    by = f"{strata} and by year band" if strata else "year band"
    gb, st, slug = md_escape(group_by), md_escape(strata), name_slug(group_by)
    notes = (
        f"Documents (`n_docs`) and tokens (`n_tokens`: words and numbers, as everywhere) per "
        f"{gb} group, by {md_escape(by)} ({BAND_YEARS}-year bands from the `year` column; undated "
        "documents form their own band). `share_of_group_docs` is the share of the group's "
        "documents in that stratum, `share_of_stratum_docs` the share of the stratum's "
        f"documents in that group. {comp.note}"
    )
    if comp.warning:
        notes += f"\n\n**{comp.warning}**"
    rec.table(table, f"design_{slug}", f"Design: documents and tokens by {group_by}, by {by}",
              notes, show=40)  # fmt: skip
    if comp.flagged and "year" in meta and meta["year"].notna().any():
        rec.figure(
            composition_plot(meta, group_by, strata),
            f"design_{slug}_over_time",
            f"Composition over time: {strata} of each {group_by} group's documents per year",
            f"Share of each group's documents per year by {st}; undated documents, and "
            "years before the 0.1st percentile of dates (stray early dates), left out. "
            "Where the mix changes between years, a trend of any count follows the mix.",
        )
    if standing:
        rec.design_note(comp)
    return comp
