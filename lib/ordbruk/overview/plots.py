"""Figures of the corpus overview: documents per year, tokens and LIX per document.

Each function takes a table from ``ordbruk.overview.tables`` and returns a matplotlib
figure at print size (``ordbruk.figures``) for ``Recorder.figure``, which writes it as
SVG, PDF and PNG beside its notes. Thousands of documents are drawn as distributions: a
box per group over the documents as jittered, translucent dots.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ordbruk import figures as F


def documents_plot(
    counts: pd.DataFrame, x: str = "year", hue: str = "actor_level", min_docs: int = 2
):
    """Stacked bars of documents per ``x`` coloured by ``hue``; returns the figure.

    The bars stand on a numeric year axis, so a gap between years is a gap; the axis runs
    from the first to the last year with ``min_docs`` documents (``figures.years_span``),
    the years outside it are noted. More than ``GROUPS_MAX`` values of ``hue`` are drawn
    as one panel per value instead.
    """
    wide = counts.pivot_table(index=x, columns=hue, values="n_docs", aggfunc="sum", fill_value=0)
    span = F.years_span(wide.index, wide.sum(axis=1), min_docs) if x == "year" else None
    outside = wide[~wide.index.to_series().between(*span[:2])] if span else wide.iloc[:0]
    if len(outside):
        listed = ", ".join(f"{int(y)} ({int(n):,})" for y, n in outside.sum(axis=1).items())
        note = (f"The year axis runs from {span[0]} to {span[1]}, the first and last year with "
                f"at least {min_docs} documents; not drawn (documents): {listed}.")  # fmt: skip
        wide = wide.drop(index=outside.index)
    cols = list(wide.columns)
    xs = pd.to_numeric(pd.Series(wide.index), errors="coerce").to_numpy(dtype=float)
    numeric = len(xs) > 0 and bool(np.isfinite(xs).all())
    pos = xs if numeric else np.arange(len(wide))
    many = len(cols) > F.GROUPS_MAX
    panels = cols if many else [None]
    ncols = 3 if many else 1
    nrows = -(-len(panels) // ncols)
    fig, axes = F.figure_make(F.WIDTH_FULL_IN, 2.8 if not many else 1.1 * nrows + 0.6, nrows,
                              ncols, sharex=True, sharey=many)  # fmt: skip
    colors = F.group_colors(cols)
    for ax, panel in zip(axes.flat, panels, strict=False):
        bottom = np.zeros(len(wide))
        for col in cols if panel is None else [panel]:
            values = wide[col].to_numpy()
            ax.bar(pos, values, bottom=bottom, width=0.85, label=str(col),
                   color=colors[col] if panel is None else "#0072B2", lw=0)  # fmt: skip
            bottom += values
        if panel is not None:
            ax.set_title(str(panel), loc="left")
        ax.yaxis.get_major_locator().set_params(integer=True)
    for ax in axes.flat[len(panels) :]:
        ax.set_visible(False)
    if not numeric:
        axes[-1, 0].set_xticks(pos, [str(i) for i in wide.index], rotation=90)
    for ax in axes[-1]:
        ax.set_xlabel(x.replace("_", " "))
    fig.supylabel("documents")
    if not many:
        handles, labels = axes[0, 0].get_legend_handles_labels()
        F.legend_below(fig, handles, labels, title=hue.replace("_", " "), ncols=6)
    if len(outside):
        F.note_add(fig, note)
    return fig


def _groups_strips(ax, docs, group_by: str, col: str, log: bool = False):
    """A box per group over its documents as jittered translucent dots; groups top down."""
    groups = sorted(docs[group_by].astype(str).unique())
    data = [
        docs.loc[docs[group_by].astype(str) == g, col].dropna().to_numpy(dtype=float)
        for g in groups
    ]
    if log:
        data = [d[d > 0] for d in data]
    pos = np.arange(len(groups), 0, -1)
    for i, (p, values) in enumerate(zip(pos, data, strict=True)):
        # Alpha falls with the number of points, so thousands read as a density.
        alpha = float(np.clip(8 / np.sqrt(max(len(values), 1)), 0.08, 0.8))
        ax.scatter(values, p + F.jitter(len(values), 0.5, seed=i), s=4 if len(values) > 500
                   else 9, lw=0, alpha=alpha,
                   color="#0072B2", rasterized=len(values) > 500, zorder=2)  # fmt: skip
    keep = [i for i, d in enumerate(data) if len(d)]
    ax.boxplot([data[i] for i in keep], positions=pos[keep], orientation="horizontal",
               widths=0.6, showfliers=False, zorder=3, medianprops={"color": "#D55E00"},
               boxprops={"lw": 0.8}, whiskerprops={"lw": 0.8}, capprops={"lw": 0.8},
               manage_ticks=False)  # fmt: skip
    ticks = [f"{g} (n = {len(d):,})" for g, d in zip(groups, data, strict=True)]
    ax.set_yticks(pos, ticks)
    ax.set_ylim(0.4, len(groups) + 0.6)
    if log:
        F.log_axis(ax, "x")
    return data


def tokens_plot(docs: pd.DataFrame, group_by: str = "actor_level"):
    """Tokens per document by group on a log axis: box over jittered dots; the figure."""
    n = docs[group_by].nunique()
    fig, axes = F.figure_make(F.WIDTH_FULL_IN, 0.7 + 0.32 * max(n, 2))
    ax = axes[0, 0]
    _groups_strips(ax, docs, group_by, "n_tokens", log=True)
    ax.set_xlabel("tokens per document after cleaning (log scale)")
    n_zero = int((docs["n_tokens"] <= 0).sum())
    if n_zero:
        F.note_add(fig, f"{n_zero:,} documents without a token are not drawn (log axis).")
    return fig


def lix_plot(docs: pd.DataFrame, group_by: str = "actor_level"):
    """LIX per document by group, reading-guide bands shaded: box over dots; the figure."""
    n = docs[group_by].nunique()
    fig, axes = F.figure_make(F.WIDTH_FULL_IN, 0.8 + 0.32 * max(n, 2))
    ax = axes[0, 0]
    for x0, x1, shade in ((0, 40, 0.0), (40, 50, 0.06), (50, 60, 0.12), (60, 100, 0.18)):
        ax.axvspan(x0, x1, color="black", alpha=shade, lw=0, zorder=1)
    _groups_strips(ax, docs, group_by, "lix")
    finite = docs["lix"].dropna()
    ax.set_xlim(
        min(20, finite.min() - 5) if len(finite) else 20,
        max(80, finite.max() + 5) if len(finite) else 80,
    )
    ax.set_xlabel("LIX (shading: 40 normal, 50 difficult, 60 bureaucratic)")
    n_none = int(docs["lix"].isna().sum())
    if n_none:
        F.note_add(fig, f"{n_none:,} documents without a LIX value are not drawn.")
    return fig
