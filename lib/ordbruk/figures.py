"""Figures at print size: the widths, fonts, colours and checks every plotting module uses.

A journal prints a figure one column wide (about 3.5 in) or across the text (about 7 in)
and asks for text of at least 7 pt at that size. Every figure of ordbruk is drawn at one
of the two widths (``WIDTH_SINGLE_IN``, ``WIDTH_FULL_IN``) with constrained layout, so the
saved file is the printed size and no label falls outside it; ``report.recorder`` saves
it as SVG, PDF and PNG (``FIGURE_DPI``) and shows it in the HTML at that size. A figure
taller than ``HEIGHT_MAX_IN`` is split into pages or drawn as small multiples instead.

Colours: the Okabe and Ito (2008) palette (colour-blind safe) for the first eight groups,
then four more of Tol's muted scheme, distinct from them; more than ``GROUPS_MAX`` groups
are drawn as small multiples (one panel per group), never with a repeated colour. A plot
function that leaves something out of a figure (a family without a use, a year with too
few documents) says so with ``note_add``; the Recorder appends those notes to the
figure's method notes, so the notes file and the report say what the figure omits.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from ordbruk.escape import text_clean

WIDTH_SINGLE_IN = 3.5  # one journal column
WIDTH_FULL_IN = 7.0  # the full text width
WIDTHS_IN = (WIDTH_SINGLE_IN, WIDTH_FULL_IN)
HEIGHT_MAX_IN = 9.0  # a page under its caption; taller figures are split
FONT_MIN_PT = 7.0  # the smallest text at print size
FONT_PT = 8.0  # axis labels and titles
FIGURE_DPI = 300  # the PNG file; SVG and PDF keep vectors and text
HTML_DPI = 150  # the copy embedded in a report: sharp on a 2x screen, a third of the bytes
GROUPS_MAX = 12  # distinct colours; more groups are drawn as small multiples
#: Okabe-Ito (black last), then Tol's wine, olive, teal-grey and brown.
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
    "#882255", "#999933", "#6F8FAF", "#661100",
)  # fmt: skip
MARKERS = "osD^v<>PXhp*"  # one per colour, so a figure reads in black and white
LINESTYLES = ("-", "--", ":", "-.")
_NOTES_ATTR = "_ordbruk_notes"


def rc_params() -> dict:
    """Return the matplotlib rcParams of a print-size figure (fonts >= ``FONT_MIN_PT``)."""
    return {
        "font.size": FONT_PT,
        "axes.titlesize": FONT_PT,
        "axes.labelsize": FONT_PT,
        "xtick.labelsize": FONT_MIN_PT,
        "ytick.labelsize": FONT_MIN_PT,
        "legend.fontsize": FONT_MIN_PT,
        "legend.title_fontsize": FONT_MIN_PT,
        "figure.titlesize": FONT_PT + 1,
        "figure.labelsize": FONT_PT,
        "figure.figsize": (WIDTH_FULL_IN, 3.0),
        "figure.constrained_layout.use": True,
        "figure.constrained_layout.w_pad": 0.06,  # inches: no label touches the edge
        "figure.constrained_layout.h_pad": 0.06,
        "savefig.dpi": FIGURE_DPI,
        # Hinting makes text wider at higher resolution (2.5 % from 100 to 300 dpi): a
        # layout measured at one dpi then cut labels at another. Unhinted, text measures
        # the same at every dpi, so the PNG, its 150 dpi copy, SVG and PDF share a layout.
        "text.hinting": "no_hinting",
        "pdf.fonttype": 42,  # TrueType in the PDF: journals refuse Type 3 fonts
        "lines.linewidth": 1.0,
        "lines.markersize": 4.0,
        "axes.linewidth": 0.6,
        "xtick.major.width": 0.6,
        "ytick.major.width": 0.6,
    }


def figure_make(width: float = WIDTH_FULL_IN, height: float = 3.0, nrows=1, ncols=1, **kw):
    """Return ``fig, axes`` (a 2-D array) at a print width, constrained layout.

    Args:
        width: ``WIDTH_SINGLE_IN`` or ``WIDTH_FULL_IN``.
        height: inches; clipped to [1.2, ``HEIGHT_MAX_IN``].
        nrows: rows of the grid.
        ncols: columns of the grid.
        **kw: passed to ``plt.subplots`` (sharex, sharey).
    """
    height = float(min(max(height, 1.2), HEIGHT_MAX_IN))
    return plt.subplots(
        nrows, ncols, figsize=(width, height), squeeze=False, layout="constrained", **kw
    )


def group_colors(groups) -> dict:
    """Return ``{group: colour}`` in order; colours repeat only beyond ``GROUPS_MAX``."""
    return {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}


def group_style(i: int) -> dict:
    """Colour, marker and line style of the i-th group (distinct up to ``GROUPS_MAX``)."""
    return {
        "color": PALETTE[i % len(PALETTE)],
        "marker": MARKERS[i % len(MARKERS)],
        "ls": LINESTYLES[i % len(LINESTYLES)],
    }


def style_handles(names) -> list:
    """Legend handles (marker and line) for ``group_style`` of each name, in order."""
    return [
        Line2D([], [], color=st["color"], marker=st["marker"], ls=st["ls"], ms=3)
        for st in (group_style(i) for i in range(len(names)))
    ]


def legend_below(fig, handles, labels, title: str | None = None, ncols: int | None = None):
    """One legend for the whole figure, below the axes, where it covers no data."""
    if not handles:
        return None
    ncols = ncols or min(len(labels), 4)
    return fig.legend(handles, labels, loc="outside lower center", ncols=ncols, title=title,
                      frameon=False)  # fmt: skip


def log_axis(ax, axis: str = "x", subs=(1.0, 2.0, 5.0)) -> None:
    r"""A log scale whose tick labels are plain numbers with separators (1, 10, 1,000).

    Matplotlib's default log labels are mathtext, which the Recorder turns off (a label
    is text, never math), so they would show as ``$\mathdefault{10^{1}}$``.
    """
    target = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    target.set_major_locator(LogLocator(base=10, subs=subs))  # 1, 2, 5: labels in a decade
    target.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else f"{v:g}"))
    target.set_minor_formatter(NullFormatter())


def jitter(n: int, width: float = 0.3, seed: int = 0) -> np.ndarray:
    """Deterministic jitter in [-width/2, width/2] for n points (a strip plot)."""
    return (np.random.default_rng(seed).random(n) - 0.5) * width


def years_span(years, n_docs, min_docs: int) -> tuple[int, int, list[int]] | None:
    """The run of years a trend axis shows, and the years left out of it.

    From the first to the last year with enough documents; the years outside it are
    returned to be noted, not drawn.

    Args:
        years: a year per row.
        n_docs: the documents of that row (summed per year).
        min_docs: a year with fewer documents in total does not stretch the axis.

    Returns:
        ``(first, last, outside)`` or None when no year has ``min_docs`` documents.
    """
    y = np.asarray(years, dtype=float)
    n = np.asarray(n_docs, dtype=float)
    ok = np.isfinite(y)
    if not ok.any():
        return None
    totals = {int(v): 0.0 for v in y[ok]}
    for v, k in zip(y[ok], n[ok], strict=True):
        totals[int(v)] += k
    dense = sorted(v for v, k in totals.items() if k >= min_docs)
    if not dense:
        return None
    first, last = dense[0], dense[-1]
    return first, last, sorted(v for v in totals if v < first or v > last)


def pages(items: list, per_page: int) -> list[list]:
    """Split items into pages of at most ``per_page`` (one figure each)."""
    per_page = max(1, per_page)
    return [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]


def figure_save(fig, stem: Path, hashsalt: str) -> bytes:
    """Write ``<stem>.svg``, ``.pdf`` and ``.png`` (``FIGURE_DPI``) at the figure's size.

    Labels are drawn as text, never mathtext (a ``$`` is a dollar), without control
    characters (XML allows none). A fixed hash salt and no date make the SVG and PDF
    byte-identical between runs; no tight bounding box, so the file is the printed size.

    Returns:
        The PNG at ``HTML_DPI`` for the report (sharp on a 2x screen at print size, a
        third of the bytes of the file).
    """
    for text in fig.findobj(Text):
        text.set_parse_math(False)
        text.set_text(text_clean(text.get_text()))
    svg, pdf, png, shown = io.StringIO(), io.BytesIO(), io.BytesIO(), io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": hashsalt, "text.parse_math": False}):
        # Laid out once (unhinted text measures the same at every dpi, see rc_params);
        # the other three files share that layout (half the time).
        fig.savefig(png, format="png", dpi=FIGURE_DPI)
        fig.set_layout_engine("none")
        fig.savefig(svg, format="svg", metadata={"Date": None})
        fig.savefig(pdf, format="pdf", metadata={"CreationDate": None, "ModDate": None})
        fig.savefig(shown, format="png", dpi=HTML_DPI)
    stem = Path(stem)  # a name may hold a dot: append, never with_suffix
    Path(f"{stem}.svg").write_text(text_clean(svg.getvalue()), encoding="utf-8")
    Path(f"{stem}.pdf").write_bytes(pdf.getvalue())
    Path(f"{stem}.png").write_bytes(png.getvalue())
    return shown.getvalue()


def note_add(fig, text: str) -> None:
    """Attach a sentence (Markdown, values escaped) for the figure's method notes."""
    setattr(fig, _NOTES_ATTR, [*getattr(fig, _NOTES_ATTR, []), text])


def notes_of(fig) -> str:
    """The sentences ``note_add`` attached, as one paragraph ("" when none)."""
    return " ".join(getattr(fig, _NOTES_ATTR, []))


def _texts_visible(fig, problems: list):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()  # creates the tick labels and runs the layout
    problems += [f"layout: {w.message}" for w in caught if "layout" in str(w.message)]
    ticks, drawn, hidden = set(), set(), set()
    for ax in fig.axes:
        if not ax.get_visible():  # its axis labels have no .axes: collect them here
            hidden |= {id(t) for t in ax.findobj(Text)}
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                labels = {id(tick.label1), id(tick.label2)}
                ticks |= labels
                if lo - 1e-9 * (hi - lo) <= tick.get_loc() <= hi + 1e-9 * (hi - lo):
                    drawn |= labels  # matplotlib draws only the ticks inside the view
    for t in fig.findobj(Text):
        if not t.get_visible() or not t.get_text().strip():
            continue
        if id(t) in hidden or (t.axes is not None and not t.axes.get_visible()):
            continue
        if id(t) in ticks and id(t) not in drawn:
            continue
        yield t


def figure_problems(fig) -> list[str]:
    """Return what keeps a figure from print size ([] for a good figure).

    Its width (not one of ``WIDTHS_IN``), a height over ``HEIGHT_MAX_IN``, text under
    ``FONT_MIN_PT`` or outside the figure, a layout that failed.
    """
    out = []
    w, h = fig.get_size_inches()
    if min(abs(w - x) for x in WIDTHS_IN) > 0.05:
        out.append(f"width {w:.2f} in is not one of {WIDTHS_IN}")
    if h > HEIGHT_MAX_IN + 0.05:
        out.append(f"height {h:.2f} in is over {HEIGHT_MAX_IN}")
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    for t in _texts_visible(fig, out):
        if t.get_fontsize() < FONT_MIN_PT - 1e-6:
            out.append(f"text {t.get_text()[:30]!r} at {t.get_fontsize():.1f} pt")
        e = t.get_window_extent(renderer)
        if e.x0 < box.x0 - 2 or e.x1 > box.x1 + 2 or e.y0 < box.y0 - 2 or e.y1 > box.y1 + 2:
            out.append(f"text {t.get_text()[:30]!r} outside the figure")
    return out
