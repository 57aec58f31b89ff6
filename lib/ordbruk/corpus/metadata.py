"""Validate the metadata of a corpus: required columns, unique ids, levels, ISO dates.

Every document needs ``doc_id``, ``actor``, ``actor_level`` and ``date`` (ISO 8601,
reduced precision allowed: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``). A required field may
be empty only where the corpus itself declares the value unknown (``date_precision`` or
``actor_type`` ``unknown``). ``metadata_validate`` adds ``date_precision`` (derived where
the input has none, checked where it has) and ``year`` (nullable Int64). Works on plain
lists of str, one per document, as the readers hand them over; problems go into the
findings given.
"""

from __future__ import annotations

import calendar
import re
import unicodedata

import numpy as np
import pandas as pd

from ordbruk.corpus.problems import Findings

REQUIRED_COLUMNS = ("doc_id", "actor", "actor_level", "date")
PRECISIONS = ("day", "month", "year")
# A required field may be empty only where the corpus itself declares the value unknown
# (both shared corpora do this for a few undated pages and unnamed organisers).
_UNKNOWN_MARKERS = {"date": "date_precision", "actor": "actor_type"}
# ASCII digits only: \d would take Arabic-Indic or fullwidth digits, which int() reads.
_DATE_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
#: Strings that pandas (``read_csv``'s default ``na_values``) and spreadsheets read as a
#: missing value: as a doc_id, the document would lose its id in any table read back.
MISSING_LIKE = frozenset(
    "#N/A|#N/A N/A|#NA|-1.#IND|-1.#QNAN|-NaN|-nan|1.#IND|1.#QNAN|<NA>|N/A|NA|NULL|NaN|None"
    "|n/a|nan|null".split("|")
)
#: Columns ordbruk adds to the metadata of a processed corpus (``text.corpus``): an input
#: column of that name would be replaced without a word.
COMPUTED_COLUMNS = ("n_tokens", "n_words", "n_sentences", "n_paragraphs")


def _date_parse(value: str) -> tuple[str, int | None, str]:
    """Return (precision, year, reason) for a date string; reason is "" when valid."""
    m = _DATE_RE.fullmatch(value)
    if m is None:
        return "", None, "bad format"
    year, month, day = (int(g) if g else None for g in m.groups())
    if year < 1:
        return "", None, "year 0000 does not exist"
    if month is not None and not 1 <= month <= 12:
        return "", None, f"month {month} does not exist"
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return "", None, f"{value[:7]} has no day {day}"
    return ("day" if day else "month" if month else "year"), year, ""


def metadata_validate(
    cols: dict[str, list[str]], rows: list[int], file: str, allowed_levels, found: Findings
) -> pd.DataFrame | None:
    """Validate the metadata columns and build the table with ``date_precision`` and ``year``.

    Works on plain lists and unique values: 67,697 rows take a fraction of a second, and
    per-row Python beyond one comprehension per check runs only for rows with a problem.

    Args:
        cols: column name -> one str per document, in input order (changed in place).
        rows: the row (or line) number of each document, for messages.
        file: the metadata file name for messages.
        allowed_levels: the allowed values of ``actor_level``.
        found: where problems are recorded.

    Returns:
        The metadata: required columns first, then date_precision, year (Int64) and
        every other column in input order; None when a required column is missing.
    """
    for col, values in cols.items():
        changed = _nfc_apply(values)
        if changed:
            found.warning(
                file, None, col, f"{len(changed)} value(s) not in Unicode NFC (first in row "
                f"{rows[changed[0]]}); normalised",
            )  # fmt: skip
    missing = [c for c in REQUIRED_COLUMNS if c not in cols]
    for col in missing:
        found.error(
            file, None, col, f"required column missing; the metadata needs the columns "
            f"{', '.join(REQUIRED_COLUMNS)}",
        )  # fmt: skip
    for col in [c for c in COMPUTED_COLUMNS if c in cols]:
        found.error(file, None, col, "ordbruk computes this column from the text; rename the "
                    f"input column (e.g. {col}_source)")  # fmt: skip
    if missing:
        return None
    for col in [*REQUIRED_COLUMNS, "date_precision"]:
        if col in cols:
            cols[col] = [v.strip() for v in cols[col]]

    # Each check below first asks a C-level question of the whole column (set, list
    # equality) and only loops in Python over a column that has a problem.
    dates, given = cols["date"], cols.get("date_precision")
    unknown_date: set[int] = set()
    for col in REQUIRED_COLUMNS:
        if "" not in set(cols[col]):
            continue
        marker = cols.get(_UNKNOWN_MARKERS.get(col, ""))
        for i in [i for i, v in enumerate(cols[col]) if not v]:
            if marker is not None and marker[i] == "unknown":
                found.warning(file, rows[i], col, f"empty, and {_UNKNOWN_MARKERS[col]} is "
                              f"'unknown': accepted (the document has no {col})")  # fmt: skip
                unknown_date.update([i] if col == "date" else [])
            else:
                found.error(file, rows[i], col, "empty; every document needs a value here")

    if len(set(cols["doc_id"])) < len(rows):
        first_row: dict[str, int] = {}
        for i, doc_id in enumerate(cols["doc_id"]):
            if doc_id and first_row.setdefault(doc_id, rows[i]) != rows[i]:
                found.error(file, rows[i], "doc_id", f"duplicate doc_id '{doc_id}' (first in "
                            f"row {first_row[doc_id]}); doc_ids must be unique")  # fmt: skip

    if not MISSING_LIKE.isdisjoint(cols["doc_id"]):
        for i in [i for i, v in enumerate(cols["doc_id"]) if v in MISSING_LIKE]:
            found.error(file, rows[i], "doc_id", f"'{cols['doc_id'][i]}' reads as a missing "
                        "value in pandas and spreadsheets; give the document another id")  # fmt: skip

    allowed = set(allowed_levels)
    if not set(cols["actor_level"]) <= allowed | {""}:
        for i in [i for i, v in enumerate(cols["actor_level"]) if v not in allowed and v]:
            found.error(file, rows[i], "actor_level", f"'{cols['actor_level'][i]}' is not an "
                        f"allowed level ({', '.join(allowed_levels)}); fix the value or set "
                        "validation.allowed_levels")  # fmt: skip

    parsed = {d: _date_parse(d) for d in set(dates) if d}
    parsed[""] = ("", None, "")
    if any(reason for _, _, reason in parsed.values()):
        for i in [i for i, d in enumerate(dates) if parsed[d][2]]:
            reason = parsed[dates[i]][2]
            found.error(file, rows[i], "date", f"'{dates[i]}' is not an ISO date (YYYY, "
                        "YYYY-MM or YYYY-MM-DD)" + ("" if reason == "bad format" else f"; {reason}"))  # fmt: skip
    precision = list(map({d: v[0] for d, v in parsed.items()}.__getitem__, dates))
    if given is not None and given != precision:
        for i in [i for i, (g, q) in enumerate(zip(given, precision, strict=True)) if g != q]:
            if given[i] == "" or (i in unknown_date and given[i] == "unknown"):
                continue  # derived, or an accepted unknown date
            if given[i] not in PRECISIONS and given[i] != "unknown":
                problem = "is not one of day, month, year (or unknown, for an empty date)"
            elif precision[i]:
                problem = f"does not match the date '{dates[i]}' ({precision[i]} precision)"
            else:
                continue  # the date itself is already reported
            found.error(file, rows[i], "date_precision", f"'{given[i]}' {problem}")
    # A `year` column of the input gives way to the one derived from date; it may only agree.
    given_year = cols.pop("year", None)
    if given_year is not None:
        derived = {d: str(v[1]) if v[1] else "" for d, v in parsed.items()}
        for i in [i for i, y in enumerate(given_year) if y.strip() not in ("", derived[dates[i]])]:
            if (dates[i] and not parsed[dates[i]][2]) or i in unknown_date:  # else reported
                found.error(file, rows[i], "year", f"'{given_year[i].strip()}' does not match "
                            f"the date '{dates[i]}'; fix it or remove the year column")  # fmt: skip
    for i in unknown_date:
        precision[i] = "unknown"
    years = np.fromiter(
        map({d: v[1] or 0 for d, v in parsed.items()}.__getitem__, dates), np.int64, len(dates)
    )
    meta = {c: cols[c] for c in REQUIRED_COLUMNS}
    meta["date_precision"] = precision
    meta.update((c, v) for c, v in cols.items() if c not in meta)
    frame = pd.DataFrame(meta, dtype=str)
    frame.insert(5, "year", pd.arrays.IntegerArray(years, years == 0))  # 0 = no date
    return frame


def _nfc_apply(values: list[str], chunk: int = 1024) -> list[int]:
    """Normalise a list of strings to NFC in place; return the indices that changed.

    Checks joined chunks of values first: one C call per chunk, and a decomposed
    letter costs a per-value pass over its chunk only, not over the whole column.
    """
    changed = []
    for start in range(0, len(values), chunk):
        joined = "\x1f".join(values[start : start + chunk])
        if joined.isascii() or unicodedata.is_normalized("NFC", joined):
            continue
        for i in range(start, min(start + chunk, len(values))):
            if not unicodedata.is_normalized("NFC", values[i]):
                values[i] = unicodedata.normalize("NFC", values[i])
                changed.append(i)
    return changed
