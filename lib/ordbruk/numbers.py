"""One number format for every report: prose, tables, captions and the index.

Reports are read by people, so numbers are rounded for reading here and only here; the CSV
files keep full values. The rules (issue 13):

- counts have thousands separated by a comma (``1,626,020``);
- shares (fractions 0-1) are shown as percentages (``0.2732`` -> ``27.3%``; below 1 % two
  significant digits, ``0.0027`` -> ``0.27%``);
- p-values are in scientific notation with two significant digits (``3.1e-05``);
- other numbers have four significant digits, from 1,000 on in full with separators
  (``1,747``, never ``1747`` beside a count of ``2,374``, never ``1e+04``).

A table column is formatted by its name (``cell_format``): ``p``, ``p_*`` and ``*_p`` are
p-values; a column whose name has the word ``share`` is a share; a column named ``seed``,
``year`` or ending in ``_seed``, ``_year`` or ``_id`` holds labels, shown as plain integers
(``20261122``, ``2015``, never ``2,015``); whole numbers are counts. A few rules look at
the whole table (``columns_format_names``): an interval is formatted like its estimate, and
a difference of two mean shares is shown in percentage points (``11.6 pp``).
"""

from __future__ import annotations

import math
import numbers
import re

_P_WORDS = {"p", "pvalue", "pval"}
_LABEL_WORDS = {"seed", "year", "id"}
#: The prefix ``columns_format_names`` gives a difference of shares (percentage points).
_POINTS = "points"


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(isinstance(value, float) and math.isnan(value)) or str(value) in {"NaT", "<NA>"}
    except (TypeError, ValueError):
        return False


def count_format(n) -> str:
    """Format a count with thousands separated by commas (``1626020`` -> ``1,626,020``)."""
    if _missing(n):
        return ""
    return f"{round(float(n)):,}" if not isinstance(n, numbers.Integral) else f"{int(n):,}"


def count_noun(n, singular: str, plural: str = "") -> str:
    """Format a count with its noun in the right number (``1 document``, ``1,626 documents``)."""
    return f"{count_format(n)} {singular if n == 1 else (plural or singular + 's')}"


def share_format(x, digits: int = 1) -> str:
    """Format a share (a fraction between 0 and 1) as a percentage.

    Args:
        x: the share.
        digits: decimals for shares of 1 % and more.

    Returns:
        ``"27.3%"`` for 0.2732, ``"0.27%"`` for 0.0027, ``"0%"`` for 0.
    """
    if _missing(x):
        return ""
    pct = float(x) * 100
    if pct == 0:
        return "0%"
    if abs(pct) < 1:
        return f"{pct:.2g}%"
    return f"{pct:.{digits}f}%"


def points_format(x, digits: int = 1) -> str:
    """Format a difference of shares in percentage points, like ``share_format`` a share.

    ``0.1161`` -> ``"11.6 pp"``, ``-0.031`` -> ``"-3.1 pp"``, ``0.0027`` -> ``"0.27 pp"``.
    """
    text = share_format(x, digits)
    return text[:-1] + " pp" if text else ""


def p_format(p) -> str:
    """Format a p-value in scientific notation with two significant digits (``3.1e-05``)."""
    if _missing(p):
        return ""
    return f"{float(p):.1e}"


def number_format(x) -> str:
    """Format any number for reading: counts with separators, others to 4 significant digits."""
    if _missing(x):
        return ""
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, numbers.Integral):
        return count_format(x)
    value = float(x)
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if 1e3 <= abs(value) < 1e15:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def column_kind(column: str) -> str:
    """Return how a column is formatted by its name: ``"p"``, ``"share"``, ``"label"``, ...

    ... ``"number"``, or ``"points"`` (the name ``columns_format_names`` gives a difference
    of shares).
    """
    words = str(column).lower().split("_")
    if words[0] == _POINTS:
        return "points"
    if words[0] in _P_WORDS or words[-1] in _P_WORDS:
        return "p"
    if words[-1] in _LABEL_WORDS:
        return "label"
    if "share" in words:
        return "share"
    return "number"


def cell_format(value, column: str = "") -> str:
    """Format one table cell by its column's name (see the module docstring)."""
    if _missing(value):
        return ""
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        return str(value)
    kind = column_kind(column)
    if kind == "p":
        return p_format(value)
    if kind == "share":
        return share_format(value)
    if kind == "points":
        return points_format(value)
    if kind == "label":  # a seed or a year: never separated
        return str(int(value)) if float(value).is_integer() else f"{float(value):g}"
    return number_format(value)


#: Columns holding an interval's bounds; they are formatted like the estimate beside them.
_BOUNDS = {"ci_low", "ci_high", "ci_lo", "ci_hi"}
#: Estimates that are shares: a table with one of them shows its interval as shares too.
_SHARE_ESTIMATES = {"share", "share_mean", "share_standardised"}
#: The mean shares of two groups: a table with them holds differences of shares.
_SHARE_PAIR = {"share_group", "share_reference"}
#: A difference and its bounds (``diff_adjusted``, ``ci_low_adjusted``, ``ci_high``).
_DIFFERENCE = re.compile(r"(diff|ci_low|ci_high)(_.+)?")


def columns_format_names(columns) -> list[str]:
    """Return, per table column, the name ``cell_format`` formats it by.

    A column's own name, except

    - interval bounds (``ci_low``, ``ci_high``) in a table whose estimate is a share
      (``share``, ``share_mean``, ``share_standardised``): they are shares too, so
      "10.2% (5.0% to 16.0%)" never reads as "10.2% (0.04975 to 0.1603)";
    - differences and their bounds (``diff_*``, ``ci_low_*``, ``ci_high_*``) in a table of
      two groups' mean shares (``share_group`` and ``share_reference``): they are
      differences of shares, shown in percentage points ("11.6 pp", never "0.1161").
    """
    names = [str(c) for c in columns]
    shares = bool(_SHARE_ESTIMATES & set(names))
    points = _SHARE_PAIR <= set(names)
    return [
        f"{_POINTS}_{c}"
        if points and _DIFFERENCE.fullmatch(c)
        else f"share_{c}"
        if shares and c in _BOUNDS
        else c
        for c in names
    ]


def interval_format(estimate, low, high) -> tuple[str, str, str]:
    """Format an estimate and its interval with one number of decimals for all three.

    Three significant digits of the largest of the three absolute values fix the decimals
    (0 to 6), as tables in journals print them: 11.61 (1.467 to 21.76) -> "11.6", "1.5",
    "21.8"; 0.248 (0.07651 to 0.804) -> "0.248", "0.077", "0.804". Missing values are "".
    """
    values = [None if _missing(v) else float(v) for v in (estimate, low, high)]
    present = [abs(v) for v in values if v is not None and math.isfinite(v)]
    top = max(present, default=0.0)
    decimals = 0 if top == 0 else min(6, max(0, 2 - math.floor(math.log10(top))))
    return tuple(
        "" if v is None else number_format(v) if not math.isfinite(v) else f"{v:,.{decimals}f}"
        for v in values
    )  # type: ignore[return-value]
