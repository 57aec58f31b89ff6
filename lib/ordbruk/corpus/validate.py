"""Load a raw corpus and validate it before anything is computed from it.

A corpus is a folder (text files ``.txt``, ``.md`` or ``.html`` plus ``metadata.csv``),
a JSON Lines file (``.jsonl`` or ``.jsonl.gz``: one object per line, ``text`` plus
metadata) or a CSV file with a ``text`` column. Every document needs ``doc_id``,
``actor``, ``actor_level`` and ``date`` (ISO 8601, reduced precision allowed). All
problems are collected before anything is reported, so one run lists every fix a user
has to make; errors stop the load, warnings (empty text, byte-order mark, decomposed
Unicode, Windows-1252 fallback) travel with the corpus. Input files are only ever opened
for reading. The readers are ``ordbruk.corpus.readers`` (folder, CSV) and
``ordbruk.corpus.jsonl``; the metadata checks ``ordbruk.corpus.metadata``; the findings
``ordbruk.corpus.problems``. ``validation_args`` is the one place where the study's
``validation`` settings become reader arguments.
"""

from __future__ import annotations

import codecs
import gc
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ordbruk.corpus.jsonl import jsonl_read
from ordbruk.corpus.metadata import metadata_validate
from ordbruk.corpus.problems import Findings, Problem, problems_sort
from ordbruk.corpus.readers import corpus_kind, csv_read, folder_read
from ordbruk.errors import CorpusError, ParameterError

DEFAULT_LEVELS = ("national", "regional", "local", "other")
# Control characters other than tab, newline, vertical tab, form feed and carriage
# return: pdftotext leaves form feeds, but the rest only occur in binary data.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def validation_args(validation: dict | None = None) -> dict:
    """Translate the params ``validation`` block into the keyword arguments of ``corpus_check``.

    ``ordbruk check``, ``ordbruk run`` and the cache key all go through this function,
    so a setting means the same thing everywhere.

    Args:
        validation: ``{"allowed_levels": [...], "encoding_fallback": "cp1252"}`` as in
            params; a key left out, None or empty takes the default.

    Returns:
        ``{"allowed_levels": tuple of str, "encoding_fallback": str or None}``.
    """
    validation = validation or {}
    levels = validation.get("allowed_levels")
    return {
        "allowed_levels": tuple(levels) if levels else DEFAULT_LEVELS,
        "encoding_fallback": validation.get("encoding_fallback") or None,
    }


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


def _text_tidy(text: str, file: str, row: int | None, found: Findings, controls=True) -> str:
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
    found = Findings()
    kind = corpus_kind(p) if p.exists() else None
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
        reader = {"folder": folder_read, "jsonl": jsonl_read, "csv": csv_read}[kind]
        read = reader(p, given, encoding_fallback, found)
        if read is None:
            return None, list(found)
        texts, rows = read.texts, read.rows
        if not rows and not found.has_errors:
            found.error(given, None, None, "no documents; the corpus is empty")
        # Without a single readable row there are no columns to check.
        meta = (
            metadata_validate(read.cols, rows, read.meta_file, allowed_levels, found)
            if rows
            else None
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
    found = problems_sort(found, read.meta_file)
    if meta is None or any(q.severity == "error" for q in found):
        return None, found
    warnings = [q for q in found if q.severity == "warning"]
    return RawCorpus(p.resolve(), kind, meta, texts, read.files, warnings), found


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
