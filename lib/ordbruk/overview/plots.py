"""Figures of the corpus overview: documents per year, tokens and LIX per document.

Each function takes a table from ``ordbruk.overview.tables`` and returns a matplotlib
figure for ``Recorder.figure``, which writes it as SVG and PNG beside its notes.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd


def documents_plot(counts: pd.DataFrame, x: str = "year", hue: str = "actor_level"):
    """Stacked bars of documents per ``x`` coloured by ``hue``; returns the figure."""
    wide = counts.pivot_table(index=x, columns=hue, values="n_docs", aggfunc="sum", fill_value=0)
    fig, ax = plt.subplots(figsize=(6.5, 3.2))
    bottom = np.zeros(len(wide))
    labels = [str(i) for i in wide.index]
    for col in wide.columns:
        ax.bar(labels, wide[col].to_numpy(), bottom=bottom, label=str(col))
        bottom += wide[col].to_numpy()
    ax.set_xlabel(x.replace("_", " "))
    ax.set_ylabel("documents")
    # Above the axes, so the legend never hides a bar.
    ax.legend(
        title=hue.replace("_", " "),
        frameon=False,
        ncols=min(4, len(wide.columns)),
        loc="lower left",
        bbox_to_anchor=(0, 1.02),
        alignment="left",
    )
    if len(labels) > 12:
        ax.tick_params(axis="x", labelrotation=90)
    ax.yaxis.get_major_locator().set_params(integer=True)
    return fig


def tokens_plot(docs: pd.DataFrame, group_by: str = "actor_level"):
    """Tokens per document by group: one dot per document over a box; returns the figure."""
    groups = sorted(docs[group_by].astype(str).unique())
    fig, ax = plt.subplots(figsize=(6.5, 0.6 + 0.5 * max(len(groups), 2)))
    data = [docs.loc[docs[group_by].astype(str) == g, "n_tokens"].to_numpy() for g in groups]
    ax.boxplot(data, orientation="horizontal", widths=0.5, showfliers=False)
    for i, values in enumerate(data, start=1):
        jitter = np.linspace(-0.12, 0.12, len(values)) if len(values) > 1 else np.zeros(1)
        ax.plot(values, i + jitter, "o", ms=4, alpha=0.7)
    ax.set_yticks(range(1, len(groups) + 1), groups)
    ax.set_xlabel("tokens per document (after cleaning)")
    return fig


def lix_plot(docs: pd.DataFrame, group_by: str = "actor_level"):
    """LIX per document by group with the reading-guide bands shaded; returns the figure."""
    groups = sorted(docs[group_by].astype(str).unique())
    fig, ax = plt.subplots(figsize=(6.5, 0.6 + 0.5 * max(len(groups), 2)))
    for x0, x1, shade in ((0, 40, 0.0), (40, 50, 0.06), (50, 60, 0.12), (60, 100, 0.18)):
        ax.axvspan(x0, x1, color="black", alpha=shade, lw=0)
    for i, g in enumerate(groups, start=1):
        values = docs.loc[docs[group_by].astype(str) == g, "lix"].dropna().to_numpy()
        ax.plot(values, np.full(len(values), i), "o", ms=5, alpha=0.8)
    ax.set_yticks(range(1, len(groups) + 1), groups)
    ax.set_ylim(0.4, len(groups) + 0.6)
    finite = docs["lix"].dropna()
    ax.set_xlim(
        min(20, finite.min() - 5) if len(finite) else 20,
        max(80, finite.max() + 5) if len(finite) else 80,
    )
    ax.set_xlabel("LIX (shading: 40 normal, 50 difficult, 60 bureaucratic)")
    return fig
