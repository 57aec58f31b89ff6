"""Load a raw corpus and validate it before anything is computed from it.

A corpus is a folder (text files ``.txt``, ``.md`` or ``.html`` plus ``metadata.csv``),
a JSON Lines file (``.jsonl`` or ``.jsonl.gz``: one object per line, ``text`` plus
metadata) or a CSV file with a ``text`` column. Every document needs ``doc_id``,
``actor``, ``actor_level`` and ``date`` (ISO 8601, reduced precision allowed). All
problems are collected before anything is reported, so one run lists every fix a user
has to make; errors stop the load, warnings (empty text, byte-order mark, decomposed
Unicode, Windows-1252 fallback) travel with the corpus. Input files are only ever opened
for reading; the readers for each format, and ``html_text``, are in
``ordbruk.corpus.readers``.
"""

from __future__ import annotations

import calendar
import codecs
import gc
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ordbruk.corpus.readers import (
    _corpus_kind,
    _csv_read,
    _folder_read,
    _jsonl_read,
    _text_files_list,
)
from ordbruk.corpus.readers import html_text as html_text  # public since before the split
from ordbruk.errors import CorpusError, ParameterError

DEFAULT_LEVELS = ("national", "regional", "local", "other")
REQUIRED_COLUMNS = ("doc_id", "actor", "actor_level", "date")
PRECISIONS = ("day", "month", "year")
# A required field may be empty only where the corpus itself declares the value unknown
# (both shared corpora do this for a few undated pages and unnamed organisers).
_UNKNOWN_MARKERS = {"date": "date_precision", "actor": "actor_type"}
_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
# Control characters other than tab, newline, vertical tab, form feed and carriage
# return: pdftotext leaves form feeds, but the rest only occur in binary data.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


@dataclass
class Problem:
    """One validation finding: where it is and what to do about it.

    Attributes:
        severity: ``"error"`` (stops the load) or ``"warning"``.
        file: path as the user gave it, relative to the corpus folder where possible.
        row: 1-based data row in metadata.csv or a .csv, line in a .jsonl; None for a file.
        field: the column, or ``"text"``; None when the whole row or file is meant.
        message: what is wrong and what to do.
    """

    severity: str
    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        """Return ``<file>[:<row>]: <field>: <message>`` on one line."""
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        parts = [where, self.field, self.message] if self.field else [where, self.message]
        return ": ".join(" ".join(str(p).split("\n")) for p in parts)


@dataclass
class RawCorpus:
    """The documents of a corpus as read from disk, validated but not cleaned.

    Attributes:
        path: the corpus as given, made absolute.
        kind: ``"folder"``, ``"jsonl"`` or ``"csv"``.
        meta: one row per document in input order; every column str (missing = "")
            except ``year`` (nullable Int64, missing only where the date is unknown).
        texts: decoded texts, NFC-normalised, byte-order mark stripped.
        files: every input file read (relative to the folder, or the file name) -> sha256.
        problems: the warnings (errors raise instead).
    """

    path: Path
    kind: str
    meta: pd.DataFrame
    texts: list[str]
    files: dict[str, str]
    problems: list[Problem] = field(default_factory=list)


class _Findings(list):
    """The problems found so far, with shorthands to add errors and warnings."""

    def error(self, file: str, row: int | None, fld: str | None, message: str) -> None:
        """Record an error (the corpus will not load)."""
        self.append(Problem("error", file, row, fld, message))

    def warning(self, file: str, row: int | None, fld: str | None, message: str) -> None:
        """Record a warning (the corpus loads; the warning is kept with it)."""
        self.append(Problem("warning", file, row, fld, message))

    @property
    def has_errors(self) -> bool:
        """Whether any error has been recorded."""
        return any(p.severity == "error" for p in self)


def _text_tidy(text: str, file: str, row: int | None, found: _Findings, controls=True) -> str:
    """Check one decoded text and return it BOM-stripped and NFC-normalised.

    Args:
        text: the decoded text.
        file: file name for messages.
        row: row or line for messages (None for a text file).
        found: where problems are recorded.
        controls: whether to look for control characters (the JSONL reader skips the
            scan when the raw line cannot contain any, which saves half a second).

    Returns:
        The tidied text.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
        found.warning(file, row, "text", "starts with a byte-order mark; stripped")
    if controls and _CONTROL_RE.search(text):
        n_control = len(_CONTROL_RE.findall(text))
        if "\x00" in text or n_control > len(text) / 100:
            found.error(
                file, row, "text", "contains NUL or many control characters: binary data, "
                "not text; convert it to plain UTF-8 text",
            )  # fmt: skip
        else:
            found.warning(file, row, "text", f"contains {n_control} control character(s); kept")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
        found.warning(
            file, row, "text", "not in Unicode NFC (decomposed letters such as a + combining "
            "ring for å); normalised to NFC",
        )  # fmt: skip
    if not text or text.isspace():
        found.warning(file, row, "text", "empty; the document will have no tokens")
    return text


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


def _meta_validate(
    cols: dict[str, list[str]], rows: list[int], file: str, allowed_levels, found: _Findings
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


def corpus_check(
    path, allowed_levels=DEFAULT_LEVELS, encoding_fallback: str | None = None
) -> tuple[RawCorpus | None, list[Problem]]:
    """Read and validate a corpus, collecting every problem instead of stopping at the first.

    Args:
        path: a corpus folder, ``.jsonl``, ``.jsonl.gz`` or ``.csv`` file.
        allowed_levels: the allowed values of ``actor_level`` (None: the default four).
        encoding_fallback: e.g. ``"cp1252"``: decode files (or lines) that are not
            UTF-8 with this encoding and warn, instead of reporting an error.

    Returns:
        ``(corpus, problems)``: the corpus is None when any problem is an error;
        problems holds errors and warnings, metadata file first, then by file and row.
    """
    if encoding_fallback:
        try:
            codecs.lookup(encoding_fallback)
        except LookupError:
            raise ParameterError(
                f"validation.encoding_fallback: unknown encoding '{encoding_fallback}'; "
                "use e.g. cp1252 or null"
            ) from None
    allowed_levels = DEFAULT_LEVELS if allowed_levels is None else tuple(allowed_levels)
    given = str(path)
    p = Path(path).expanduser()
    found = _Findings()
    kind = _corpus_kind(p) if p.exists() else None
    if not p.exists():
        found.error(given, None, None, "no such file or folder; check the corpus path")
    elif kind is None:
        found.error(given, None, None, "not a corpus: give a folder, .jsonl, .jsonl.gz or .csv")
    if found:
        return None, list(found)
    # Parsing allocates millions of containers that all stay alive; the cyclic garbage
    # collector would traverse them again and again (measured: up to twice the load time).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        reader = {"folder": _folder_read, "jsonl": _jsonl_read, "csv": _csv_read}[kind]
        read = reader(p, given, encoding_fallback, found)
        if read is None:
            return None, list(found)
        texts, rows = read.texts, read.rows
        if not rows and not found.has_errors:
            found.error(given, None, None, "no documents; the corpus is empty")
        # Without a single readable row there are no columns to check.
        meta = (
            _meta_validate(read.cols, rows, read.meta_file, allowed_levels, found) if rows else None
        )
        is_nfc = unicodedata.is_normalized
        for i, text in enumerate(texts):
            # Inline fast path: most texts need none of the fixes in _text_tidy.
            if text is not None and (
                read.scan[i] or not text or text[0] == "\ufeff" or text.isspace()
                or not is_nfc("NFC", text)
            ):  # fmt: skip
                texts[i] = _text_tidy(
                    text, read.text_files[i], read.text_rows[i], found, read.scan[i]
                )
    finally:
        if gc_was_enabled:
            gc.enable()
    found = _problems_sort(found, read.meta_file)
    if meta is None or any(q.severity == "error" for q in found):
        return None, found
    warnings = [q for q in found if q.severity == "warning"]
    return RawCorpus(p.resolve(), kind, meta, texts, read.files, warnings), found


def _problems_sort(found: list[Problem], meta_file: str) -> list[Problem]:
    """Order problems as a reader fixes them: metadata first, then by file and row."""
    first_seen: dict[str, int] = {meta_file: -1}
    for q in found:
        first_seen.setdefault(q.file, len(first_seen))
    return sorted(found, key=lambda q: (first_seen[q.file], q.row or 0))


def corpus_load(path, allowed_levels=DEFAULT_LEVELS, encoding_fallback: str | None = None):
    """Read and validate a corpus; raise on any error.

    Args:
        path: a corpus folder, ``.jsonl``, ``.jsonl.gz`` or ``.csv`` file.
        allowed_levels: the allowed values of ``actor_level``.
        encoding_fallback: e.g. ``"cp1252"`` to accept Windows-1252 files with a warning.

    Returns:
        The RawCorpus, warnings in ``.problems``.

    Raises:
        CorpusError: with a one-line summary naming the first error; ``.problems``
            holds every problem found.
    """
    raw, problems = corpus_check(path, allowed_levels, encoding_fallback)
    if raw is None:
        errors = [q for q in problems if q.severity == "error"]
        count = f"{len(errors)} error" + ("s" if len(errors) != 1 else "")
        raise CorpusError(
            f"corpus {path} has {count}; first: {errors[0]} (run `ordbruk check {path}` "
            "to list them all)",
            problems,
        )
    return raw


def files_fingerprint(files: dict[str, str]) -> str:
    """Return one sha256 over a ``{relative path: sha256}`` listing (order-independent).

    ``corpus_fingerprint(path) == files_fingerprint(corpus_load(path).files)`` for a
    corpus that loads, so a cache key can be built either way.
    """
    listing = "".join(f"{digest}  {name}\n" for name, digest in sorted(files.items()))
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


def corpus_fingerprint(path) -> str:
    """Return a cheap fingerprint of a corpus: sha256 over the bytes of every input file.

    Hashes metadata.csv and every text file of a folder corpus, or the single file
    (the compressed bytes of a .jsonl.gz); nothing is parsed.

    Args:
        path: a corpus folder or file.

    Returns:
        A sha256 hex digest that changes when any input byte or file name changes.

    Raises:
        CorpusError: when the path does not exist.
    """
    p = Path(path).expanduser()
    if not p.exists():
        raise CorpusError(f"{path}: no such file or folder; check the corpus path")
    if p.is_dir():
        named = {"metadata.csv": p / "metadata.csv"} if (p / "metadata.csv").is_file() else {}
        named.update(_text_files_list(p))
    else:
        named = {p.name: p}
    return files_fingerprint(
        {n: hashlib.sha256(f.read_bytes()).hexdigest() for n, f in named.items()}
    )


def corpus_summary(raw: RawCorpus) -> dict:
    """Summarise a loaded corpus for ``ordbruk check`` and the overview notebook.

    Args:
        raw: a loaded corpus.

    Returns:
        A dict: path, kind, documents, characters, actors, actors_per_level and
        documents_per_level (levels in the default order, then others), year_min,
        year_max (None when no document is dated), undated, warnings.
    """
    meta = raw.meta
    order = [lv for lv in DEFAULT_LEVELS if lv in set(meta["actor_level"])]
    order += sorted(set(meta["actor_level"]) - set(order))
    actors = meta.groupby("actor_level")["actor"].nunique()
    docs = meta["actor_level"].value_counts()
    years = meta["year"].dropna()
    return {
        "path": str(raw.path),
        "kind": raw.kind,
        "documents": len(meta),
        "characters": sum(len(t) for t in raw.texts),
        "actors": int(meta["actor"].nunique()),
        "actors_per_level": {lv: int(actors[lv]) for lv in order},
        "documents_per_level": {lv: int(docs[lv]) for lv in order},
        "year_min": int(years.min()) if len(years) else None,
        "year_max": int(years.max()) if len(years) else None,
        "undated": int(meta["year"].isna().sum()),
        "warnings": len(raw.problems),
    }


def problems_format(problems: list[Problem]) -> list[str]:
    """Return one line per problem, errors first: ``error: <file>:<row>: <field>: <message>``.

    Args:
        problems: problems from ``corpus_check`` or ``CorpusError.problems``.

    Returns:
        Lines without newlines, errors before warnings, otherwise in the order found.
    """
    ordered = sorted(problems, key=lambda q: q.severity != "error")
    return [f"{q.severity}: {q}" for q in ordered]
