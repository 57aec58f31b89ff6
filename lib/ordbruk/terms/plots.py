"""Figures of the term analysis: where in the documents the terms occur, and trends.

``dispersion_plot`` draws ``concordance.dispersion_positions`` (one strip per family, one
tick per use, documents by date); ``trends_plot`` draws ``trends.terms_trend`` (frequency
per year and group, one panel per family, with the documents behind each point). Both
return a matplotlib Figure for ``report.recorder.Recorder.figure``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd


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
    fig, ax = plt.subplots(
        figsize=(max(4.0, 0.75 * len(families) + 1.5), min(2 + 0.02 * n_docs, 9))
    )
    ax.scatter(x, p["doc_rank"], marker="|", s=25, linewidths=0.7, color="black")
    for i in range(1, len(families)):
        ax.axvline(i, color="0.6", lw=0.6)
    ax.set_xlim(0, len(families))
    ax.set_xticks([i + 0.5 for i in range(len(families))])
    ax.set_xticklabels(families, rotation=45, ha="right")
    ax.set_ylim(n_docs - 0.5, -0.5)
    ax.set_ylabel("documents by date (earliest at top)")
    ax.set_xlabel("position within each document, start to end, per family")
    return fig


def _gaps_broken(s: pd.DataFrame, col: str) -> tuple[np.ndarray, np.ndarray]:
    """Return x, y with NaN inserted where years are missing, so lines do not bridge gaps."""
    x = s["year"].to_numpy(dtype=float)
    y = s[col].to_numpy(dtype=float)
    if len(x) < 2:
        return x, y
    cut = np.flatnonzero(np.diff(x) > 1) + 1
    return np.insert(x, cut, np.nan), np.insert(y, cut, np.nan)


def trends_plot(trend: pd.DataFrame, families: list[str], group_by: str = "actor_level"):
    """Plot frequency per year by group, one panel per family, documents per year below.

    Lines join only points resting on enough documents and break at missing years;
    sparse points (``trend.sparse``) are hollow markers without a line, and a sparse
    point above the highest solid point is drawn at the panel's top edge as a hollow
    triangle, so one tiny year cannot flatten the rest. Groups differ by marker and line
    style as well as colour, so the figure reads in black and white.

    Returns:
        A matplotlib Figure.
    """
    groups = sorted(trend[group_by].astype(str).unique())
    markers, styles = "osDv<>PX", ["-", "--", ":", "-."]
    ncol = 2 if len(families) > 1 else 1
    nrow = int(np.ceil(len(families) / ncol)) + 1
    fig, axes = plt.subplots(nrow, ncol, figsize=(7.2, 2.0 * nrow), squeeze=False, sharex=True)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, fam in zip(axes.flat, families, strict=False):
        t = trend[trend["family"] == fam]
        dense_max = t.loc[~t["sparse"], "freq_per_10k"].max()
        top = 1.15 * dense_max if dense_max > 0 else None
        for j, g in enumerate(groups):
            s = t[t[group_by].astype(str) == g].sort_values("year")
            m, ls, col = markers[j % 8], styles[j % 4], colors[j % len(colors)]
            dense, sparse = s[~s["sparse"]], s[s["sparse"]]
            ax.plot(*_gaps_broken(dense, "freq_per_10k"), ls=ls, lw=1, color=col)
            ax.plot(dense["year"], dense["freq_per_10k"], m, ms=4, color=col)
            y = sparse["freq_per_10k"].to_numpy(dtype=float)
            over = (y > top) if top else np.zeros(len(y), bool)
            ax.plot(sparse["year"][~over], y[~over], m, ms=4, mfc="white", color=col)
            ax.plot(
                sparse["year"][over],
                np.full(over.sum(), top),
                "^",
                ms=5,
                mfc="white",
                color=col,
                clip_on=False,
            )
        ax.set_title(fam, fontsize=10)
        ax.set_ylabel("per 10k tokens", fontsize=8)
        ax.set_ylim(0, top)
        ax.tick_params(labelbottom=True)
    docs = trend.drop_duplicates(["year", group_by])
    last = axes[-1, 0]
    for j, g in enumerate(groups):
        s = docs[docs[group_by].astype(str) == g].sort_values("year")
        x, y = _gaps_broken(s, "n_docs")
        last.plot(
            x, y, markers[j % 8] + styles[j % 4], ms=3, lw=1, label=g, color=colors[j % len(colors)]
        )
    last.set_yscale("log")
    last.set_title("documents per year (behind each point)", fontsize=10)
    last.legend(fontsize=8, frameon=False, ncol=2, title=group_by, title_fontsize=8)
    for ax in axes[-1, 1:]:
        ax.set_visible(False)
    for ax in list(axes.flat)[len(families) : (nrow - 1) * ncol]:
        ax.set_visible(False)
    fig.subplots_adjust(hspace=0.6, wspace=0.3)
    return fig
