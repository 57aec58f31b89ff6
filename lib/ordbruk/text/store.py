"""A prepared corpus on disk: shards in Arrow and Parquet, no pickles, every file checksummed.

An entry is a folder ``<cache>/<key>/`` holding one global vocabulary, the shards (the
documents in input order, cut into runs of about ``shard_tokens`` tokens) and a manifest:

- ``vocab.arrow`` (surface, lower: its form id), ``forms.arrow`` (form, lemma: its lemma
  id, is_word), ``lemmas.arrow`` (lemma): the id tables surface -> form -> lemma;
- per shard ``NNNNN.``: ``documents.arrow`` (token_start: the document's first token in
  the shard; text: the cleaned, redacted text), ``tokens.arrow`` (surface: the shard's own
  surface id; char_start: the token's offset in its document's text), ``sentences.arrow``
  and ``paragraphs.arrow`` (start: first token in the shard; doc: document in the shard),
  ``vocab.arrow`` (the shard's surfaces in order of first occurrence), ``ids.arrow`` (the
  global surface id of each of them, written at the merge), ``meta.parquet`` and
  ``cleaning_log.parquet`` (the shard's rows of the tables);
- ``manifest.json``, written last: how the corpus was made (``Corpus.manifest``) and,
  under ``store``, the format (``STORE_FORMAT``), the shards' sizes and the size and
  SHA-256 of every other file.

Arrow files are Arrow IPC files without compression, so they are memory-mapped: opening
an entry copies only what a Corpus holds whole (token ids mapped to global ids and
character offsets, 8 bytes per token, plus the unit offsets and the metadata); the texts
stay in the mapped files and are decoded one document at a time (``texts.ShardTexts``).
Nothing in an entry can run code when it is read. ``entry_read`` checks the format, the
key, the list of files, each file's size and SHA-256 and the shapes before it returns a
Corpus; any mismatch raises ``EntryInvalid`` with a one-line reason, and the caller
rebuilds the entry. How entries are written atomically is ``text.entry``.
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ordbruk.text.corpus import Corpus
from ordbruk.text.texts import ShardTexts

#: The on-disk format; part of the cache key, so entries of another format are never read.
#: 1: tables pickled, no checksums (before issue 12); 2: one folder of .npz, text and CSV
#: files, SHA-256 of every file; 3: shards in Arrow IPC and Parquet, one vocabulary.
STORE_FORMAT = "3"
GLOBAL_FILES = ("vocab.arrow", "forms.arrow", "lemmas.arrow")
SHARD_FILES = ("documents.arrow", "tokens.arrow", "sentences.arrow", "paragraphs.arrow")
SHARD_FILES += ("vocab.arrow", "ids.arrow", "meta.parquet", "cleaning_log.parquet")
MANIFEST = "manifest.json"
#: The arrays of a Corpus, and their dtypes (what the shapes check and the tests compare).
ARRAYS = ("tokens", "char_starts", "doc_starts", "para_starts", "para_doc", "sent_starts")
ARRAYS += ("sent_doc",)
TABLES = ("lower", "lemma", "form_is_word")


class EntryInvalid(Exception):
    """A cache entry that must not be used; the message says why, in one line."""


def shard_prefix(index: int) -> str:
    """Return the file-name prefix of shard ``index`` ("00003.")."""
    return f"{index:05d}."


def entry_names(n_shards: int) -> list[str]:
    """Return the names of every file of an entry with ``n_shards`` shards (manifest aside)."""
    return [*GLOBAL_FILES, *(shard_prefix(i) + n for i in range(n_shards) for n in SHARD_FILES)]


def file_read(path: Path) -> bytes:
    """Return a file's bytes (one place, so tests can count the reads)."""
    return path.read_bytes()


def file_write(path: Path, data: bytes) -> dict:
    """Write a file's bytes and return its record (one place, so tests can fail a write)."""
    path.write_bytes(data)
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def file_digest(path: Path) -> str:
    """Return the SHA-256 of a file, read in blocks (one place, so tests can count reads)."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


# -- writing (the workers write their shards, the merge the rest) -------------------------


def arrow_bytes(columns: dict[str, object]) -> bytes:
    """Return an Arrow IPC file (one record batch, uncompressed) of the named columns."""
    table = pa.table(columns)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table, max_chunksize=max(len(table), 1))
    return sink.getvalue().to_pybytes()


def frame_bytes(df: pd.DataFrame) -> bytes:
    """Return a Parquet file of a table (its pandas dtypes kept in the file's schema)."""
    buffer = io.BytesIO()
    table = pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False)
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def shard_files(tables, texts: list[str], meta: pd.DataFrame, log: pd.DataFrame) -> dict:
    """Return ``{name: bytes}`` of a shard's files but ``ids.arrow`` (the merge writes it).

    Args:
        tables: the shard's ``TokenTables`` (its own ids, offsets within the shard).
        texts: its cleaned texts.
        meta: its rows of the metadata (counts added).
        log: its rows of the cleaning log.
    """
    units = {}
    for name, starts, doc in (
        ("sentences", tables.sent_starts, tables.sent_doc),
        ("paragraphs", tables.para_starts, tables.para_doc),
    ):
        units[f"{name}.arrow"] = arrow_bytes(
            {"start": pa.array(starts[:-1], pa.int64()), "doc": pa.array(doc, pa.int32())}
        )
    return {
        "documents.arrow": arrow_bytes(
            {
                "token_start": pa.array(tables.doc_starts[:-1], pa.int64()),
                "text": pa.array(texts, pa.large_string()),
            }
        ),
        "tokens.arrow": arrow_bytes(
            {
                "surface": pa.array(tables.tokens, pa.int32()),
                "char_start": pa.array(tables.char_starts, pa.int32()),
            }
        ),
        **units,
        "vocab.arrow": arrow_bytes({"surface": pa.array(tables.vocab, pa.string())}),
        "meta.parquet": frame_bytes(meta),
        "cleaning_log.parquet": frame_bytes(log),
    }


def global_files(vocab, lower, forms, lemma, is_word, lemmas) -> dict:
    """Return ``{name: bytes}`` of the entry's id tables surface -> form -> lemma."""
    return {
        "vocab.arrow": arrow_bytes(
            {"surface": pa.array(vocab, pa.string()), "lower": pa.array(lower, pa.int32())}
        ),
        "forms.arrow": arrow_bytes(
            {
                "form": pa.array(forms, pa.string()),
                "lemma": pa.array(lemma, pa.int32()),
                "is_word": pa.array(is_word, pa.bool_()),
            }
        ),
        "lemmas.arrow": arrow_bytes({"lemma": pa.array(lemmas, pa.string())}),
    }


def manifest_bytes(manifest: dict, key: str, files: dict, shards: list[dict]) -> bytes:
    """Return the manifest file: the public manifest plus the ``store`` record."""
    store = {"format": STORE_FORMAT, "files": files, "shards": shards}
    text = json.dumps({**manifest, "key": key, "store": store}, indent=1, sort_keys=True,
                      ensure_ascii=False)  # fmt: skip
    return text.encode("utf-8")


# -- reading ------------------------------------------------------------------------------


def manifest_read(folder: Path) -> dict | None:
    """Return the manifest of the entry in ``folder``, None when there is no entry.

    Raises:
        EntryInvalid: the folder is there but its manifest is missing, not JSON, of
            another format or for another key.
    """
    path = folder / MANIFEST
    if not path.is_file():
        if not folder.exists():
            return None
        raise EntryInvalid(f"{MANIFEST} is missing (a partial entry)")
    try:
        manifest = json.loads(file_read(path).decode("utf-8"))
    except (OSError, ValueError) as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise EntryInvalid(f"{MANIFEST} cannot be read ({why_of(e)})") from None
    store = manifest.get("store") if isinstance(manifest, dict) else None
    if not isinstance(store, dict) or store.get("format") != STORE_FORMAT:
        raise EntryInvalid(f"{MANIFEST} is not of cache format {STORE_FORMAT}")
    if manifest.get("key") != folder.name:
        raise EntryInvalid(f"{MANIFEST} is for key {manifest.get('key')!r}")
    shards = store.get("shards")
    if not isinstance(shards, list) or not all(isinstance(s, dict) for s in shards):
        raise EntryInvalid(f"{MANIFEST} does not list the shards of an entry")
    files = store.get("files")
    if not isinstance(files, dict) or sorted(files) != sorted(entry_names(len(shards))):
        raise EntryInvalid(f"{MANIFEST} does not list the files of an entry")
    return manifest


def entry_check(folder: Path, manifest: dict) -> None:
    """Check every file of the entry against the manifest: names, sizes and SHA-256.

    Raises:
        EntryInvalid: a file is missing or extra, or its size or SHA-256 differ.
    """
    try:
        names = {p.name for p in folder.iterdir()}
    except OSError as e:
        raise EntryInvalid(f"cannot be listed ({why_of(e)})") from None
    files = manifest["store"]["files"]
    extra = sorted(names - {*files, MANIFEST})
    if extra:
        raise EntryInvalid(f"holds files an entry does not have: {', '.join(extra)}")
    files_check(folder, files)


def files_check(folder: Path, files: dict) -> None:
    """Check files (``{name: {"bytes", "sha256"}}``): sizes, then SHA-256; else EntryInvalid."""
    for name, record in files.items():
        path = folder / name
        try:
            size, digest = path.stat().st_size, None
            if isinstance(record, dict) and size == record.get("bytes"):
                digest = file_digest(path)
        except OSError as e:
            raise EntryInvalid(f"{name} cannot be read ({why_of(e)})") from None
        if digest is None:
            raise EntryInvalid(f"{name} is truncated or changed (size differs from the manifest)")
        if digest != record.get("sha256"):
            raise EntryInvalid(f"{name} is changed (its SHA-256 differs from the manifest)")


def entry_read(folder: Path, manifest: dict | None = None) -> Corpus:
    """Return the Corpus stored in ``folder``, every file checked first.

    Raises:
        EntryInvalid: anything about the entry is wrong (see the module docstring).
    """
    manifest = manifest or manifest_read(folder)
    if manifest is None:
        raise EntryInvalid("there is no entry")
    entry_check(folder, manifest)
    try:
        c = _decode(folder, manifest)
        _shapes_check(c, manifest)
    except (OSError, ValueError, KeyError, TypeError, IndexError, pa.ArrowException) as e:
        raise EntryInvalid(f"cannot be decoded ({why_of(e)})") from None
    _memory_release()
    return c


def _memory_release() -> None:
    """Give back to the system what reading freed (the shards' frames before they were joined).

    Arrow's pool and, on glibc, malloc keep freed memory for reuse; an opened corpus is then
    held by a notebook for its whole run (about 50 MB on the bulk corpus).
    """
    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def arrow_read(path: Path) -> pa.Table:
    """Return an Arrow IPC file as a table, memory-mapped (nothing copied)."""
    with pa.ipc.open_file(pa.memory_map(str(path))) as reader:
        return reader.read_all()


def array_of(table: pa.Table, name: str, dtype) -> np.ndarray:
    """Return a column of ``table`` as a NumPy array of ``dtype`` (an error if values are missing)."""
    column = table.column(name)
    if column.null_count:
        raise ValueError(f"{name}: missing values")
    if column.num_chunks == 0:
        return np.zeros(0, dtype)
    chunk = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    return chunk.to_numpy(zero_copy_only=False).astype(dtype, copy=False)


def _strings(table: pa.Table, name: str) -> list[str]:
    return table.column(name).to_pylist()


def shard_tokens_global(folder: Path, i: int, toks: pa.Table | None = None) -> np.ndarray:
    """Return shard ``i``'s tokens as global surface ids (ValueError: an id out of range)."""
    p = folder / shard_prefix(i)
    ids = array_of(arrow_read(Path(f"{p}ids.arrow")), "id", np.int32)
    toks = arrow_read(Path(f"{p}tokens.arrow")) if toks is None else toks
    local = array_of(toks, "surface", np.int32)
    if len(local) and (local.min() < 0 or local.max() >= len(ids)):
        raise ValueError(f"shard {i}: token ids outside its vocabulary")
    return ids[local]


def frame_read(path: Path) -> pd.DataFrame:
    """Return a table from its Parquet file, with the dtypes it was written with."""
    return pq.read_table(path).to_pandas()


def _decode(folder: Path, manifest: dict) -> Corpus:
    vocab_t = arrow_read(folder / "vocab.arrow")
    forms_t = arrow_read(folder / "forms.arrow")
    shards = manifest["store"]["shards"]
    n_tokens = sum(int(s["n_tokens"]) for s in shards)
    tokens = np.empty(n_tokens, np.int32)
    char_starts = np.empty(n_tokens, np.int32)
    doc_starts, docs_texts, metas, logs = [], [], [], []
    units = {"sentences": ([], []), "paragraphs": ([], [])}
    t0 = d0 = 0
    for i in range(len(shards)):
        p = folder / shard_prefix(i)
        toks = arrow_read(Path(f"{p}tokens.arrow"))
        n = len(toks)
        tokens[t0 : t0 + n] = shard_tokens_global(folder, i, toks)
        char_starts[t0 : t0 + n] = array_of(toks, "char_start", np.int32)
        del toks
        documents = arrow_read(Path(f"{p}documents.arrow"))
        doc_starts.append(array_of(documents, "token_start", np.int64) + t0)
        docs_texts.append(documents.column("text"))
        for name, (starts, docs) in units.items():
            table = arrow_read(Path(f"{p}{name}.arrow"))
            starts.append(array_of(table, "start", np.int64) + t0)
            docs.append(array_of(table, "doc", np.int32) + d0)
        metas.append(frame_read(Path(f"{p}meta.parquet")))
        logs.append(frame_read(Path(f"{p}cleaning_log.parquet")))
        t0 += n
        d0 += len(documents)
    doc_starts = np.append(np.concatenate(doc_starts), t0).astype(np.int64)
    (s_starts, s_doc), (p_starts, p_doc) = (
        (np.append(np.concatenate(a), t0).astype(np.int64), np.concatenate(b).astype(np.int32))
        for a, b in units.values()
    )
    public = {k: v for k, v in manifest.items() if k != "store"}
    return Corpus(
        tokens=tokens,
        char_starts=char_starts,
        doc_starts=doc_starts,
        para_starts=p_starts,
        para_doc=p_doc,
        sent_starts=s_starts,
        sent_doc=s_doc,
        vocab=_strings(vocab_t, "surface"),
        lower=array_of(vocab_t, "lower", np.int32),
        forms=_strings(forms_t, "form"),
        lemma=array_of(forms_t, "lemma", np.int32),
        lemmas=_strings(arrow_read(folder / "lemmas.arrow"), "lemma"),
        form_is_word=array_of(forms_t, "is_word", bool),
        meta=_frames_concat(metas),
        texts=ShardTexts(docs_texts),
        cleaning_log=_frames_concat(logs),
        manifest=public,
    )


def _frames_concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    # A shard with no rows (a log with nothing to say) adds nothing, not its dtypes.
    frames = [f for f in frames if len(f)] or frames[:1]
    if len(frames) == 1:
        return frames[0]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _shapes_check(c: Corpus, manifest: dict) -> None:
    n_docs, n_tokens = manifest["n_docs"], manifest["n_tokens"]
    n_vocab, n_forms = len(c.vocab), len(c.forms)
    problems = [
        name
        for name, ok in (
            ("texts", len(c.texts) == n_docs == len(c.meta)),
            ("tokens", len(c.tokens) == len(c.char_starts) == n_tokens),
            ("doc_starts", len(c.doc_starts) == n_docs + 1),
            ("vocab", len(c.lower) == n_vocab and (not n_tokens or c.tokens.max() < n_vocab)),
            ("forms", n_forms == manifest["n_forms"] == len(c.lemma) == len(c.form_is_word)),
            ("lower", not n_vocab or 0 <= c.lower.min() <= c.lower.max() < n_forms),
            ("lemmas", len(c.lemmas) == manifest["n_lemmas"]),
            ("lemma", not n_forms or 0 <= c.lemma.min() <= c.lemma.max() < len(c.lemmas)),
            ("units", bool(np.all(np.diff(c.doc_starts) >= 0))),
        )
        if not ok
    ]
    if problems:
        raise EntryInvalid(f"{', '.join(problems)} do not match the manifest")


def why_of(e: BaseException) -> str:
    """Return an error's reason in one line (an OSError's strerror, without the path)."""
    text = e.strerror if isinstance(e, OSError) and e.strerror else str(e) or type(e).__name__
    return " ".join(text.split())
