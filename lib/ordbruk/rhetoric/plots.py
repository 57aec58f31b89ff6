"""Figures of the rhetoric comparison: keywords, Fightin' Words and rhetorical markers.

Each function takes a table computed by ``ordbruk.rhetoric.keyness``, ``ordbruk.rhetoric.fightin_words`` or
``ordbruk.rhetoric.markers`` and returns matplotlib figures at print size
(``ordbruk.figures``), which a notebook hands to ``report.Recorder.figure`` (a list of
pages to ``figures.figures_record``). Blue marks the first group of a comparison and
orange the second (Okabe-Ito colours); pale bars and hollow points mark results that
fail the significance threshold or rest on too few documents or actors.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import to_rgba

from ordbruk import figures as F

PANELS_PER_PAGE = 6  # keyword panels per figure: 2 across, 3 down fit a page


def _panels(n: int, ncol: int, panel_height: float):
    ncol = max(1, min(n, ncol))
    nrow = -(-n // ncol)
    width = F.WIDTH_SINGLE_IN if ncol == 1 else F.WIDTH_FULL_IN
    fig, axes = F.figure_make(width, panel_height * nrow + 0.2, nrow, ncol)
    for ax in axes.ravel()[n:]:
        ax.set_visible(False)
    return fig, axes.ravel()


def keywords_plot(top: pd.DataFrame, n: int = 10) -> list:
    """Bar charts of the top keywords each way, one panel per comparison, sorted by Log Ratio.

    Args:
        top: from ``ordbruk.rhetoric.keyness.keywords_top`` (the top terms each way by G2).
        n: terms per direction shown (the first n of each direction by G2).

    Returns:
        A list of figures (pages of ``PANELS_PER_PAGE`` comparisons). The bars show the
        Log Ratio and are sorted by it, so the order is the order of what is drawn.
        Solid bars pass the whole rule (``passes`` of ``keywords_pass``: test, size,
        actors and genres), pale bars do not.
    """
    pairs = list(dict.fromkeys(zip(top["group_a"], top["group_b"], strict=True))) or [("", "")]
    figs = []
    for page in F.pages(pairs, PANELS_PER_PAGE):
        fig, axes = _panels(len(page), 2, 0.115 * 2 * n + 0.55)
        for ax, (ga, gb) in zip(axes, page, strict=False):
            sub = top[(top["group_a"] == ga) & (top["group_b"] == gb)]
            up = sub[sub["g2"] > 0].head(n)
            down = sub[sub["g2"] < 0].head(n)
            sub = pd.concat([down, up]).sort_values("log_ratio", kind="stable")
            # One barh call with per-bar RGBA: one artist per panel keeps saving fast.
            colors = [
                to_rgba("#0072B2" if g > 0 else "#D55E00", 1.0 if p else 0.35)
                for g, p in zip(sub["g2"], sub["passes"], strict=True)
            ]
            y = np.arange(len(sub))
            ax.barh(y, sub["log_ratio"], color=colors, height=0.75)
            ax.set_yticks(y, sub["term"])
            ax.set_ylim(-0.6, max(len(sub), 1) - 0.4)
            ax.axvline(0, color="black", lw=0.6)
            ax.set_xlabel("Log Ratio (log2 of relative frequency)")
            ax.set_title(f"{ga} (blue) vs {gb} (orange)", loc="left")
            if sub.empty:
                ax.text(0.5, 0.5, "no term passes the filters", ha="center",
                        transform=ax.transAxes)  # fmt: skip
        figs.append(fig)
    return figs


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
    fig, axes = F.figure_make(F.WIDTH_FULL_IN, 4.2)
    ax = axes[0, 0]
    strong = np.abs(z) >= z_line
    # Thousands of grey points: rasterised, so the SVG stays small and fast to write.
    ax.scatter(x[~strong], z[~strong], s=4, color="#999999", alpha=0.5, lw=0, rasterized=True)
    ax.scatter(x[strong], z[strong], s=6, c=np.where(z[strong] > 0, "#0072B2", "#D55E00"), lw=0)
    for zl in (z_line, -z_line):
        ax.axhline(zl, color="black", lw=0.5, ls="--")
    span = (np.nanmax(z) - np.nanmin(z)) if len(z) else 1.0
    xmax = x.max() if len(x) else 1.0
    for sign in (1, -1):
        idx = np.argsort(-sign * z)[:label_n]
        idx = idx[sign * z[idx] > 0]
        if not len(idx):
            continue
        ty = sign * _labels_spread(sign * z[idx], gap=span / 20)  # 7 pt lines apart
        # Plain text and leader lines: cheaper to lay out than annotate() with arrows.
        for i, yy in zip(idx, ty, strict=True):
            ax.plot([x[i], xmax + 0.22], [z[i], yy], color="#888888", lw=0.4)
            ax.text(xmax + 0.25, yy, fw["term"].iloc[i], va="center")
    ax.set_xlim(right=xmax + 1.2)
    ax.set_xlabel("log10 frequency in both groups")
    ax.set_ylabel(f"z (log-odds, informative prior): + {ga}, - {gb}")
    ax.set_title(f"Fightin' Words: {ga} vs {gb}", loc="left")
    return fig


def markers_plot(summary: pd.DataFrame, markers: list[str] | None = None) -> list:
    """Group means with bootstrap confidence intervals, one panel per marker.

    Args:
        summary: from ``markers_by_group``.
        markers: the markers to show, in order (default: every marker of ``summary``,
            in its order).

    Returns:
        A list of figures (pages that fit ``HEIGHT_MAX_IN``); hollow points mark
        descriptive-only groups.
    """
    markers = list(dict.fromkeys(summary["marker"])) if markers is None else markers
    n_groups = max(int(summary.groupby("marker")["group"].nunique().max()), 1) if len(
        summary) else 1  # fmt: skip
    height = 0.5 + 0.13 * n_groups
    per_page = 3 * max(1, int((F.HEIGHT_MAX_IN - 0.3) // height))
    figs = []
    for page in F.pages(markers, per_page):
        fig, axes = _panels(len(page), 3, height)
        for ax, m in zip(axes, page, strict=False):
            sub = summary[summary["marker"] == m].reset_index(drop=True)
            y = np.arange(len(sub))[::-1]
            err = np.vstack([sub["mean"] - sub["ci_low"], sub["ci_high"] - sub["mean"]])
            ax.errorbar(sub["mean"], y, xerr=err.clip(min=0), fmt="none", ecolor="#0072B2",
                        lw=0.8)  # fmt: skip
            face = ["white" if d else "#0072B2" for d in sub["descriptive_only"]]
            ax.scatter(sub["mean"], y, s=12, facecolors=face, edgecolors="#0072B2", zorder=3)
            ax.set_yticks(y, sub["group"])
            ax.set_ylim(-0.6, len(sub) - 0.4)
            ax.set_title(m.replace("_", " "), loc="left")
        figs.append(fig)
    return figs
