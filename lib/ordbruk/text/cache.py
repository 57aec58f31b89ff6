"""The processed corpus: validated, cleaned, tokenised, lemmatised, and cached on disk.

``corpus_prepare`` validates the input (``corpus.validate.corpus_load``), cleans and
redacts it (``cleaning.corpus_clean``), builds the token tables (``tables.tokens_build``)
and stores the result under a key made from the sha256 of every input file
(``corpus.inputs``), the validation and cleaning settings, the shipped resource files and
the versions of the processing code and simplemma. An unchanged rerun loads the stored
arrays instead of redoing the work; any change to inputs or settings makes a new key, so
a stale result is never reused. How an entry is stored (no pickles), checked (SHA-256 of
every file) and written atomically is ``text.store``; an invalid entry is rebuilt with a
one-line warning. ``ordbruk run`` prepares the corpus once (``cache_ensure``: on a hit the
input files are hashed and the entry's files checked, nothing parsed) and passes the key
to every notebook, whose ``corpus_open`` reads the entry by key without touching
the input; without a key ("Run All") ``corpus_open`` prepares as above.

The ``Corpus`` object (``ordbruk.text.corpus``) holds one flat token array for the whole corpus with offsets for
documents, paragraphs and sentences, and id tables surface -> form -> lemma. Analyses
work on these arrays with numpy rather than on Python lists of strings.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd

from ordbruk import progress
from ordbruk.corpus.inputs import inputs_fingerprint, inputs_hash, sha256_hex
from ordbruk.corpus.validate import corpus_load, validation_args
from ordbruk.engine import engine_check, engine_open
from ordbruk.errors import CorpusError, OrdbrukError, ParameterError
from ordbruk.paths import cache_dir_default, path_resolve
from ordbruk.resources import resource_path
from ordbruk.text import cleaning as cl
from ordbruk.text import shards, store
from ordbruk.text import tokenize as tok
from ordbruk.text.corpus import Corpus, meta_redacted
from ordbruk.text.entry import cache_unwritable, entry_publish, entry_tmp
from ordbruk.text.subset import corpus_subset
from ordbruk.versions import package_version

# The stop lists: cleaning's hyphen rule never joins before a stop word (form or lemma).
PREPARE_RESOURCES = (
    "abbreviations_sv.txt",
    "boilerplate.yaml",
    "lemma_corrections_sv.txt",
    "stopwords_sv.txt",
    "stopwords_lemmas_sv.txt",
)


def _resources_hash() -> str:
    parts = []
    for name in PREPARE_RESOURCES:
        p = resource_path(name)
        parts.append(name.encode() + b"\0" + (p.read_bytes() if p.exists() else b""))
    return sha256_hex(b"".join(parts))


def _settings(validation: dict | None, cleaning: dict | None) -> tuple[dict, dict]:
    """Return (reader arguments, complete cleaning settings) as the key and manifest hold them."""
    return validation_args(validation), {**cl.CLEANING_DEFAULTS, **dict(cleaning or {})}


def cache_key_make(files: dict[str, str], validation: dict, cleaning: dict) -> str:
    """Return the cache key: inputs, settings, resources and processing versions hashed.

    Args:
        files: ``{name: sha256}`` of every input file (``corpus.inputs.inputs_hash``).
        validation: the reader arguments (``corpus.validate.validation_args``).
        cleaning: the complete cleaning settings.

    Returns:
        24 hex characters.
    """
    # A rules file of the user's own (cleaning.boilerplate: path) counts by its content.
    rules = cleaning.get("boilerplate")
    rules_path = path_resolve(rules) if isinstance(rules, str) and rules else None
    payload = {
        "inputs": inputs_fingerprint(files),
        "validation": {
            "levels": validation["allowed_levels"],
            "fallback": validation["encoding_fallback"],
        },
        "cleaning": cleaning,
        "resources": _resources_hash(),
        "tokens_version": tok.TOKENS_VERSION,
        "cleaning_version": cl.CLEANING_VERSION,
        "store_format": store.STORE_FORMAT,
        **{name: package_version(name) for name in ("simplemma", "pandas", "numpy")},
    }
    if rules_path is not None and rules_path.is_file():
        payload["rules_file"] = sha256_hex(rules_path.read_bytes())
    blob = json.dumps(payload, sort_keys=True, default=str).encode()
    return sha256_hex(blob)[:24]


def _warn(folder: Path, why: store.EntryInvalid) -> None:
    """Say, in one line, that an entry is not used and is being rebuilt."""
    sys.stderr.write(f"warning: cache: {folder}: {why}; not used, rebuilding it\n")
    sys.stderr.flush()


def _entry_found(folder: Path, decode: bool) -> tuple[dict | None, Corpus | None]:
    """Return (manifest, Corpus when ``decode``) of a valid entry; (None, None) otherwise.

    Every file is checked against the manifest's SHA-256 even when nothing is decoded, so
    that ``ordbruk run`` never hands its notebooks a truncated or changed entry.
    """
    try:
        manifest = store.manifest_read(folder)
        if manifest is None:
            return None, None
        if decode:
            c = store.entry_read(folder, manifest)
            return c.manifest, c
        store.entry_check(folder, manifest)
    except store.EntryInvalid as e:
        _warn(folder, e)
        return None, None
    return {k: v for k, v in manifest.items() if k != "store"}, None


class _Stages:
    """Times the stages of a preparation and, given a stream, reports each as it runs."""

    def __init__(self, stream: TextIO | None):
        self.stream, self.seconds, self.n_docs = stream, {}, 0

    def _write(self, text: str) -> None:
        if self.stream is not None:
            self.stream.write(text)
            self.stream.flush()

    @contextmanager
    def run(self, name: str, label: str) -> Iterator[None]:
        prefix = f"corpus: {label} ... "
        self._write(prefix)
        started = time.perf_counter()
        try:
            yield
        except BaseException:
            self._write("failed\n")
            raise
        self.seconds[name] = seconds = time.perf_counter() - started
        if self.stream is not None and progress.shown() and progress.shown(self.stream):
            sys.stderr.write(f"\r{prefix}")  # a bar (stderr) was drawn over this line
        # Documents per second, once the number of documents is known (not while hashing).
        rate = f" ({self.n_docs:,} documents, {self.n_docs / seconds:,.0f}/s)" if (
            self.n_docs and name != "hash" and seconds > 0) else ""  # fmt: skip
        self._write(f"done in {seconds:.1f} s{rate}\n")


def _prepare(path, cache_dir, validation, cleaning, use_cache, stream, read_hit, engine=None,
             shard_tokens=None):  # fmt: skip
    """Find or build the cache entry; return (manifest, Corpus or None on an unread hit)."""
    started = time.perf_counter()
    src = path_resolve(path)
    args, settings = _settings(validation, cleaning)
    root = path_resolve(cache_dir, cache_dir_default())
    stages = _Stages(stream)
    with stages.run("hash", "hash the input files"):
        files = inputs_hash(src)
        folder = root / cache_key_make(files, args, settings)
    manifest, c = _entry_found(folder, read_hit) if use_cache else (None, None)
    if manifest is not None:
        manifest.update(cache_hit=True, cache_path=str(folder))
        manifest["seconds"] = round(time.perf_counter() - started, 3)
        return manifest, c
    setting = engine_check(engine)
    with stages.run("load", "read and validate"):
        raw = corpus_load(src, **args)
        stages.n_docs = len(raw.texts)
    if raw.files != files:  # an input changed since it was hashed: store what was parsed
        folder = root / cache_key_make(raw.files, args, settings)
    with stages.run("clean", "clean and redact"):
        texts, log = cl.corpus_clean(raw.texts, raw.meta, settings)
        meta, log = meta_redacted(raw.meta, log)
    plan = shards.shards_plan(texts, shard_tokens or shards.SHARD_TOKENS)
    raw_kind, raw_files, warnings = raw.kind, raw.files, [str(p) for p in raw.problems]
    del raw
    log_doc = pd.Index(meta["doc_id"]).get_indexer(log["doc_id"]) if len(log) else np.zeros(0)
    tmp = None
    try:
        tmp = entry_tmp(root, folder.name)
        with (
            engine_open(setting, len(plan), shards.worker_warm) as eng,
            stages.run("tokens", _tokens_label(eng)),
        ):
            tasks = [
                shards.ShardTask(
                    i, str(tmp), texts[a:b], meta.iloc[a:b], _log_rows(log, log_doc, a, b)
                )
                for i, (a, b) in enumerate(plan)
            ]
            results = eng.map(shards.shard_build, tasks)
            described = eng.describe()
        del tasks
        with stages.run("write", "write the cache"):
            written, counts = shards.shards_merge(results, tmp)
            actions = log["action"].value_counts() if "action" in log else {}
            manifest = {
                "key": folder.name,
                "source": str(src),
                "kind": raw_kind,
                "input_sha256": raw_files,
                "fingerprint": inputs_fingerprint(raw_files),
                "validation": {
                    "allowed_levels": list(args["allowed_levels"]),
                    "encoding_fallback": args["encoding_fallback"],
                },
                "cleaning": settings,
                "cleaning_counts": {a: int(actions.get(a, 0)) for a in ("removed", "redacted")},
                "warnings": warnings,
                "n_docs": len(texts),
                "n_tokens": sum(r.n_tokens for r in results),
                **counts,
                "versions": {
                    "ordbruk_tokens": tok.TOKENS_VERSION,
                    "simplemma": package_version("simplemma"),
                },
            }
            for r in results:
                written.update(r.files)
            layout = [{"n_docs": r.n_docs, "n_tokens": r.n_tokens} for r in results]
            data = store.manifest_bytes(manifest, folder.name, written, layout)
            store.file_write(tmp / store.MANIFEST, data)
            entry_publish(tmp, folder)
    except OSError as e:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        raise cache_unwritable(root, e) from None
    except BaseException:  # an interrupt or a failed worker: nothing is published
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        c = store.entry_read(folder)
    except store.EntryInvalid as e:  # pragma: no cover - what was just written and checked
        raise OrdbrukError(f"cache: {folder}: the entry just written is invalid ({e})") from None
    c.manifest["timings"] = {k: round(v, 2) for k, v in stages.seconds.items()}
    c.manifest["engine"] = {**described, "shards": len(plan)}
    c.manifest.update(cache_hit=False, cache_path=str(folder))
    c.manifest["seconds"] = round(time.perf_counter() - started, 3)
    return c.manifest, c


def _tokens_label(eng) -> str:
    where = "" if eng.kind == "serial" else f" on {eng.workers} {eng.kind} workers"
    return f"tokenise and lemmatise{where}"


def _log_rows(log: pd.DataFrame, doc: np.ndarray, a: int, b: int) -> pd.DataFrame:
    """Return the cleaning log's rows of documents a..b-1 (``doc``: each row's document).

    The log is in document order, so a shard's rows are one run of it.
    """
    lo, hi = np.searchsorted(doc, [a, b], side="left")
    return log.iloc[lo:hi].reset_index(drop=True)


def corpus_prepare(
    path: str | os.PathLike,
    cache_dir: str | os.PathLike | None = None,
    validation: dict | None = None,
    cleaning: dict | None = None,
    use_cache: bool = True,
    stream: TextIO | None = None,
    engine: str | None = None,
    shard_tokens: int | None = None,
) -> Corpus:
    """Validate, clean and process a corpus, or load it from the cache when unchanged.

    Args:
        path: the corpus (folder, .jsonl, .jsonl.gz or .csv); relative paths are
            resolved against the repository root.
        cache_dir: where processed corpora are stored (default: ``.cache/ordbruk``).
        validation: ``allowed_levels`` and ``encoding_fallback`` (params ``validation``).
        cleaning: the params ``cleaning`` block; None uses the defaults.
        use_cache: False always recomputes (the result is still stored).
        stream: where to report each stage as it runs (``corpus: <stage> ... done in
            <s> s``); None is silent.
        engine: where the shards are prepared (``ordbruk.engine``: local, local:N, serial
            or a Dask scheduler address); the result is the same on every engine.
        shard_tokens: the size of a shard in tokens (default ``shards.SHARD_TOKENS``).

    Returns:
        The processed corpus; ``manifest["cache_hit"]`` says whether it was reused.

    Raises:
        CorpusError: the input has errors (each named by file, row and field).
        OrdbrukError: the cache folder cannot be written (read-only, full).
    """
    return _prepare(
        path, cache_dir, validation, cleaning, use_cache, stream, True, engine, shard_tokens
    )[1]


def cache_ensure(
    path: str | os.PathLike,
    cache_dir: str | os.PathLike | None = None,
    validation: dict | None = None,
    cleaning: dict | None = None,
    stream: TextIO | None = None,
    engine: str | None = None,
    shard_tokens: int | None = None,
) -> dict:
    """Make sure the processed corpus is in the cache, and return its manifest.

    What ``ordbruk run`` and ``ordbruk prepare`` call: it hashes the input files once
    and, on a hit, checks every file of the entry against its manifest without parsing
    anything; otherwise (or when the entry is invalid: rebuilt with a one-line warning) it
    reads and validates the input once, processes it and writes the entry.

    Args:
        path: the corpus (folder, .jsonl, .jsonl.gz or .csv).
        cache_dir: where processed corpora are stored (default: ``.cache/ordbruk``).
        validation: the params ``validation`` block.
        cleaning: the params ``cleaning`` block.
        stream: where to report each stage as it runs; None is silent.
        engine: where the shards are prepared (see ``corpus_prepare``).
        shard_tokens: the size of a shard in tokens.

    Returns:
        The manifest: ``key`` (the ``cache_key`` for ``corpus_open``), ``input_sha256``
        (every input file), ``warnings``, ``n_docs``, ``n_tokens``, ``cache_hit``, ...

    Raises:
        CorpusError: the input has errors (each named by file, row and field).
        OrdbrukError: the cache folder cannot be written (read-only, full).
    """
    return _prepare(
        path, cache_dir, validation, cleaning, True, stream, False, engine, shard_tokens
    )[0]


def corpus_open(
    corpus_path: str | os.PathLike,
    cache_dir: str | os.PathLike | None = None,
    cache_key: str = "",
    validation: dict | None = None,
    cleaning: dict | None = None,
    subset: dict | None = None,
) -> Corpus:
    """Open the corpus a run has prepared, by its cache key; without a key, prepare it here.

    ``ordbruk run`` prepares the corpus once (``cache_ensure``) and passes the key to every
    notebook, which opens the entry without reading or hashing the input again. Without
    a key ("Run All" in JupyterLab) this is ``corpus_prepare``.

    Args:
        corpus_path: the corpus; with a key, it must be the one the entry was made from.
        cache_dir: where processed corpora are stored (default: ``.cache/ordbruk``).
        cache_key: the key of a prepared corpus, or "" to prepare (or find) it here.
        validation: the params ``validation`` block; with a key, it must match the entry.
        cleaning: the params ``cleaning`` block; with a key, it must match the entry.
        subset: the params ``subset``: the documents to analyse (``text.subset``); the
            cache always holds the whole corpus.

    Returns:
        The processed corpus, restricted to ``subset``.

    Raises:
        CorpusError: the input has errors (only without a key), or no entry has that key,
            or an invalid entry rebuilt from the input no longer has that key.
        ParameterError: the entry was made from another corpus or with other settings.
        OrdbrukError: an invalid entry must be rebuilt and the cache cannot be written.
    """
    if not cache_key:
        return corpus_subset(corpus_prepare(corpus_path, cache_dir, validation, cleaning), subset)
    started = time.perf_counter()
    folder = path_resolve(cache_dir, cache_dir_default()) / cache_key
    again = (corpus_path, cache_dir, validation, cleaning)
    try:
        manifest = store.manifest_read(folder)
    except store.EntryInvalid as e:
        return corpus_subset(_rebuilt(folder, e, *again), subset)
    if manifest is None:
        raise CorpusError(
            f"cache_key {cache_key}: no prepared corpus in {folder.parent}; run `ordbruk "
            "prepare` with the same parameters, or leave cache_key empty"
        )
    args, settings = _settings(validation, cleaning)
    expected = {
        "source": str(path_resolve(corpus_path)),
        "validation": {
            "allowed_levels": list(args["allowed_levels"]),
            "encoding_fallback": args["encoding_fallback"],
        },
        "cleaning": settings,
    }
    differ = [k for k, v in expected.items() if _canonical(manifest.get(k)) != _canonical(v)]
    if differ:
        raise ParameterError(
            f"cache_key {cache_key}: prepared with another {' and '.join(differ)} than "
            "these parameters give; leave cache_key empty to prepare this corpus"
        )
    try:
        c = store.entry_read(folder, manifest)
    except store.EntryInvalid as e:
        return corpus_subset(_rebuilt(folder, e, *again), subset)
    c.manifest.update(cache_hit=True, cache_path=str(folder))
    c.manifest["seconds"] = round(time.perf_counter() - started, 3)
    return corpus_subset(c, subset)


def _rebuilt(folder, why, corpus_path, cache_dir, validation, cleaning) -> Corpus:
    """Rebuild an invalid entry a run prepared; the input must still give its key."""
    _warn(folder, why)
    c = corpus_prepare(corpus_path, cache_dir, validation, cleaning, use_cache=False)
    if c.manifest["key"] != folder.name:
        raise CorpusError(
            f"cache_key {folder.name}: the entry in {folder.parent} was invalid, and "
            f"{corpus_path} now gives the key {c.manifest['key']}: the corpus or the "
            "parameters changed since the run prepared it; run again"
        )
    return c


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, default=str)
