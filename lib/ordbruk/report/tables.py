"""Render a report table: a preview of the rows the question is about, the rest hidden.

The table is escaped HTML; every row beyond the preview is embedded (hidden) while a byte
budget lasts, so that the report's own script (``resources/tables.js``, inlined by
``report_write``) can sort, filter and show them all.

Without the script (or in print) the table is the preview: plain HTML, numbers formatted by
``numbers.cell_format``, every header and cell escaped.

The preview (``preview_rows``) shows every group of the grouping a table is about (the first
rows of each group) instead of the first rows of the table, which would show only its first
groups.
"""

from __future__ import annotations

import html
import math
import numbers
import re

import pandas as pd

from ordbruk.escape import text_clean
from ordbruk.numbers import cell_format, columns_format_names

#: Byte budget of a report (HTML file, everything embedded), stated in the README.
REPORT_BUDGET = 5_000_000
#: Bytes of rows beyond the preview that one table may embed for "Show all" and filtering.
TABLE_EMBED_BYTES = 300_000
#: Bytes of tables (all rows embedded) one report may hold; beyond it tables embed only
#: their previews.
REPORT_EMBED_BYTES = 1_000_000
#: A text column whose longest shown cell has more characters than this wraps (at word
#: boundaries, class ``text``); one whose cells have more than LONG_CHARS on average (quotes,
#: example texts, contexts) is a wide column (``text long``).
TEXT_CHARS = 40
LONG_CHARS = 60
#: A column of names without spaces, most holding a digit, longer than this (doc_ids, line
#: ids) is an identifier column (``text ident``) that may break anywhere, also in print.
IDENT_CHARS = 16
#: A grouping with more groups than this is not previewed group by group.
MAX_GROUPS = 60
#: Tables with more columns than this, or with a text column, may use the page's full width.
WIDE_COLUMNS = 6
#: Tables with more columns than this print in a smaller font, to fit the page's width, and
#: show their KEY_COLUMNS (the verdicts) right after their leading text columns.
MANY_COLUMNS = 12
KEY_COLUMNS = ("direction", "passes", "descriptive_only", "consistent")


_WRAP_RE = re.compile(r'<div class="ordbruk-table-wrap[^"]*".*?</table>', re.DOTALL)
_HIDDEN_RE = re.compile(r'<tr hidden(?:="")?>.*?</tr>\n?', re.DOTALL)


def _cell(value, numeric: bool, column: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if numeric or (isinstance(value, numbers.Number) and not isinstance(value, bool)):
        # one number format for every report (ordbruk.numbers), also for a number in a
        # column of mixed types (collocates: 0.12738853503184713); the CSV keeps full values
        return cell_format(value, column)
    return text_clean(value)


def _digits(col: pd.Series) -> float:
    # the share of a column's values that hold a digit
    return float(col.astype(str).str.contains(r"\d", regex=True).mean()) if len(col) else 0.0


def _header(name) -> str:
    # a long column name (n_docs_with_term) may break after its underscores, not elsewhere
    return html.escape(text_clean(name)).replace("_", "_<wbr>")


def groups_guess(df: pd.DataFrame, group_by: str | None = None) -> list[str]:
    """Return the columns a table's preview shows every value of.

    The notebook's ``group_by`` when the table has it, else the table's ``group`` column,
    else its ``group_a`` and ``group_b`` (a pairwise comparison), else none.
    """
    for cols in ([group_by], ["group"], ["group_a", "group_b"]):
        if all(c and c in df for c in cols):
            return cols
    return []


def column_numeric(col: pd.Series) -> bool:
    """Whether a column is shown as numbers (right-aligned, number format, sorted as numbers).

    A numeric dtype that is not bool, or an object column whose every non-missing value is a
    number (not a bool): a table concatenated from an untyped empty part has such columns.
    """
    if pd.api.types.is_bool_dtype(col):
        return False
    if pd.api.types.is_numeric_dtype(col):
        return True
    if col.dtype != object:
        return False
    values = col.dropna()
    return len(values) > 0 and all(
        isinstance(v, numbers.Number) and not isinstance(v, bool) for v in values
    )


def _is_text(col: pd.Series) -> bool:
    return not column_numeric(col) and not pd.api.types.is_bool_dtype(col)


def columns_order(df: pd.DataFrame) -> list:
    """Return the columns in the order a report shows them.

    A table of more than MANY_COLUMNS columns shows its KEY_COLUMNS right after its leading
    non-numeric columns (``group_a, group_b, term``), so the verdict is in view without
    scrolling; the CSV keeps the analysis's order. Other tables keep their order.
    """
    cols = list(df.columns)
    keys = [c for c in KEY_COLUMNS if c in cols]
    if len(cols) <= MANY_COLUMNS or not keys:
        return cols
    lead = 0
    while lead < len(cols) and cols[lead] not in keys and _is_text(df[cols[lead]]):
        lead += 1
    rest = [c for c in cols[lead:] if c not in keys]
    return [*cols[:lead], *keys, *rest]


def _group_columns(df: pd.DataFrame, groups) -> list:
    # the grouping columns of a preview that the table has (a name or a list of names)
    return [c for c in ([groups] if isinstance(groups, str) else groups or []) if c in df]


def preview_rows(df: pd.DataFrame, show: int | None, groups=None) -> list[int]:
    """Return the positions of the rows a report shows before "Show all".

    Args:
        df: the table, in the order the analysis chose.
        show: rows to show (None or 0: all).
        groups: a column (or columns) whose every value the preview shows; absent columns
            are ignored. With ``g`` groups each shows its first ``ceil(show / g)`` rows (at
            least one), so every group appears even when that is more than ``show`` rows.

    Returns:
        Row positions in table order.
    """
    n = len(df)
    if not show or n <= show:
        return list(range(n))
    cols = _group_columns(df, groups)
    if cols:
        keys = df[cols].astype(str).agg("\x1f".join, axis=1) if len(cols) > 1 else df[cols[0]]
        n_groups = keys.nunique(dropna=False)
        if 1 < n_groups <= MAX_GROUPS:
            per = max(1, math.ceil(show / n_groups))
            rank = keys.groupby(keys, sort=False, dropna=False).cumcount().to_numpy()
            return [i for i in range(n) if rank[i] < per]
    return list(range(show))


def preview_caption(n: int, n_shown: int, groups, df: pd.DataFrame, csv: str) -> str:
    """Say how many rows are shown of how many, chosen how, and where the rest is (HTML)."""
    rows = "row" if n == 1 else "rows"
    where = f"all rows in <code>{html.escape(csv)}</code>"
    order = columns_order(df)
    if order != list(df.columns):
        keys = html.escape(text_clean(", ".join(c for c in KEY_COLUMNS if c in order)))
        where += f" (there the columns {keys} come later)"
    if n_shown == n:
        return f"{n:,} {rows}; {where}."
    cols = _group_columns(df, groups)
    how = f"the first {n_shown:,}"
    if cols:
        n_groups = df[cols].drop_duplicates().shape[0]
        if 1 < n_groups <= MAX_GROUPS:
            name = html.escape(text_clean(", ".join(cols)))
            kind = "groups" if len(cols) == 1 else "combinations"
            how = f"the first rows of each of the {n_groups:,} {kind} of {name}"
    return f"Shown: {n_shown:,} of {n:,} {rows} ({how}); {where}."


def table_html(
    df: pd.DataFrame,
    show: int | None = 20,
    groups=None,
    csv: str = "",
    embed_bytes: int = TABLE_EMBED_BYTES,
) -> tuple[str, int, int]:
    """Render a DataFrame as an escaped HTML table for a report.

    Args:
        df: the table.
        show: rows of the preview (None or 0: all); see ``preview_rows``.
        groups: column(s) whose every value the preview shows.
        csv: the table's CSV file, relative to the run folder (named by the table's controls).
        embed_bytes: bytes of rows beyond the preview embedded (hidden) for the controls.

    Returns:
        The HTML (a ``<div class="ordbruk-table-wrap">`` around a ``<table>``; numeric cells
        carry ``class="num"``, long-text cells ``class="text"``), the number of preview rows
        and the number of rows embedded in all.
    """
    df = df[columns_order(df)]
    preview = set(preview_rows(df, show, groups))
    numeric = [column_numeric(df[c]) for c in df.columns]
    shown = df.iloc[sorted(preview)]
    lengths = [
        [] if num else [len(str(v)) for v in shown[c]]
        for c, num in zip(df.columns, numeric, strict=True)
    ]
    text = [max(n, default=0) > TEXT_CHARS for n in lengths]
    # prose (quotes, example texts) is long; a long name without spaces (a doc_id, a URL)
    # is an identifier that may break anywhere in a narrow column; it is never prose
    spaced = [
        not num and (shown[c].astype(str).str.contains(" ", regex=False).mean() >= 0.5)
        for c, num in zip(df.columns, numeric, strict=True)
    ]
    long = [bool(n) and sum(n) / len(n) > LONG_CHARS for n in lengths]
    # so is a shorter one whose names mostly hold a digit (003_77a0207712edbdc5, line ids)
    ident = [
        not num and not sp and (lg or max(n, default=0) > IDENT_CHARS and _digits(shown[c]) >= 0.5)
        for c, num, sp, lg, n in zip(df.columns, numeric, spaced, long, lengths, strict=True)
    ]
    attr = [
        ' class="num"'
        if num
        else ' class="text ident"'
        if idn
        else ' class="text long"'
        if lg
        else ' class="text"'
        if txt
        else ""
        for num, txt, lg, idn in zip(numeric, text, long, ident, strict=True)
    ]
    kwic = "left" in df and "right" in df and bool(attr[df.columns.get_loc("left")])
    if kwic:  # a concordance
        attr[df.columns.get_loc("left")] = ' class="text kwic-left"'

    head = "".join(f"<th{a}>{_header(c)}</th>" for c, a in zip(df.columns, attr, strict=True))
    rows, left = [], embed_bytes
    fmt_names = columns_format_names(df.columns)  # an interval formatted like its estimate
    for i, values in enumerate(df.itertuples(index=False, name=None)):
        more = i not in preview
        if more and left <= 0:
            continue
        cells = "".join(
            f"<td{a}>{html.escape(_cell(v, bool(num), c))}</td>"
            for v, a, num, c in zip(values, attr, numeric, fmt_names, strict=True)
        )
        row = f"<tr hidden>{cells}</tr>" if more else f"<tr>{cells}</tr>"
        if more:
            left -= len(row.encode("utf-8"))
        rows.append(row)
    wide = " wide" if len(df.columns) > WIDE_COLUMNS or any(text) else ""
    wide += " many" if len(df.columns) > MANY_COLUMNS else ""
    # printed on a landscape page: many columns, or a concordance (two contexts and columns
    # of long compounds, wider than a portrait page when words break only between letters
    # of a word too long for its cell; seen on policy-sv)
    wide += " landscape" if len(df.columns) > MANY_COLUMNS or kwic else ""
    body = "\n".join(rows)
    out = (
        f'<div class="ordbruk-table-wrap{wide}" data-total="{len(df)}" '
        f'data-csv="{html.escape(csv)}">\n<table class="ordbruk-table">\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n</div>"
    )
    return out, len(preview), len(rows)


def budget_fit(page: str, budget: int = REPORT_BUDGET) -> tuple[str, int]:
    """Drop the hidden rows (those beyond a preview) of a report's tables until it fits.

    The tables with the most bytes of hidden rows lose them first; a table without them
    still shows its preview and names its CSV, and its "Show all" button goes away.

    Args:
        page: the report's HTML.
        budget: its byte budget.

    Returns:
        The page and the number of tables whose hidden rows were dropped.
    """
    size = len(page.encode("utf-8"))
    if size <= budget:
        return page, 0
    spans = []
    for m in _WRAP_RE.finditer(page):
        hidden = sum(len(h.group(0).encode("utf-8")) for h in _HIDDEN_RE.finditer(m.group(0)))
        if hidden:
            spans.append((hidden, m.start(), m.end()))
    drop = set()
    for hidden, start, _ in sorted(spans, reverse=True):
        if size <= budget:
            break
        drop.add(start)
        size -= hidden
    parts, last = [], 0
    for _, start, end in sorted(spans, key=lambda t: t[1]):
        if start in drop:
            parts += [page[last:start], _HIDDEN_RE.sub("", page[start:end])]
            last = end
    return "".join(parts) + page[last:], len(drop)
