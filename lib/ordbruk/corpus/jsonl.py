"""Read a JSON Lines corpus (``.jsonl``, or ``.jsonl.gz`` inflated while it is parsed).

One JSON object per line: ``text`` plus the metadata, nested objects flattened into
``"<key>.<subkey>"`` columns and lists joined with ``;``. A gzipped file is inflated in a
background thread while the lines are parsed (zlib releases the GIL), and control
characters are looked for in whole blocks at C speed, so a 96 MB bulk corpus parses in a
few seconds. Blank lines are skipped but counted, so line numbers in problems are the
file's own.
"""

from __future__ import annotations

import json
import queue
import threading
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from ordbruk.corpus.inputs import InputFileError, input_bytes, sha256_hex
from ordbruk.corpus.problems import Findings
from ordbruk.corpus.readers import BOM, ReaderOutput


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


def gzip_blocks(raw: bytes, chunk: int = 1 << 21) -> Iterator[bytes | Exception]:
    """Yield decompressed gzip data in blocks, or the exception that stopped it.

    A background thread inflates while the caller parses JSON: zlib releases the GIL,
    so on two cores decompression (about 0.6 s for the 96 MB bulk corpus) overlaps
    with parsing instead of adding to it.

    Args:
        raw: the compressed bytes (one or more gzip members, zero padding allowed).
        chunk: compressed bytes inflated at a time.

    Yields:
        Decompressed blocks; a ``zlib.error`` or ``EOFError`` last when the data is broken.
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


def line_blocks(blocks: Iterable[bytes | Exception]) -> Iterator[bytes | Exception]:
    """Regroup data blocks so that each one ends with a line break (except the last).

    Args:
        blocks: data blocks, with exceptions passed through as they come.

    Yields:
        Blocks that end with a line break (the last may not), and the exceptions.
    """
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


def jsonl_read(path: Path, given: str, fallback, found: Findings) -> ReaderOutput | None:
    """Read a .jsonl or .jsonl.gz file, one document per line.

    Args:
        path: the file.
        given: the path as the user gave it, for problems.
        fallback: the encoding to try where a file is not UTF-8 (e.g. ``"cp1252"``), or None.
        found: where problems are recorded.

    Returns:
        One entry per line that holds a JSON object; None when a .gz file is not valid gzip.
    """
    try:
        raw = input_bytes(path, path.name)
    except InputFileError as e:
        found.error(given, None, None, e.reason)
        return None
    files = {path.name: sha256_hex(raw)}
    gzipped = path.name.lower().endswith(".gz")
    records, texts, rows, scan = [], [], [], []
    n_fallback, first_fallback, n = 0, 0, 0
    loads = json.loads
    broken, n_found = None, len(found)
    for block in line_blocks(gzip_blocks(raw) if gzipped else [raw]):
        if isinstance(block, Exception):
            broken = block  # keep draining so the inflating thread can finish
            continue
        if n == 0 and block.startswith(BOM):
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
    return ReaderOutput(
        _columns_flat(records), texts, rows, given, [given] * len(rows), rows, scan, files
    )
