"""Read the raw documents of a folder or CSV corpus from disk, before validating their metadata.

A folder holds ``metadata.csv`` plus ``.txt``, ``.md`` or ``.html`` text files, matched to
the metadata rows by a ``path`` column or by doc_id = file stem; a CSV file has a ``text``
column (``,``, ``;`` or tab, whichever the header uses most). Each reader decodes bytes
(UTF-8, byte-order mark stripped, or the ``encoding_fallback``), records what cannot be
read in the findings it is given, hashes every file it reads, and hands back a
``ReaderOutput``, one entry per document, for ``ordbruk.corpus.validate`` to check. The
JSON Lines reader is ``ordbruk.corpus.jsonl``; the visible text of HTML files comes from
``ordbruk.corpus.html``. Input files are only ever opened for reading.
"""

from __future__ import annotations

import csv
import io
import os
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ordbruk.corpus.html import html_text
from ordbruk.corpus.inputs import (
    METADATA_FILE,
    InputFileError,
    input_bytes,
    sha256_hex,
    text_files_list,
)
from ordbruk.corpus.problems import Findings

BOM = b"\xef\xbb\xbf"
_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}){0,2}")


@dataclass
class ReaderOutput:
    """What a reader hands to the common validation: one entry per document.

    Attributes:
        cols: metadata column -> one str per document.
        texts: the decoded text of each document; None where it could not be read.
        rows: the metadata row (or line) number of each document.
        meta_file: the file that holds the metadata, for problems.
        text_files: the file named in problems of each document's text.
        text_rows: the row named in those problems (None for a text file of its own).
        scan: whether each text may hold control characters (else the scan is skipped).
        files: every input file read -> sha256.
    """

    cols: dict[str, list[str]]
    texts: list[str | None]
    rows: list[int]
    meta_file: str
    text_files: list[str]
    text_rows: list[int | None]
    scan: list[bool]
    files: dict[str, str]


def _bytes_decode(data: bytes, file, row, fallback, found: Findings) -> str | None:
    """Decode UTF-8 (BOM stripped, with a warning) or the fallback; None after an error."""
    if data.startswith(BOM):
        data = data[3:]
        found.warning(file, row, None, "starts with a byte-order mark; stripped")
    if b"\x00" in data:
        hint = " (it looks like UTF-16)" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        found.error(file, row, None, f"contains NUL bytes: binary data, not text{hint}; "
                    "save it as UTF-8 text")  # fmt: skip
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        where = f"byte 0x{data[e.start]:02x} at offset {e.start}"
        if fallback:
            try:
                text = data.decode(fallback)
            except UnicodeDecodeError:
                pass
            else:
                found.warning(file, row, None, f"not UTF-8 ({where}); decoded as {fallback}")
                return text
        found.error(file, row, None, f"not UTF-8 ({where}); save it as UTF-8 or set "
                    "validation.encoding_fallback: cp1252")  # fmt: skip
        return None


def _csv_parse(data: bytes, file: str, fallback, found: Findings):
    """Parse CSV bytes into (header, records, data row numbers); None after an error."""
    text = _bytes_decode(data, file, None, fallback, found)
    if text is None:
        return None
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    delimiter = max(",;\t", key=first_line.count)  # Swedish spreadsheets export with ";"
    # A text-column CSV holds whole documents in one field: lift the 128 kB field limit
    # for this parse only (the limit is module state in csv).
    old_limit = csv.field_size_limit(2**31 - 1)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as e:
        found.error(file, None, None, f"cannot be parsed as CSV ({e}); check the quoting")
        return None
    finally:
        csv.field_size_limit(old_limit)
    if not records:
        found.error(file, None, None, "empty file; it needs a header row of column names")
        return None
    header = [unicodedata.normalize("NFC", h.strip()) for h in records[0]]
    doubled = sorted({h for h in header if header.count(h) > 1})
    if doubled:
        found.error(file, None, None, f"column(s) {', '.join(doubled)} appear twice in "
                    "the header; rename or remove one")  # fmt: skip
        return None
    out, rows = [], []
    for n, rec in enumerate(records[1:], 1):
        if not rec:  # a blank line
            continue
        if len(rec) != len(header):
            found.error(file, n, None, f"{len(rec)} fields but the header has {len(header)};"
                        " check delimiters and quoting")  # fmt: skip
            rec = (rec + [""] * len(header))[: len(header)]
        out.append(rec)
        rows.append(n)
    _swallowed_rows(header, out, rows, delimiter, file, found)
    return header, out, rows


def _swallowed_rows(header, records, rows, delimiter, file, found: Findings) -> None:
    """Report fields that hold a whole row: a quote that is never closed swallows what follows.

    csv reads an unclosed quote up to the next quote character, so the rows in between
    become part of one field and the row count shrinks without an error. A line inside a
    multi-line field that has, at the positions of ``date`` and ``actor_level``, an ISO date
    and a level used elsewhere in the file is such a row (prose practically never is).
    """
    if "date" not in header or "actor_level" not in header:
        return
    i_date, i_level = header.index("date"), header.index("actor_level")
    levels = {rec[i_level].strip() for rec in records if "\n" not in rec[i_level]} - {""}
    need = max(i_date, i_level)
    for rec, row in zip(records, rows, strict=True):
        for col, value in enumerate(rec):
            if "\n" not in value:
                continue
            for line in value.split("\n")[1:]:
                if line.count(delimiter) < need:
                    continue
                parts = next(csv.reader([line], delimiter=delimiter), [])
                if (
                    len(parts) > need
                    and _ISO_DATE.fullmatch(parts[i_date].strip())
                    and parts[i_level].strip() in levels
                ):
                    i_id = header.index("doc_id") if "doc_id" in header else 0
                    name = parts[i_id].strip() if i_id < len(parts) else ""
                    found.error(file, row, header[col], f"holds a line that looks like the "
                                f"next row (doc_id {name}): a quote in this field is not closed; "
                                'close it, or double a quote inside the text ("")')  # fmt: skip
                    break


def _folder_link(folder: Path, rel: str) -> str | None:
    """Return the first folder of ``rel`` (relative to the corpus) that is a symbolic link."""
    parts = rel.split("/")[:-1]
    for i in range(len(parts)):
        if os.path.islink(folder.joinpath(*parts[: i + 1])):
            return "/".join(parts[: i + 1])
    return None


def _folder_links(folder: Path) -> list[str]:
    """Return the sub-folders of the corpus that are symbolic links (os.walk skips them)."""
    out = []
    for dirpath, dirnames, _ in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        out += [(Path(dirpath) / d).relative_to(folder).as_posix() for d in dirnames
                if os.path.islink(Path(dirpath) / d)]  # fmt: skip
    return out


def _folder_match(folder, cols, rows, available, found) -> list[str | None]:
    """Find each metadata row's text file, by the ``path`` column or doc_id = file stem."""
    by_stem: dict[str, list[str]] = {}
    for rel in available:
        by_stem.setdefault(rel.rsplit("/", 1)[-1].rsplit(".", 1)[0], []).append(rel)
    ids = cols.get("doc_id", [""] * len(rows))
    paths = cols.get("path", [""] * len(rows))
    matched: list[str | None] = []
    linked = None  # the folder's symlinked sub-folders, listed at the first missing file
    for row, doc_id, given_path in zip(rows, ids, paths, strict=True):
        rel = None
        given_path = unicodedata.normalize("NFC", given_path.strip())
        doc_id = unicodedata.normalize("NFC", doc_id.strip())
        if given_path:
            norm = posixpath.normpath(given_path.replace("\\", "/"))
            if norm in available:
                rel = norm
            elif norm.startswith("../") or norm == ".." or posixpath.isabs(norm):
                found.error("metadata.csv", row, "path", f"'{given_path}' points outside the "
                            "corpus folder; give a path relative to it")  # fmt: skip
            elif link := _folder_link(folder, norm):
                found.error("metadata.csv", row, "path", f"'{given_path}' is in {link}, a "
                            "symbolic link to a folder, which is not followed; copy the files "
                            "into the corpus folder")  # fmt: skip
            elif (folder / norm).is_file():
                found.error("metadata.csv", row, "path", f"'{given_path}' is not a .txt, .md "
                            "or .html file; convert it to text")  # fmt: skip
            else:
                found.error("metadata.csv", row, "path", f"text file '{given_path}' not found;"
                            " add the file or fix the path")  # fmt: skip
        elif doc_id:
            candidates = by_stem.get(doc_id, [])
            if len(candidates) == 1:
                rel = candidates[0]
            elif not candidates:
                if linked is None:
                    linked = _folder_links(folder)
                hint = (f" (folders that are symbolic links are not followed: "
                        f"{', '.join(linked[:3])})" if linked else "")  # fmt: skip
                found.error("metadata.csv", row, "doc_id", f"no text file {doc_id}.txt (or "
                            f".md, .html) in the folder{hint}; add it or remove the row")  # fmt: skip
            else:
                found.error("metadata.csv", row, "doc_id", f"several text files are named "
                            f"{doc_id}: {', '.join(candidates)}; keep one or add a path column")  # fmt: skip
        matched.append(rel)
    if "doc_id" in cols or "path" in cols:
        for rel in sorted(set(available) - set(matched)):
            found.error(rel, None, None, "text file without a row in metadata.csv; add a row "
                        "(doc_id = file name without extension) or remove the file")  # fmt: skip
    return matched


def folder_read(folder: Path, given: str, fallback, found: Findings) -> ReaderOutput | None:
    """Read metadata.csv and the text file of each of its rows.

    Args:
        folder: the corpus folder.
        given: the path as the user gave it, for problems.
        fallback: the encoding to try where a file is not UTF-8 (e.g. ``"cp1252"``), or None.
        found: where problems are recorded.

    Returns:
        One entry per metadata row; None when there is no usable metadata.csv.
    """
    meta_path = folder / METADATA_FILE
    if not os.path.lexists(meta_path):
        found.error(given, None, None, "no metadata.csv in the folder; add one with the "
                    "columns doc_id, actor, actor_level, date")  # fmt: skip
        return None
    try:
        data = input_bytes(meta_path, METADATA_FILE, folder)
    except InputFileError as e:
        found.error(METADATA_FILE, None, None, e.reason)
        return None
    files = {METADATA_FILE: sha256_hex(data)}
    parsed = _csv_parse(data, "metadata.csv", fallback, found)
    if parsed is None:
        return None
    header, records, rows = parsed
    cols = _columns(header, records)
    try:
        available = text_files_list(folder)
    except InputFileError as e:
        found.error(e.name, None, None, e.reason)
        return None
    matched = _folder_match(folder, cols, rows, available, found)
    texts: list[str | None] = []
    for rel in matched:
        text = data = None
        try:
            data = None if rel is None else input_bytes(available[rel], rel, folder)
        except InputFileError as e:
            found.error(rel, None, None, e.reason)
        if data is not None:
            files[rel] = sha256_hex(data)
            text = _bytes_decode(data, rel, None, fallback, found)
            if text is not None and rel.lower().endswith((".html", ".htm")):
                text = html_text(text)
        texts.append(text)
    n = len(rows)
    labels = [rel or "metadata.csv" for rel in matched]
    return ReaderOutput(cols, texts, rows, "metadata.csv", labels, [None] * n, [True] * n, files)


def _columns(header: list[str], records: list[list[str]]) -> dict[str, list[str]]:
    """Turn CSV records into columns."""
    if not records:
        return {h: [] for h in header}
    return {h: list(col) for h, col in zip(header, zip(*records, strict=True), strict=True)}


def csv_read(path: Path, given: str, fallback, found: Findings) -> ReaderOutput | None:
    """Read a CSV file with a text column, one document per row.

    Args:
        path: the CSV file.
        given: the path as the user gave it, for problems.
        fallback: the encoding to try where a file is not UTF-8 (e.g. ``"cp1252"``), or None.
        found: where problems are recorded.

    Returns:
        One entry per data row; None when the file cannot be parsed as CSV.
    """
    try:
        data = input_bytes(path, path.name)
    except InputFileError as e:
        found.error(given, None, None, e.reason)
        return None
    parsed = _csv_parse(data, given, fallback, found)
    if parsed is None:
        return None
    header, records, rows = parsed
    cols = _columns(header, records)
    if "text" in cols:
        texts = cols.pop("text")
    else:
        found.error(given, None, "text", "no text column; the CSV needs a column named text")
        texts = [None] * len(rows)
    n = len(rows)
    return ReaderOutput(
        cols, texts, rows, given, [given] * n, rows, [True] * n, {path.name: sha256_hex(data)}
    )


def corpus_kind(path: Path) -> str | None:
    """Return the kind of a corpus path.

    Args:
        path: an existing file or folder.

    Returns:
        ``"folder"``, ``"jsonl"`` (``.jsonl``, ``.jsonl.gz``) or ``"csv"``; None if unsupported.
    """
    name = path.name.lower()
    if path.is_dir():
        return "folder"
    if name.endswith((".jsonl", ".jsonl.gz")):
        return "jsonl"
    if name.endswith(".csv"):
        return "csv"
    return None
