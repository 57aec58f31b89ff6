"""Read the raw documents of a corpus from disk, before any validation of their metadata.

One reader per input format: a folder (``metadata.csv`` plus ``.txt``, ``.md`` or
``.html`` text files, matched by a ``path`` column or by doc_id = file stem), a JSON Lines
file (``.jsonl``, or ``.jsonl.gz`` inflated in a background thread while the lines are
parsed) and a CSV file with a ``text`` column (``,``, ``;`` or tab, whichever the header
uses most). Each reader decodes bytes (UTF-8, byte-order mark stripped, or the
``encoding_fallback``), records what cannot be read in the findings it is given and
hands back one entry per document for ``ordbruk.corpus.validate`` to validate. Also here:
``html_text``, the visible text of an HTML page. Input files are only ever opened for
reading.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import posixpath
import queue
import re
import threading
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for annotations only: ordbruk.corpus.validate imports this module
    from ordbruk.corpus.validate import _Findings

_TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")
# Documentation beside the texts (data/seeds has a README.md) is not a document.
_DOC_STEMS = {"readme", "license", "licence", "changelog", "citation", "notice", "contributing"}
_BOM = b"\xef\xbb\xbf"
_HTML_SKIP = {"script", "style", "head", "template", "noscript", "svg"}
_HTML_BLOCKS = set(
    "p div section article header footer main aside nav h1 h2 h3 h4 h5 h6 li ul ol dl dt dd "
    "table tr blockquote pre figure figcaption form hr address details summary".split()
)


@dataclass
class _Read:
    """What a reader hands to the common validation: one entry per document."""

    cols: dict[str, list[str]]  # metadata column -> one str per document
    texts: list[str | None]  # None where the text could not be read
    rows: list[int]  # metadata row or line number
    meta_file: str
    text_files: list[str]  # file named in text problems
    text_rows: list[int | None]
    scan: list[bool]  # whether the text may hold control characters
    files: dict[str, str]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _VisibleText(HTMLParser):
    """Collects the text a browser would show, with block elements as paragraph breaks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag == "body":  # a missing </head> must not hide the body
            self.skip = 0
        elif tag in _HTML_SKIP:
            self.skip += 1
        elif tag in _HTML_BLOCKS:
            self.parts.append("\n\n")
        elif tag in ("br", "td", "th"):  # a table cell is a line of its own, not glued on
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _HTML_SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _HTML_BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(re.sub(r"[ \t\r\n\f]+", " ", data))  # HTML white-space rules


def html_text(html: str) -> str:
    """Return the visible text of an HTML page: paragraphs separated by a blank line.

    Script, style and ``<head>`` content (including ``<title>``: put it in the metadata)
    are dropped; block elements (p, div, h1-h6, li, ...) end a paragraph, ``<br>`` and
    table cells a line. Uses only the standard library's html.parser.

    Args:
        html: the page source.

    Returns:
        The text, lines stripped, paragraphs separated by one blank line.
    """
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    paragraphs = []
    for block in re.split(r"\n{2,}", "".join(parser.parts)):
        lines = [line.strip() for line in block.split("\n")]
        if any(lines):
            paragraphs.append("\n".join(line for line in lines if line))
    return "\n\n".join(paragraphs)


def _bytes_decode(data: bytes, file, row, fallback, found: _Findings) -> str | None:
    """Decode UTF-8 (BOM stripped, with a warning) or the fallback; None after an error."""
    if data.startswith(_BOM):
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


def _csv_parse(data: bytes, file: str, fallback, found: _Findings):
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
    return header, out, rows


def _text_files_list(folder: Path) -> dict[str, Path]:
    """Map every text file under a folder (NFC relative posix path) to its path."""
    listed = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        top = dirpath == str(folder)
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(_TEXT_SUFFIXES):
                continue
            if top and name.split(".")[0].lower() in _DOC_STEMS:
                continue
            full = Path(dirpath) / name
            # macOS writes file names decomposed; doc_ids in metadata.csv are NFC.
            listed[unicodedata.normalize("NFC", full.relative_to(folder).as_posix())] = full
    return listed


def _folder_match(folder, cols, rows, available, found) -> list[str | None]:
    """Find each metadata row's text file, by the ``path`` column or doc_id = file stem."""
    by_stem: dict[str, list[str]] = {}
    for rel in available:
        by_stem.setdefault(rel.rsplit("/", 1)[-1].rsplit(".", 1)[0], []).append(rel)
    ids = cols.get("doc_id", [""] * len(rows))
    paths = cols.get("path", [""] * len(rows))
    matched: list[str | None] = []
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
                found.error("metadata.csv", row, "doc_id", f"no text file {doc_id}.txt (or "
                            ".md, .html) in the folder; add it or remove the row")  # fmt: skip
            else:
                found.error("metadata.csv", row, "doc_id", f"several text files are named "
                            f"{doc_id}: {', '.join(candidates)}; keep one or add a path column")  # fmt: skip
        matched.append(rel)
    if "doc_id" in cols or "path" in cols:
        for rel in sorted(set(available) - set(matched)):
            found.error(rel, None, None, "text file without a row in metadata.csv; add a row "
                        "(doc_id = file name without extension) or remove the file")  # fmt: skip
    return matched


def _folder_read(folder: Path, given: str, fallback, found: _Findings) -> _Read | None:
    """Read metadata.csv and the text file of each row; None without a usable metadata.csv."""
    meta_path = folder / "metadata.csv"
    if not meta_path.is_file():
        found.error(given, None, None, "no metadata.csv in the folder; add one with the "
                    "columns doc_id, actor, actor_level, date")  # fmt: skip
        return None
    data = meta_path.read_bytes()
    files = {"metadata.csv": _sha256(data)}
    parsed = _csv_parse(data, "metadata.csv", fallback, found)
    if parsed is None:
        return None
    header, records, rows = parsed
    cols = _columns(header, records)
    available = _text_files_list(folder)
    matched = _folder_match(folder, cols, rows, available, found)
    texts: list[str | None] = []
    for rel in matched:
        text = None
        if rel is not None:
            data = available[rel].read_bytes()
            files[rel] = _sha256(data)
            text = _bytes_decode(data, rel, None, fallback, found)
            if text is not None and rel.lower().endswith((".html", ".htm")):
                text = html_text(text)
        texts.append(text)
    n = len(rows)
    labels = [rel or "metadata.csv" for rel in matched]
    return _Read(cols, texts, rows, "metadata.csv", labels, [None] * n, [True] * n, files)


def _value_str(value) -> str:
    """Render a non-string JSON value as a metadata string."""
    if value is None:
        return ""
    if isinstance(value, list):  # ";" as in the corpora's own co_actor_levels column
        try:
            return ";".join(value)
        except TypeError:
            return ";".join(v if isinstance(v, str) else _value_str(v) for v in value)
    return json.dumps(value, ensure_ascii=False)


def _columns(header: list[str], records: list[list[str]]) -> dict[str, list[str]]:
    """Turn CSV records into columns."""
    if not records:
        return {h: [] for h in header}
    return {h: list(col) for h, col in zip(header, zip(*records, strict=True), strict=True)}


def _columns_flat(objs: list[dict]) -> dict[str, list[str]]:
    """Turn JSON objects into str columns, nested objects as ``"<key>.<subkey>"``.

    Row by row over the keys each object holds, so sparse nested objects (each source
    fills different ``extra`` keys) cost only what they contain; measured twice as
    fast as reading whole columns with ``itemgetter``.
    """
    n = len(objs)
    out: dict[str, list[str]] = {}
    nested: dict[str, list[tuple[int, dict]]] = {}
    for i, obj in enumerate(objs):
        for key, value in obj.items():
            if type(value) is not str:
                if type(value) is dict:
                    nested.setdefault(key, []).append((i, value))
                    continue
                value = _value_str(value)
            col = out.get(key)
            if col is None:
                col = out[key] = [""] * n
            col[i] = value
    for key, items in nested.items():
        subs: list[dict] = [{}] * n
        for i, value in items:
            subs[i] = value
        out.update((f"{key}.{name}", col) for name, col in _columns_flat(subs).items())
    return out


def _positions(data: bytes, pattern: bytes) -> list[int]:
    """Return every offset of ``pattern`` in ``data``."""
    found, i = [], data.find(pattern)
    while i >= 0:
        found.append(i)
        i = data.find(pattern, i + 1)
    return found


def _gzip_blocks(raw: bytes, chunk: int = 1 << 21) -> Iterator[bytes | Exception]:
    """Yield decompressed gzip data in blocks, or the exception that stopped it.

    A background thread inflates while the caller parses JSON: zlib releases the GIL,
    so on two cores decompression (about 0.6 s for the 96 MB bulk corpus) overlaps
    with parsing instead of adding to it.
    """
    blocks: queue.Queue = queue.Queue(maxsize=8)

    def inflate():
        try:
            pos = 0
            while pos < len(raw):  # several members when files were concatenated
                inflater = zlib.decompressobj(31)
                while pos < len(raw) and not inflater.eof:
                    blocks.put(inflater.decompress(raw[pos : pos + chunk]))
                    pos = min(pos + chunk, len(raw))
                if not inflater.eof:
                    raise EOFError("the file ends before the end of the compressed stream")
                pos -= len(inflater.unused_data)
                if not raw[pos:].strip(b"\x00"):  # zero padding after the last member
                    break
        except (zlib.error, EOFError) as e:
            blocks.put(e)
        blocks.put(None)

    threading.Thread(target=inflate, daemon=True).start()
    while (block := blocks.get()) is not None:
        yield block


def _line_blocks(blocks: Iterable[bytes | Exception]) -> Iterator[bytes | Exception]:
    """Regroup data blocks so that each one ends with a line break (except the last)."""
    tail = b""
    for block in blocks:
        if isinstance(block, Exception):
            yield block
            continue
        block = tail + block
        cut = block.rfind(b"\n") + 1
        tail = block[cut:]
        if cut:
            yield block[:cut]
    if tail:
        yield tail


def _jsonl_read(path: Path, given: str, fallback, found: _Findings) -> _Read | None:
    """Read a .jsonl or .jsonl.gz file, one document per line; None if it is not valid gzip."""
    raw = path.read_bytes()
    files = {path.name: _sha256(raw)}
    gzipped = path.name.lower().endswith(".gz")
    records, texts, rows, scan = [], [], [], []
    n_fallback, first_fallback, n = 0, 0, 0
    loads = json.loads
    broken, n_found = None, len(found)
    for block in _line_blocks(_gzip_blocks(raw) if gzipped else [raw]):
        if isinstance(block, Exception):
            broken = block  # keep draining so the inflating thread can finish
            continue
        if n == 0 and block.startswith(_BOM):
            block = block[3:]
            found.warning(given, 1, None, "starts with a byte-order mark; stripped")
        has_nul = b"\x00" in block
        # JSON strings carry control characters only as escapes (or a raw DEL): find
        # those in the whole block at C speed, then scan only the texts that hold one.
        hits = sorted(i for pat in (b"\\u00", b"\\b", b"\x7f") for i in _positions(block, pat))
        hits.append(len(block))
        lines = block.split(b"\n")
        if block.endswith(b"\n"):
            lines.pop()
        end, h = 0, 0
        for line in lines:
            n += 1
            start, end = end, end + len(line) + 1
            if not line or line.isspace():
                continue
            while hits[h] < start:
                h += 1
            may_control = hits[h] < end
            if has_nul and b"\x00" in line:
                found.error(given, n, None, "contains NUL bytes: binary data, not a JSON line")
                continue
            try:
                obj = loads(line)  # bytes: json decodes UTF-8 itself, fastest path
            except UnicodeDecodeError as e:
                obj = None
                if fallback:
                    try:
                        obj = loads(line.decode(fallback))
                        n_fallback, first_fallback = n_fallback + 1, first_fallback or n
                        may_control = True
                    except ValueError:
                        pass
                if obj is None:
                    found.error(given, n, None, f"not UTF-8 (byte 0x{line[e.start]:02x} at "
                                f"column {e.start + 1}); save as UTF-8 or set "
                                "validation.encoding_fallback")  # fmt: skip
                    continue
            except ValueError as e:
                found.error(given, n, None, f"malformed JSON ({getattr(e, 'msg', e)}, column "
                            f"{getattr(e, 'colno', '?')}); each line must be one JSON object")  # fmt: skip
                continue
            if type(obj) is not dict:
                found.error(given, n, None, 'not a JSON object; each line must be {"text": ...}')
                continue
            text = obj.pop("text", None)
            if text is None:
                found.error(given, n, "text", 'missing text field; every line needs "text"')
            elif type(text) is not str:
                found.error(given, n, "text", f"must be a string, not {type(text).__name__}")
                text = None
            records.append(obj)
            texts.append(text)
            rows.append(n)
            scan.append(may_control)
    if broken is not None:
        del found[n_found:]  # a cut-off last line is a symptom, not a second problem
        found.error(given, None, None, f"not a valid gzip file ({broken}); compress it again")
        return None
    if n_fallback:
        found.warning(given, first_fallback, None, f"{n_fallback} line(s) not UTF-8; decoded "
                      f"as {fallback} (first: line {first_fallback})")  # fmt: skip
    return _Read(_columns_flat(records), texts, rows, given, [given] * len(rows), rows, scan, files)


def _csv_read(path: Path, given: str, fallback, found: _Findings) -> _Read | None:
    """Read a CSV file with a text column, one document per row; None if it cannot be parsed."""
    data = path.read_bytes()
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
    return _Read(
        cols, texts, rows, given, [given] * n, rows, [True] * n, {path.name: _sha256(data)}
    )


def _corpus_kind(path: Path) -> str | None:
    """Return ``"folder"``, ``"jsonl"`` or ``"csv"`` for a corpus path, None if unsupported."""
    name = path.name.lower()
    if path.is_dir():
        return "folder"
    if name.endswith((".jsonl", ".jsonl.gz")):
        return "jsonl"
    if name.endswith(".csv"):
        return "csv"
    return None
