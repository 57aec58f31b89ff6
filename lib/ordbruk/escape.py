"""Strings from the corpus, the metadata or the parameters, made safe for where they are written.

Every output context has one function here, and the writers call it where a value enters:

- Markdown (method notes, report prose): ``md_escape`` makes a value literal text (no link,
  emphasis, raw HTML or math); ``md_code`` puts it in a code span where that is safe;
  ``md_format`` fills a notes template, escaping every plain ``str`` value and leaving
  ``Md`` values (Markdown the code built: "**Descriptive only**") as they are, so nothing
  is escaped twice. ``md_escape`` of an ``Md`` returns it unchanged.
- Every context (HTML, SVG, CSV, the terminal): ``text_clean`` replaces control characters
  (C0 other than tab and newline, DEL, C1) with U+FFFD; a carriage return becomes a newline.
- CSV: ``csv_cell`` neutralises a cell a spreadsheet would evaluate as a formula (it starts
  with ``=``, ``+``, ``-``, ``@``, tab or carriage return) with a leading apostrophe, as
  OWASP advises; ``csv_cell_restore`` undoes it when ordbruk reads its own CSV back.
"""

from __future__ import annotations

import numbers
import re
import string

import pandas as pd

from ordbruk.numbers import column_kind, count_format

#: Control characters other than tab and newline (C0, DEL, C1).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
REPLACEMENT = "\ufffd"
# ASCII punctuation that means something inline in CommonMark, GFM (tables, strikethrough)
# or nbconvert's Markdown (math between dollars); each may be backslash-escaped.
_MD_INLINE_RE = re.compile(r"([\\`*\[\]!|~$&]|<(?=[A-Za-z/!?]))")  # "<" that opens a tag
# "_" opens or closes emphasis only at a word's edge: "actor_level" stays as it is.
_MD_UNDERSCORE_RE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
# At the start of a line a value could open a block (heading, list, quote, rule).
_MD_BLOCK_RE = re.compile(r"^(?:([#+\-=>])|(\d+)([.)]))")
_CODE_FIELD_RE = re.compile(r"`\{(\w+)\}`")
#: A cell starting with one of these is evaluated by spreadsheets (OWASP: CSV injection).
CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: The sentence a table's notes end with when ``csv_frame`` changed a cell.
CSV_NOTE = (
    "In the CSV file, {n:,} text cell(s) that begin with =, +, -, @, a tab or a carriage "
    "return are written with a leading apostrophe (') so that a spreadsheet shows them as "
    "text instead of evaluating a formula (OWASP); the report shows them as they are."
)


class _Count(int):
    # A count in a notes template: "1,000 resamples" (numbers.count_format) where the field
    # has no format spec of its own; one with a spec ("{n:.0%}") is formatted as asked.
    def __format__(self, spec: str) -> str:
        return count_format(int(self)) if not spec else format(int(self), spec)


class Md(str):
    """Markdown built by ordbruk's code: inserted into a template as it is, never escaped."""

    __slots__ = ()


def text_clean(s) -> str:
    """Return ``s`` as text without control characters (tab and newline kept).

    Args:
        s: any value (``str()`` is taken).

    Returns:
        The text; CR LF and a lone CR become a newline, other control characters U+FFFD.
    """
    s = str(s)
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_RE.sub(REPLACEMENT, s)


def md_escape(s) -> Md:
    """Return a value as Markdown that shows it literally, inline in a sentence.

    Args:
        s: a value from the corpus, the metadata or the parameters; an ``Md`` is returned
            unchanged (already Markdown).

    Returns:
        ``Md``: control characters replaced, line breaks folded into spaces, Markdown
        punctuation backslash-escaped (a ``<`` that could open a tag too, so no raw HTML is
        in the Markdown source either).
    """
    if isinstance(s, Md):
        return s
    s = " ".join(text_clean(s).split("\n"))
    s = _MD_UNDERSCORE_RE.sub(r"\\_", _MD_INLINE_RE.sub(r"\\\1", s))
    s = _MD_BLOCK_RE.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", s)
    return Md(s)


def md_code(s) -> Md:
    """Return a value as a code span (`` `actor_level` ``), or as escaped text.

    Escaped text (``md_escape``) where a code span cannot show the value literally: it holds
    a backtick, ``<``, ``>``, ``&``, ``$``, a line break or a control character, or is empty.
    """
    text = str(s)
    if not text or any(c in text for c in "`<>&$\n") or _CONTROL_RE.search(text):
        return md_escape(text)
    return Md(f"`{text}`")


def md_format(template: str, **values) -> Md:
    """Fill a Markdown template, escaping every value that is a plain ``str``.

    Args:
        template: a ``str.format`` template; a field written as `` `{name}` `` is filled
            with ``md_code(value)``, any other with ``md_escape(value)``.
        **values: the values; ``Md`` values and numbers are inserted as they are, except
            that a whole number (not a seed or year, ``numbers.column_kind``) gets
            thousands separators ("1,000") when its field has no format spec.

    Returns:
        ``Md``.
    """
    names = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    code = set(_CODE_FIELD_RE.findall(template))
    filled = {}
    for key, value in values.items():
        if key in code and key in names and isinstance(value, str):
            filled[key + "__code"] = md_code(value)
        if isinstance(value, str) and not isinstance(value, Md):
            value = md_escape(value)
        elif isinstance(value, numbers.Integral) and not isinstance(value, bool):
            value = _Count(value) if column_kind(key) != "label" else value
        filled[key] = value
    template = _CODE_FIELD_RE.sub(
        lambda m: f"{{{m.group(1)}__code}}" if m.group(1) + "__code" in filled else m.group(0),
        template,
    )
    return Md(template.format(**filled))


def csv_cell(s: str) -> str:
    """Return a text cell in the form a spreadsheet shows as text, never as a formula.

    A leading apostrophe before ``=``, ``+``, ``-``, ``@``, tab or carriage return (also
    after apostrophes, so that ``csv_cell_restore`` is exact).
    """
    return "'" + s if s.lstrip("'").startswith(CSV_TRIGGERS) else s


def csv_cell_restore(s: str) -> str:
    """Undo ``csv_cell``: the value ordbruk had before writing it."""
    return s[1:] if s.startswith("'") and s.lstrip("'").startswith(CSV_TRIGGERS) else s


def csv_frame(df: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Return a table as it is written to CSV, and how many cells were neutralised.

    Args:
        df: the table; not changed.

    Returns:
        A copy with control characters replaced (``text_clean``) and ``csv_cell`` applied in
        every ``str`` cell and header; numbers (negative ones too) stay as they are. The
        count is of cells and headers that ``csv_cell`` changed.
    """
    changed = 0

    def cell(v):
        nonlocal changed
        if not isinstance(v, str):
            return v
        clean = text_clean(v)
        out = csv_cell(clean)
        changed += out is not clean
        return out

    out = df.copy(deep=False)
    for i, col in enumerate(df.columns):
        if df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
            out.isetitem(i, df[col].map(cell))
    out.columns = [cell(c) for c in df.columns]
    return out, changed
