"""Figures of the topic-model notebook: k selection, stability, prevalence heat map, trends.

Every figure that names topics marks unstable ones (label suffix " [unstable]", grey or
hatched), so a reader never interprets a topic that did not survive a change of seed.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

UNSTABLE_SUFFIX = " [unstable]"


def label_flag(label: str, unstable: bool) -> str:
    """Return the label with the unstable marker appended when the topic is unstable."""
    return f"{label}{UNSTABLE_SUFFIX}" if unstable else label


def selection_plot(grid: pd.DataFrame, k_chosen: int):
    """Plot mean NPMI, mean UMass and held-out perplexity against k; mark the chosen k."""
    panels = [("npmi_mean", "NPMI (mean)"), ("umass_mean", "UMass (mean)")]
    if grid["perplexity_heldout"].notna().any():
        panels.append(("perplexity_heldout", "Held-out perplexity"))
    fig, axes = plt.subplots(1, len(panels), figsize=(3.2 * len(panels), 2.8), squeeze=False)
    for ax, (col, title) in zip(axes[0], panels, strict=True):
        ax.plot(grid["k"], grid[col], marker="o", color="#333333")
        ax.axvline(k_chosen, color="#d95f02", linestyle="--", linewidth=1)
        ax.set_title(title)
        ax.set_xlabel("k (topics)")
        ax.set_xticks(grid["k"])
    fig.tight_layout()
    return fig


def stability_plot(stab: pd.DataFrame, labels, threshold: float):
    """Horizontal bars of each topic's stability; unstable topics grey and hatched."""
    k = len(stab)
    fig, ax = plt.subplots(figsize=(6.5, 0.35 * k + 1.2))
    y = np.arange(k)[::-1]
    unstable = stab["unstable"].to_numpy()
    colors = np.where(unstable, "#bbbbbb", "#1b9e77")
    bars = ax.barh(y, stab["stability_jaccard"], color=colors)
    for bar, u in zip(bars, unstable, strict=True):
        if u:
            bar.set_hatch("//")
    ax.axvline(threshold, color="#d95f02", linestyle="--", linewidth=1)
    ax.set_yticks(y)
    ax.set_yticklabels([label_flag(lb, u) for lb, u in zip(labels, unstable, strict=True)])
    ax.set_xlim(0, 1)
    ax.set_xlabel("Mean matched Jaccard similarity of top words across seeds")
    fig.tight_layout()
    return fig


def prevalence_heatmap(prev: pd.DataFrame, grouping: str = "actor_level"):
    """Heat map of mean topic share, topics x groups of ``grouping``, values annotated."""
    d = prev[prev["grouping"] == grouping]
    d = d.assign(name=[label_flag(a, b) for a, b in zip(d["label"], d["unstable"], strict=True)])
    mat = d.pivot_table(index=["topic", "name"], columns="group", values="share_mean", sort=True)
    fig, ax = plt.subplots(figsize=(1.2 * mat.shape[1] + 4, 0.35 * mat.shape[0] + 1.4))
    im = ax.imshow(mat.to_numpy(), cmap="Blues", aspect="auto", vmin=0)
    ax.set_xticks(range(mat.shape[1]), [str(c) for c in mat.columns])
    ax.set_yticks(range(mat.shape[0]), [n for _, n in mat.index])
    vmax = np.nanmax(mat.to_numpy()) if mat.size else 1
    for (i, j), v in np.ndenumerate(mat.to_numpy()):
        if np.isfinite(v):
            ax.text(
                j,
                i,
                f"{v:.2f}",
                ha="center",
                va="center",
                fontsize=9,
                color="white" if v > 0.6 * vmax else "black",
            )
    fig.colorbar(im, ax=ax, label="Mean topic share")
    ax.set_xlabel(grouping.replace("_", " "))
    fig.tight_layout()
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
        fig, ax = plt.subplots(figsize=(6, 1.5))
        ax.set_axis_off()
        ax.text(0.5, 0.5, f"no {grouping} with at least {min_docs} documents", ha="center")
        return fig
    ncols = max(1, min(ncols, len(topics)))
    nrows = int(np.ceil(len(topics) / ncols))
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(3.2 * ncols, 2.3 * nrows + 0.4),
        sharex=True,
        sharey=True,
        squeeze=False,
    )
    for ax, t in zip(axes.ravel(), topics, strict=False):
        s = d[d["topic"] == t].sort_values("x")
        u = bool(s["unstable"].iloc[0])
        color = "#999999" if u else "#1b9e77"
        ax.fill_between(s["x"], s["ci_low"], s["ci_high"], color=color, alpha=0.25, linewidth=0)
        ax.plot(s["x"], s["share_mean"], marker=".", color=color, linestyle="--" if u else "-")
        # The unstable marker goes on its own line so long labels stay inside the panel.
        ax.set_title(s["label"].iloc[0] + ("\n" + UNSTABLE_SUFFIX.strip() if u else ""), fontsize=9)
    for ax in axes.ravel()[len(topics) :]:
        ax.set_visible(False)
    fig.supylabel("Mean topic share")
    fig.tight_layout()
    return fig
