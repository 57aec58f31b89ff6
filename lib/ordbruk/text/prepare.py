"""Building a cache entry: read, clean, then tokenise shard by shard on the engine, merge, write.

``corpus_build`` is what ``text.cache`` does on a miss. It reads and validates the input
(``corpus.validate.corpus_load``), cleans and redacts it (``cleaning.corpus_clean``) and
redacts the metadata (``corpus.meta_redacted``), cuts the documents into shards
(``shards.shards_plan``), has the engine (``ordbruk.engine``) tokenise, lemmatise and
write each shard into the entry's temporary folder (``shards.shard_build``), merges the
vocabularies (``shards.shards_merge``), writes the manifest last and publishes the
folder (``entry.entry_publish``). Each stage is timed and reported as it runs
(``Stages``). The Corpus returned is the entry read back from disk, so a fresh corpus and
a reused one are the same object built the same way.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd

from ordbruk import progress
from ordbruk.corpus.inputs import inputs_fingerprint
from ordbruk.corpus.validate import corpus_load
from ordbruk.engine import engine_check, engine_open
from ordbruk.errors import OrdbrukError
from ordbruk.text import cleaning as cl
from ordbruk.text import shards, store
from ordbruk.text import tokenize as tok
from ordbruk.text.corpus import Corpus, meta_redacted
from ordbruk.text.entry import cache_unwritable, entry_publish, entry_tmp
from ordbruk.versions import package_version


class Stages:
    """Times the stages of a preparation and, given a stream, reports each as it runs."""

    def __init__(self, stream: TextIO | None):
        self.stream, self.seconds, self.n_docs = stream, {}, 0

    def _write(self, text: str) -> None:
        if self.stream is not None:
            self.stream.write(text)
            self.stream.flush()

    @contextmanager
    def run(self, name: str, label: str) -> Iterator[None]:
        """Report ``label`` as it starts and ends, and time it as ``name``."""
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


def corpus_build(
    src: Path,
    root: Path,
    folder: Path,
    files: dict[str, str],
    args: dict,
    settings: dict,
    stages: Stages,
    engine: str | None,
    shard_tokens: int | None,
    key_make: Callable,
    read: bool = True,
) -> tuple[dict, Corpus | None]:
    """Build the entry ``folder`` in the cache ``root`` from the corpus ``src``.

    Args:
        src: the corpus (folder or file), resolved.
        root: the cache folder.
        folder: the entry's folder (its name is the key from the hashed inputs).
        files: the input files' SHA-256 as hashed for the key.
        args: the reader arguments.
        settings: the complete cleaning settings.
        stages: reports and times each stage.
        engine: where the shards are built (``ordbruk.engine``).
        shard_tokens: the size of a shard in tokens (None: ``shards.SHARD_TOKENS``).
        key_make: the cache key of (files, args, settings), for an input that changed
            between hashing and reading.
        read: return the Corpus, read back from the entry (else None: ``cache_ensure``).

    Returns:
        (the manifest, with ``timings`` and ``engine``; the Corpus or None).

    Raises:
        CorpusError: the input has errors; OrdbrukError: the cache cannot be written.
    """
    setting = engine_check(engine)
    with stages.run("load", "read and validate"):
        raw = corpus_load(src, **args)
        stages.n_docs = len(raw.texts)
    if raw.files != files:  # an input changed since it was hashed: store what was parsed
        folder = root / key_make(raw.files, args, settings)
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
    c = None
    if read:
        try:
            c = store.entry_read(folder)
        except store.EntryInvalid as e:  # pragma: no cover - what was just written and checked
            raise OrdbrukError(
                f"cache: {folder}: the entry just written is invalid ({e})"
            ) from None
        manifest = c.manifest
    manifest["timings"] = {k: round(v, 2) for k, v in stages.seconds.items()}
    manifest["engine"] = {**described, "shards": len(plan)}
    manifest.update(cache_hit=False, cache_path=str(folder))
    return manifest, c


def _tokens_label(eng) -> str:
    where = "" if eng.kind == "serial" else f" on {eng.workers} {eng.kind} workers"
    return f"tokenise and lemmatise{where}"


def _log_rows(log: pd.DataFrame, doc: np.ndarray, a: int, b: int) -> pd.DataFrame:
    """Return the cleaning log's rows of documents a..b-1 (``doc``: each row's document).

    The log is in document order, so a shard's rows are one run of it.
    """
    lo, hi = np.searchsorted(doc, [a, b], side="left")
    return log.iloc[lo:hi].reset_index(drop=True)
