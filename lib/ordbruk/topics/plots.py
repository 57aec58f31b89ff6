"""Figures of the topic-model notebook: k selection, stability, prevalence heat map, trends.

Every figure that names topics marks unstable ones (label suffix " [unstable]", grey or
hatched), so a reader never interprets a topic that did not survive a change of seed.
Every figure is drawn at print size (``ordbruk.figures``: 7 in wide, text >= 7 pt).
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ordbruk import figures as F

UNSTABLE_SUFFIX = " [unstable]"


STABLE_COLOR, UNSTABLE_COLOR = "#1b9e77", "#bbbbbb"


def label_flag(label: str, unstable: bool, stability: float | None = None) -> str:
    """Return the label with its stability and, when unstable, the unstable marker."""
    if stability is not None and np.isfinite(stability):
        label = f"{label} ({stability:.2f})"
    return f"{label}{UNSTABLE_SUFFIX}" if unstable else label


def selection_plot(grid: pd.DataFrame, k_chosen: int, min_stable: float):
    """Plot stable share, mean NPMI and held-out perplexity against k; mark the chosen k."""
    panels = [("stable_share", "Share of stable topics"), ("npmi_mean", "NPMI (mean)")]
    if grid["perplexity_heldout"].notna().any():
        panels.append(("perplexity_heldout", "Held-out perplexity\n(document completion)"))
    fig, axes = F.figure_make(F.WIDTH_FULL_IN, 2.2, 1, len(panels))
    for ax, (col, title) in zip(axes[0], panels, strict=True):
        ax.plot(grid["k"], grid[col], marker="o", color="#333333")
        ax.axvline(k_chosen, color="#d95f02", linestyle="--", linewidth=1)
        if col == "stable_share":
            ax.axhline(min_stable, color="#7570b3", linestyle=":", linewidth=1)
            ax.set_ylim(0, 1.02)
        ax.set_title(title)
        ax.set_xlabel("k (topics)")
        ax.set_xticks(grid["k"])
    return fig


def topic_words_plot(terms_tab: pd.DataFrame, ncols: int = 4, n_words: int = 8):
    """Small multiples: each topic's top words with their weights; unstable topics grey."""
    topics = sorted(terms_tab["topic"].unique())
    ncols = max(1, min(ncols if len(topics) <= 5 * ncols else ncols + 1, len(topics)))
    nrows = int(np.ceil(len(topics) / ncols))
    fig, axes = F.figure_make(F.WIDTH_FULL_IN, (0.13 * n_words + 0.3) * nrows + 0.3, nrows,
                              ncols)  # fmt: skip
    for ax, t in zip(axes.ravel(), topics, strict=False):
        d = terms_tab[terms_tab["topic"] == t].sort_values("rank").head(n_words)
        u = bool(d["unstable"].iloc[0])
        y = np.arange(len(d))[::-1]
        ax.barh(y, d["weight"], color=UNSTABLE_COLOR if u else STABLE_COLOR,
                hatch="//" if u else None)  # fmt: skip
        ax.set_yticks(y, d["term"])
        ax.set_ylim(-0.6, n_words - 0.4)
        ax.xaxis.set_major_locator(MaxNLocator(2))  # 1.75 in panels: two short labels
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.2g}"))
        stab = d["stability"].iloc[0] if "stability" in d else None
        head = f"T{t:02d}" + (f" ({stab:.2f})" if stab is not None else "")
        ax.set_title(head + (UNSTABLE_SUFFIX if u else ""), loc="left")
    for ax in axes.ravel()[len(topics) :]:
        ax.set_visible(False)
    fig.supxlabel("Weight of the word in the topic")
    return fig


def adjusted_plot(adj: pd.DataFrame, include_unstable: bool = False):
    """Dot-and-whisker: each topic's difference in mean share, group minus reference.

    Filled dots with intervals: adjusted for genre and period; open dots: pooled; a cross:
    adjusted, no interval (too few actors). Unstable topics are kept out of the comparison:
    drawn grey at the bottom and marked, unless ``include_unstable`` (their numbers are in
    the table either way).
    """
    d = adj
    groups = sorted(d["group"].unique())
    if not groups:
        fig, axes = F.figure_make(F.WIDTH_SINGLE_IN, 1.2)
        axes[0, 0].set_axis_off()
        axes[0, 0].text(0.5, 0.5, "no second group to compare", ha="center")
        return fig
    names = d.drop_duplicates("topic").set_index("topic")
    grey = names["unstable"].astype(bool) & (not include_unstable)
    # Compared topics first (top), greyed unstable ones below.
    topics = sorted(names.index, key=lambda t: (bool(grey[t]), t))
    fig, axes = F.figure_make(F.WIDTH_FULL_IN, 0.17 * len(topics) + 1.3, 1, len(groups),
                              sharey=True)  # fmt: skip
    y = {t: len(topics) - 1 - i for i, t in enumerate(topics)}
    for ax, g in zip(axes[0], groups, strict=True):
        for faded in (False, True):
            e = d[(d["group"] == g) & (d["topic"].map(grey) == faded)]
            if e.empty:
                continue
            color = UNSTABLE_COLOR if faded else STABLE_COLOR
            tag = " (unstable)" if faded else ""
            yy = e["topic"].map(y).to_numpy(dtype=float)
            diff = e["diff_adjusted"].to_numpy(dtype=float)
            err = np.array([diff - e["ci_low_adjusted"], e["ci_high_adjusted"] - diff], float)
            ci = np.isfinite(err).all(axis=0)
            if ci.any():
                ax.errorbar(diff[ci], yy[ci], xerr=err[:, ci], fmt="o", color=color,
                            markersize=4, label="adjusted (95% CI)" + tag)  # fmt: skip
            if (~ci).any():  # no interval (too few actors): a cross, never a zero-width bar
                ax.plot(diff[~ci], yy[~ci], "x", color=color, label="adjusted, no interval" + tag)
            ax.plot(e["diff_pooled"], yy + 0.25, "o", mfc="none", markersize=4,
                    color="#cccccc" if faded else "#666666", label="pooled" + tag)  # fmt: skip
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_title(f"{g}\nminus {d.loc[d['group'] == g, 'reference'].iloc[0]}", loc="left")
    ticks = [label_flag(names.loc[t, "label"], bool(names.loc[t, "unstable"]),
                        names.loc[t, "stability"]) for t in topics]  # fmt: skip
    axes[0][0].set_yticks([y[t] for t in topics], ticks)
    for t, tick in zip(topics, axes[0][0].get_yticklabels(), strict=True):
        if grey[t]:
            tick.set_color("#888888")
    # One legend below the panels, where it covers no data.
    handles, names_ = {}, []
    for ax in axes[0]:
        for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
            if lab not in handles:
                handles[lab] = h
                names_.append(lab)
    # One label, under the middle panel (narrow panels; a supxlabel would meet the legend).
    axes[0][len(groups) // 2].set_xlabel("Difference in mean topic share")
    F.legend_below(fig, [handles[n] for n in names_], names_, ncols=min(len(names_), 3))
    return fig


def stability_plot(stab: pd.DataFrame, labels, threshold: float):
    """Horizontal bars of each topic's stability; unstable topics grey and hatched."""
    k = len(stab)
    fig, axes = F.figure_make(F.WIDTH_FULL_IN, 0.17 * k + 0.7)
    ax = axes[0, 0]
    y = np.arange(k)[::-1]
    unstable = stab["unstable"].to_numpy()
    colors = np.where(unstable, UNSTABLE_COLOR, STABLE_COLOR)
    bars = ax.barh(y, stab["stability_jaccard"], color=colors)
    for bar, u in zip(bars, unstable, strict=True):
        if u:
            bar.set_hatch("//")
    ax.axvline(threshold, color="#d95f02", linestyle="--", linewidth=1)
    ax.set_yticks(y)
    values = stab["stability_jaccard"]
    ax.set_yticklabels([label_flag(lb, u, v) for lb, u, v in
                        zip(labels, unstable, values, strict=True)])  # fmt: skip
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.6, k - 0.4)
    ax.set_xlabel("Mean matched Jaccard similarity of top words across seeds")
    return fig


def prevalence_heatmap(prev: pd.DataFrame, grouping: str = "actor_level"):
    """Heat map of mean topic share, topics x groups of ``grouping``, values annotated."""
    d = prev[prev["grouping"] == grouping]
    stab = d["stability"] if "stability" in d else [None] * len(d)
    d = d.assign(name=[label_flag(a, b, s) for a, b, s in
                       zip(d["label"], d["unstable"], stab, strict=True)])  # fmt: skip
    mat = d.pivot_table(index=["topic", "name"], columns="group", values="share_mean", sort=True)
    unstable = d.groupby("topic")["unstable"].first().reindex(mat.index.get_level_values(0))
    fig, axes = F.figure_make(F.WIDTH_FULL_IN, 0.2 * mat.shape[0] + 1.0)
    ax = axes[0, 0]
    shown = np.where(unstable.to_numpy()[:, None], np.nan, mat.to_numpy())
    # Unstable topics are greyed: their whole row is drawn flat grey, values still written.
    grey_rows = np.broadcast_to(unstable.to_numpy()[:, None], mat.shape)
    ax.imshow(np.where(grey_rows, 1.0, np.nan), cmap="Greys", vmin=0, vmax=5, aspect="auto")
    im = ax.imshow(shown, cmap="Blues", aspect="auto", vmin=0)
    ax.set_xticks(range(mat.shape[1]), [str(c) for c in mat.columns])
    ax.set_yticks(range(mat.shape[0]), [n for _, n in mat.index])
    vmax = np.nanmax(shown) if np.isfinite(shown).any() else 1
    for (i, j), v in np.ndenumerate(mat.to_numpy()):
        if np.isfinite(v):
            ax.text(
                j,
                i,
                f"{v:.2f}",
                ha="center",
                va="center",
                fontsize=F.FONT_MIN_PT,
                color="white" if v > 0.6 * vmax and not unstable.iloc[i] else "black",
            )
    fig.colorbar(im, ax=ax, label="Mean topic share", shrink=0.9)
    ax.set_xlabel(grouping.replace("_", " "))
    return fig


def prevalence_trends(
    prev: pd.DataFrame, grouping: str = "year", ncols: int = 4, min_docs: int = 1
):
    """Small multiples: mean share per group value (e.g. year) per topic, with the interval.

    Args:
        prev: output of ``topics_prevalence``.
        grouping: the numeric grouping to plot along x.
        ncols: panels per row.
        min_docs: group values with fewer documents are not drawn (a year with one or two
            documents is noise and stretches the axis); the table keeps them.

    Returns:
        The figure.
    """
    d = prev[(prev["grouping"] == grouping) & (prev["n_docs"] >= min_docs)].copy()
    d["x"] = pd.to_numeric(d["group"], errors="coerce")
    topics = sorted(d["topic"].unique())
    if not topics:
        # An undated corpus (or no year with min_docs documents) still gets its figure.
        fig, axes = F.figure_make(F.WIDTH_SINGLE_IN, 1.2)
        axes[0, 0].set_axis_off()
        axes[0, 0].text(0.5, 0.5, f"no {grouping} with at least\n{min_docs} documents",
                        ha="center", va="center")  # fmt: skip
        return fig
    ncols = max(1, min(ncols, len(topics)))
    nrows = int(np.ceil(len(topics) / ncols))
    fig, axes = F.figure_make(F.WIDTH_FULL_IN, 1.35 * nrows + 0.4, nrows, ncols, sharex=True,
                              sharey=True)  # fmt: skip
    for ax, t in zip(axes.ravel(), topics, strict=False):
        s = d[d["topic"] == t].sort_values("x")
        u = bool(s["unstable"].iloc[0])
        color = "#999999" if u else STABLE_COLOR
        ax.fill_between(s["x"], s["ci_low"], s["ci_high"], color=color, alpha=0.25, linewidth=0)
        ax.plot(s["x"], s["share_mean"], marker=".", ms=3, color=color, ls="--" if u else "-")
        # The unstable marker goes on its own line so long labels stay inside the panel.
        head = s["label"].iloc[0]
        if "stability" in s:
            head += f" ({s['stability'].iloc[0]:.2f})"
        head = textwrap.fill(head, 24, max_lines=2, placeholder="...")  # 1.75 in wide
        ax.set_title(head + ("\n" + UNSTABLE_SUFFIX.strip() if u else ""), loc="left")
        ax.tick_params(labelbottom=True)
        ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
    for ax in axes.ravel()[len(topics) :]:
        ax.set_visible(False)
    fig.supylabel("Mean topic share")
    return fig
