"""Figures of the term analysis: where in the documents the terms occur, and trends.

``dispersion_plot`` draws ``concordance.dispersion_positions`` (one strip per family, one
tick per use, documents by date); ``trends_plot`` draws ``trends.terms_trend`` (frequency
per year and group, one panel per family, with the documents behind each point). Both
return a matplotlib Figure at print size (``ordbruk.figures``) for
``report.recorder.Recorder.figure``; what a figure leaves out is noted with
``figures.note_add`` and so appears in its method notes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ordbruk import figures as F
from ordbruk.escape import md_escape


def dispersion_plot(positions: pd.DataFrame, families: list[str], max_docs: int = 400):
    """Plot where in each document each family occurs (one column strip per family).

    Args:
        positions: ``dispersion_positions`` output.
        families: strip order, left to right.
        max_docs: show at most this many documents (the earliest by date; the figure's
            notes should say so when more have uses).

    Returns:
        A matplotlib Figure with one axes (cheap to render): each family has a strip
        [i, i + 1) in which x is the relative position in the document; y = documents
        ordered by date, earliest at the top; one tick per use.
    """
    p = positions[positions["doc_rank"] < max_docs]
    n_docs = int(p["doc_rank"].max()) + 1 if len(p) else 1
    fam_x = {f: i for i, f in enumerate(families)}
    p = p[p["family"].isin(fam_x)]
    x = p["family"].map(fam_x).to_numpy(dtype=float) + 0.05 + 0.9 * p["position"].to_numpy()
    width = F.WIDTH_SINGLE_IN if len(families) <= 4 else F.WIDTH_FULL_IN
    fig, axes = F.figure_make(width, 2.2 + 0.018 * n_docs)
    ax = axes[0, 0]
    ax.scatter(x, p["doc_rank"], marker="|", s=12, linewidths=0.5, color="black",
               rasterized=len(p) > 2000)  # fmt: skip
    for i in range(1, len(families)):
        ax.axvline(i, color="0.6", lw=0.6)
    ax.set_xlim(0, len(families))
    ax.set_xticks([i + 0.5 for i in range(len(families))])
    ax.set_xticklabels(families, rotation=45, ha="right")
    ax.set_ylim(n_docs - 0.5, -0.5)
    ax.set_ylabel("documents by date\n(earliest at top)")
    ax.set_xlabel("relative position in each document")
    empty = [f for f in families if f not in set(p["family"])]
    if empty:  # its strip stays (the families keep their places) but is said to be empty
        F.note_add(
            fig,
            "Empty strips (no use in the documents shown): "
            + ", ".join(md_escape(f) for f in empty)
            + ".",
        )
    return fig


def _gaps_broken(s: pd.DataFrame, col: str) -> tuple[np.ndarray, np.ndarray]:
    """Return x, y with NaN inserted where years are missing, so lines do not bridge gaps."""
    x = s["year"].to_numpy(dtype=float)
    y = s[col].to_numpy(dtype=float)
    if len(x) < 2:
        return x, y
    cut = np.flatnonzero(np.diff(x) > 1) + 1
    return np.insert(x, cut, np.nan), np.insert(y, cut, np.nan)


def _series_draw(ax, t: pd.DataFrame, key: str, names: list[str]) -> None:
    """One line per value of ``key`` in one panel: solid points joined, sparse ones hollow."""
    dense_max = t.loc[~t["sparse"], "freq_per_10k"].max()
    top = 1.15 * dense_max if dense_max > 0 else None
    for j, g in enumerate(names):
        s = t[t[key].astype(str) == g].sort_values("year")
        st = F.group_style(j)
        m, col = st["marker"], st["color"]
        dense, sparse = s[~s["sparse"]], s[s["sparse"]]
        ax.plot(*_gaps_broken(dense, "freq_per_10k"), ls=st["ls"], color=col)
        ax.plot(dense["year"], dense["freq_per_10k"], m, ms=3, color=col)
        y = sparse["freq_per_10k"].to_numpy(dtype=float)
        over = (y > top) if top else np.zeros(len(y), bool)
        ax.plot(sparse["year"][~over], y[~over], m, ms=3, mfc="white", mew=0.6, color=col)
        if over.any():
            ax.plot(sparse["year"][over], np.full(over.sum(), top), "^", ms=4, mfc="white",
                    mew=0.6, color=col, clip_on=False)  # fmt: skip
    ax.set_ylim(0, top)


def trends_plot(
    trend: pd.DataFrame, families: list[str], group_by: str = "actor_level", min_docs: int = 5
):
    """Plot frequency per year by group, one panel per family, documents per year last.

    Lines join only points resting on enough documents and break at missing years;
    sparse points (``trend.sparse``) are hollow markers without a line, and a sparse
    point above the highest solid point is drawn at the panel's top edge as a hollow
    triangle, so one tiny year cannot flatten the rest. The year axis runs from the first
    to the last year with ``min_docs`` documents (``figures.years_span``): a stray early
    document is noted, not drawn. A family without a use gets no panel (noted). Groups
    differ by marker and line style as well as colour; more than ``GROUPS_MAX`` groups are
    drawn as small multiples, one panel per group with a line per family.

    Returns:
        A matplotlib Figure at full width, the legend below the panels.
    """
    docs = trend.drop_duplicates(["year", group_by])
    span = F.years_span(docs["year"], docs["n_docs"], min_docs)
    fig_notes = []
    if span:
        first, last, outside = span
        if outside:
            per = docs[docs["year"].isin(outside)].groupby("year")["n_docs"].sum()
            listed = ", ".join(f"{int(y)} ({int(n):,})" for y, n in per.items())
            fig_notes.append(
                f"The year axis runs from {first} to {last}, the first and last year with at "
                f"least {min_docs} documents; the years outside it are not drawn (documents: "
                f"{listed}); they are in `tables/term_trends.csv`."
            )
        trend = trend[trend["year"].between(first, last)]
        docs = docs[docs["year"].between(first, last)]
    used = trend.groupby("family")["count"].sum() if len(trend) else pd.Series(dtype=float)
    empty = [f for f in families if used.get(f, 0) == 0]
    drawn = [f for f in families if f not in empty]
    if empty:
        fig_notes.append(
            "No panel for the families without a use in these years: "
            + ", ".join(md_escape(f) for f in empty)
            + "."
        )
    groups = sorted(trend[group_by].astype(str).unique())
    many = len(groups) > F.GROUPS_MAX
    panels, key, names = (groups, "family", drawn) if many else (drawn, group_by, groups)
    if many:
        fig_notes.append(
            f"{len(groups)} {md_escape(group_by)} groups, more than {F.GROUPS_MAX} colours can "
            "tell apart: one panel per group, one line per family."
        )
    n = len(panels) + 1
    ncol = 1 if n == 1 else 2 if n <= 6 else 3 if n <= 15 else 4
    nrow = -(-n // ncol)
    high = 1.45 if nrow <= 5 else 1.1
    fig, axes = F.figure_make(F.WIDTH_FULL_IN, high * nrow + 0.45 + 0.15 * len(names) / 6,
                              nrow, ncol, sharex=True)  # fmt: skip
    for ax, p in zip(axes.flat, panels, strict=False):
        t = trend[(trend["family"] if not many else trend[group_by].astype(str)) == p]
        if many:
            t = t[t["family"].isin(drawn)]
        _series_draw(ax, t, key, names)
        ax.set_title(p, loc="left")
        ax.tick_params(labelbottom=True)
    last_ax = axes.flat[len(panels)]
    per_year = docs.groupby("year")["n_docs"].sum().reset_index()
    for j, g in enumerate([] if many else groups):
        s = docs[docs[group_by].astype(str) == g].sort_values("year")
        st = F.group_style(j)
        last_ax.plot(*_gaps_broken(s, "n_docs"), st["marker"] + st["ls"], ms=2.5,
                     color=st["color"])  # fmt: skip
    if many:
        last_ax.plot(*_gaps_broken(per_year, "n_docs"), "o-", ms=2.5, color="black")
    if len(per_year):
        F.log_axis(last_ax, "y", subs=(1.0,) if per_year["n_docs"].max() > 50 else (1.0, 3.0))
    last_ax.set_title("documents per year" + (" (all groups)" if many else ""), loc="left")
    last_ax.tick_params(labelbottom=True)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    for ax in axes.flat[:n]:
        ax.xaxis.get_major_locator().set_params(integer=True)
    fig.supylabel("uses per 10,000 tokens")
    F.legend_below(fig, F.style_handles(names), names, title="family" if many else group_by,
                   ncols=6)  # fmt: skip
    for text in fig_notes:
        F.note_add(fig, text)
    return fig
