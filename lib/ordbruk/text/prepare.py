"""Building a cache entry: read, then clean and tokenise shard by shard on the engine, merge.

``corpus_build`` is what ``text.cache`` does on a miss. In this process it reads and
validates the input (``corpus.validate.corpus_load``), redacts the metadata
(``redaction.meta_redact``), decides which documents count toward repeated lines
(``cleaning_shards.clean_plan``) and cuts the documents into shards
(``shards.shards_plan``). The engine (``ordbruk.engine``) then runs two maps over the
shards: ``shards.shard_scan`` (normalise, redact, find boilerplate; small mergeable
stats back) and, after ``cleaning_shards.clean_stats_merge``, ``shards.shard_build``
(finish cleaning, tokenise, write the shard's files into the entry's temporary folder).
``shards.shards_merge`` joins the vocabularies and lemmatises each form once, again on
the engine; the manifest is written last and the folder published
(``entry.entry_publish``). The result equals one ``cleaning_shards.corpus_clean`` and one
``tables.tokens_build`` over the whole corpus, on every engine and shard size. Each
stage is timed and reported as it runs (``Stages``). The Corpus returned is the entry
read back from disk, so a fresh corpus and a reused one are the same object built the
same way.
"""

from __future__ import annotations

import math
import os
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TextIO

from ordbruk import progress
from ordbruk.corpus.inputs import inputs_fingerprint, inputs_list
from ordbruk.corpus.validate import corpus_load
from ordbruk.engine import engine_check, engine_open
from ordbruk.errors import OrdbrukError
from ordbruk.text import cleaning as cl
from ordbruk.text import cleaning_shards as cs
from ordbruk.text import shards, store
from ordbruk.text import tokenize as tok
from ordbruk.text.corpus import Corpus
from ordbruk.text.counts import entry_open
from ordbruk.text.entry import cache_unwritable, entry_publish, entry_tmp
from ordbruk.text.redaction import meta_redact
from ordbruk.versions import package_version

# A failpoint for the fault-injection tests (tests/run/test_run_faults.py): with
# ORDBRUK_FAULT_PAUSE=clean, tokens or write, the preparation waits as that stage starts,
# so a signal sent once its line is printed lands inside the stage, however fast it is.
FAULT_PAUSE_ENV = "ORDBRUK_FAULT_PAUSE"
FAULT_PAUSE_SECONDS = 60


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
            if os.environ.get(FAULT_PAUSE_ENV) == name:  # the fault tests' failpoint
                time.sleep(FAULT_PAUSE_SECONDS)
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
    shard_tokens = shard_tokens or shards.SHARD_TOKENS
    with ExitStack() as opened:
        # A large input starts the workers now, so they load while the corpus is read.
        # (No more workers than the shards the size on disk suggests.)
        expected = _shards_expected(src, shard_tokens)
        eng = (
            opened.enter_context(engine_open(setting, expected, shards.worker_warm))
            if expected > 1
            else None
        )
        return _build(src, root, folder, files, args, settings, stages, setting, shard_tokens,
                      key_make, read, eng, opened)  # fmt: skip


def _shards_expected(src: Path, shard_tokens: int) -> int:
    """Return how many shards the input will about make, from its size on disk.

    Decides only when the workers start (before reading or after), never the shards: a
    compressed file counts four times its size.
    """
    size = sum(
        f.stat().st_size * (4 if f.suffix == ".gz" else 1) for f in inputs_list(src).values()
    )
    return math.ceil(size / (shard_tokens * shards.CHARS_PER_TOKEN))


def _build(src, root, folder, files, args, settings, stages, setting, shard_tokens, key_make,
           read, eng, opened):  # fmt: skip
    with stages.run("load", "read and validate"):
        raw = corpus_load(src, **args)
        stages.n_docs = len(raw.texts)
    if raw.files != files:  # an input changed since it was hashed: store what was parsed
        folder = root / key_make(raw.files, args, settings)
    settings = cl.settings_check(settings)
    texts = raw.texts
    ids = raw.meta["doc_id"].astype(str).tolist()
    actors = raw.meta["actor"].fillna("").astype(str).tolist()
    meta, renamed = meta_redact(raw.meta)
    meta = meta.reset_index(drop=True)
    plan = shards.shards_plan(texts, shard_tokens)
    raw_kind, raw_files, warnings = raw.kind, raw.files, [str(p) for p in raw.problems]
    del raw
    tmp = None
    try:
        tmp = entry_tmp(root, folder.name)
        if eng is None:
            eng = opened.enter_context(engine_open(setting, len(plan), shards.worker_warm))
        _workers_check(eng, setting)
        quiet = eng.kind != "serial"
        with stages.run("clean", _label("clean and redact", eng)):
            counted, big = cs.clean_plan(list(map(cs.clean_key, texts)), actors, settings)
            scans = [
                shards.ScanTask(i, str(tmp), texts[a:b], ids[a:b], actors[a:b],
                                counted[a:b], big, settings, quiet)
                for i, (a, b) in enumerate(plan)
            ]  # fmt: skip
            merged = cs.clean_stats_merge(eng.map(shards.shard_scan, scans), settings)
            del scans, texts, counted
        with stages.run("tokens", _label("tokenise", eng)):
            tasks = [
                shards.ShardTask(i, str(tmp), merged, meta.iloc[a:b],
                                 {d: renamed[d] for d in ids[a:b] if d in renamed}, quiet)
                for i, (a, b) in enumerate(plan)
            ]  # fmt: skip
            results = eng.map(shards.shard_build, tasks)
            del tasks, merged
            shutil.rmtree(tmp / shards.SCANS, ignore_errors=True)
        described = eng.describe()
        with stages.run("write", _label("lemmatise and write the cache", eng)):
            written, counts = shards.shards_merge(results, tmp, eng)
            actions = Counter()
            for r in results:
                actions.update(r.actions)
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
                "n_docs": len(ids),
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
    except BaseException as e:  # an interrupt or a failed worker: nothing is published
        try:
            if eng is not None:
                eng.close()  # first: no worker writes into the folder while it is removed
        finally:  # a second Ctrl-C while the running tasks end still removes the folder
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(e, OSError) and _under(getattr(e, "filename", None), root):
            raise cache_unwritable(root, e) from None
        if isinstance(e, OSError) and eng is not None and eng.kind != "serial":
            raise OrdbrukError(
                f"engine {setting}: the workers failed ({type(e).__name__}: "
                f"{' '.join(str(e).split()) or 'no message'}); nothing was written to the cache"
            ) from None
        if isinstance(e, OSError):
            raise cache_unwritable(root, e) from None
        raise
    c = None
    if read:
        try:
            c = entry_open(folder, engine=setting)
        except store.EntryInvalid as e:  # pragma: no cover - what was just written and checked
            raise OrdbrukError(
                f"cache: {folder}: the entry just written is invalid ({e})"
            ) from None
        manifest = c.manifest
    manifest["timings"] = {k: round(v, 2) for k, v in stages.seconds.items()}
    manifest["engine"] = {**described, "shards": len(plan)}
    manifest.update(cache_hit=False, cache_path=str(folder))
    return manifest, c


def _under(name, root: Path) -> bool:
    """Whether an error's file name lies in the cache folder ``root``."""
    try:
        return name is not None and Path(os.fsdecode(name)).resolve().is_relative_to(root.resolve())
    except (OSError, ValueError, TypeError):
        return False


def _workers_check(eng, setting: str) -> None:
    """Raise OrdbrukError if a worker runs other versions of the code than this process.

    A shard is cleaned and tokenised by the worker's copy of ordbruk; the cache key records
    this process's versions, so a worker with another simplemma or tokeniser would store an
    entry under a key that says otherwise.
    """
    here = shards.worker_versions()
    for there in eng.warmed():
        if there != here:
            name = next(k for k in here if (there or {}).get(k) != here[k])
            raise OrdbrukError(
                f"engine {setting}: a worker has {name} {(there or {}).get(name)}, this process "
                f"{here[name]}; install ordbruk from the same lock file and commit on the "
                "workers (README, Large corpora and clusters)"
            )


def _label(what: str, eng) -> str:
    where = "" if eng.kind == "serial" else f" on {eng.workers} {eng.kind} workers"
    return f"{what}{where}"
