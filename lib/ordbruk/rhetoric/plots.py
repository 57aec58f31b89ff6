"""Figures of the rhetoric comparison: keywords, Fightin' Words and rhetorical markers.

Each function takes a table computed by ``ordbruk.rhetoric.keyness``, ``ordbruk.rhetoric.fightin_words`` or
``ordbruk.rhetoric.markers`` and returns a matplotlib figure, which a notebook hands to
``report.Recorder.figure``. Blue marks the first group of a comparison and orange the
second (Okabe-Ito colours); pale bars and hollow points mark results that fail the
significance threshold or rest on too few documents or actors.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgba


def _panels(n: int, width: float = 4.2, height: float = 3.6):

    ncol = min(n, 3)
    nrow = -(-n // ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(width * ncol, height * nrow), squeeze=False)
    for ax in axes.ravel()[n:]:
        ax.set_visible(False)
    return fig, axes.ravel()


def keywords_plot(top: pd.DataFrame, n: int = 10):
    """Bar chart of the top keywords each way (Log Ratio), one panel per comparison.

    Args:
        top: from ``ordbruk.rhetoric.keyness.keywords_top``.
        n: terms per direction shown.

    Returns:
        The matplotlib figure. Solid bars pass the BH threshold, pale bars do not.
    """
    pairs = list(dict.fromkeys(zip(top["group_a"], top["group_b"], strict=True))) or [("", "")]
    fig, axes = _panels(len(pairs), height=0.22 * 2 * n + 1.2)
    for ax, (ga, gb) in zip(axes, pairs, strict=False):
        sub = top[(top["group_a"] == ga) & (top["group_b"] == gb)]
        up = sub[sub["g2"] > 0].head(n)
        down = sub[sub["g2"] < 0].head(n)
        sub = pd.concat([down.iloc[::-1], up.iloc[::-1]])
        # One barh call with per-bar RGBA: one artist per panel keeps saving fast.
        colors = [
            to_rgba("#0072B2" if g > 0 else "#D55E00", 1.0 if p else 0.35)
            for g, p in zip(sub["g2"], sub["passes"], strict=True)
        ]
        y = np.arange(len(sub))
        ax.barh(y, sub["log_ratio"], color=colors)
        ax.set_yticks(y, sub["term"], fontsize=8)
        ax.axvline(0, color="black", lw=0.6)
        ax.set_xlabel("Log Ratio (log2 of relative frequency)")
        ax.set_title(f"{ga} (blue) vs {gb} (orange)", fontsize=9)
        if sub.empty:
            ax.text(0.5, 0.5, "no term passes the filters", ha="center", transform=ax.transAxes)
    fig.tight_layout()
    return fig


def _labels_spread(ys: np.ndarray, gap: float) -> np.ndarray:
    # Push label positions apart (in sorted order) so that no two are closer than gap.
    order = np.argsort(ys)
    out = ys.astype(float).copy()
    for k in range(1, len(order)):
        prev, cur = order[k - 1], order[k]
        out[cur] = max(out[cur], out[prev] + gap)
    return out


def fightin_words_plot(fw: pd.DataFrame, label_n: int = 10, z_line: float = 1.96):
    """The Monroe et al. plot: z against total frequency, distinctive words labelled.

    Args:
        fw: rows of ``ordbruk.rhetoric.fightin_words.fightin_words_compare`` for one comparison.
        label_n: words labelled on each side (largest |z|).
        z_line: |z| drawn as a dashed reference line.

    Returns:
        The matplotlib figure.
    """
    ga, gb = (fw["group_a"].iloc[0], fw["group_b"].iloc[0]) if len(fw) else ("", "")
    x = np.log10((fw["a"] + fw["b"]).to_numpy(dtype=float).clip(min=1))
    z = fw["z"].to_numpy(dtype=float)
    fig, ax = plt.subplots(figsize=(8, 6))
    strong = np.abs(z) >= z_line
    # Thousands of grey points: rasterised, so the SVG stays small and fast to write.
    ax.scatter(x[~strong], z[~strong], s=6, color="#999999", alpha=0.5, lw=0, rasterized=True)
    ax.scatter(x[strong], z[strong], s=10, c=np.where(z[strong] > 0, "#0072B2", "#D55E00"), lw=0)
    for zl in (z_line, -z_line):
        ax.axhline(zl, color="black", lw=0.5, ls="--")
    span = (np.nanmax(z) - np.nanmin(z)) if len(z) else 1.0
    xmax = x.max() if len(x) else 1.0
    for sign in (1, -1):
        idx = np.argsort(-sign * z)[:label_n]
        idx = idx[sign * z[idx] > 0]
        if not len(idx):
            continue
        ty = sign * _labels_spread(sign * z[idx], gap=span / 32)
        # Plain text and leader lines: cheaper to lay out than annotate() with arrows.
        for i, yy in zip(idx, ty, strict=True):
            ax.plot([x[i], xmax + 0.22], [z[i], yy], color="#888888", lw=0.4)
            ax.text(xmax + 0.25, yy, fw["term"].iloc[i], fontsize=8, va="center")
    ax.set_xlim(right=xmax + 1.2)
    ax.set_xlabel("log10 frequency in both groups")
    ax.set_ylabel(f"z (log-odds, informative prior): + {ga}, - {gb}")
    ax.set_title(f"Fightin' Words: {ga} vs {gb}", fontsize=10)
    fig.tight_layout()
    return fig


def markers_plot(summary: pd.DataFrame, markers: list[str] | None = None):
    """Group means with bootstrap confidence intervals, one panel per marker.

    Args:
        summary: from ``markers_by_group``.
        markers: the markers to show, in order (default: every marker of ``summary``,
            in its order).

    Returns:
        The matplotlib figure; hollow points mark descriptive-only groups.
    """
    markers = list(dict.fromkeys(summary["marker"])) if markers is None else markers
    fig, axes = _panels(len(markers), width=3.4, height=2.6)
    for ax, m in zip(axes, markers, strict=False):
        sub = summary[summary["marker"] == m].reset_index(drop=True)
        y = np.arange(len(sub))
        err = np.vstack([sub["mean"] - sub["ci_low"], sub["ci_high"] - sub["mean"]]).clip(min=0)
        ax.errorbar(sub["mean"], y, xerr=err, fmt="none", ecolor="#0072B2", lw=1)
        face = ["white" if d else "#0072B2" for d in sub["descriptive_only"]]
        ax.scatter(sub["mean"], y, facecolors=face, edgecolors="#0072B2", zorder=3)
        ax.set_yticks(y, sub["group"], fontsize=8)
        ax.set_title(m, fontsize=9)
    fig.tight_layout()
    return fig
