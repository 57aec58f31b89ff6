"""Preparation as maps over shards and merges: what each worker does, and how ids join.

A corpus is cut into shards of whole documents in input order, about ``shard_tokens``
tokens each (``shards_plan``, by characters: the tokens are not counted yet). Each shard
is first scanned for cleaning by ``shard_scan`` (normalised, redacted, its boilerplate
lines found; the scan kept as JSON in the entry's temporary folder, mergeable stats
returned); once the stats are merged (``cleaning_shards.clean_stats_merge``),
``shard_build`` finishes its cleaning, tokenises it with its own vocabulary and writes its
files straight into the entry's temporary folder. Both run on a worker
(``ordbruk.engine``). ``shards_merge`` then joins the shards' vocabularies in shard
order: a surface gets the next global id where it first occurs, so the global ids, and so
every table and report, are those one process tokenising every text in order would give.
It lemmatises each distinct form once (in chunks, on the engine), writes each shard's map
from its ids to the global ones (``ids.arrow``) and the global id tables; the token files
are never rewritten.

What a worker is sent is its shard only (raw texts, doc_ids and actors; later the merged
cleaning state and its redacted metadata rows) or a chunk of forms, and what it returns
is small (stats, the shard's vocabulary, log counts, the records of the files it wrote;
lemmas), so a worker's memory is bounded by the shard, not by the corpus.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ordbruk import progress
from ordbruk.engine import Engine
from ordbruk.text import cleaning_shards as cs
from ordbruk.text import store
from ordbruk.text import tokenize as tok
from ordbruk.text.cleaning import CLEANING_VERSION
from ordbruk.text.corpus import log_renamed, meta_counts
from ordbruk.text.tables import id_tables, tokens_build
from ordbruk.versions import package_version

#: The default size of a shard, in tokens (params ``shard_tokens``).
SHARD_TOKENS = 4_000_000
#: Characters of cleaned text per token, to plan shards before tokenising (7.0 on the
#: 12.8 M-token bulk corpus, 6.6-7.5 on the seeds and policy-sv).
CHARS_PER_TOKEN = 7


@dataclass
class ScanTask:
    """What a worker needs to scan one shard for cleaning (``cleaning_shards.clean_scan``).

    ``ids`` and ``actors`` are the documents' doc_id and actor as read (the actor decides
    which lines repeat); ``counted`` and ``big_actors`` come from ``clean_plan``.
    """

    index: int
    tmp: str
    texts: list[str]
    ids: list[str]
    actors: list[str]
    counted: list[bool]
    big_actors: set
    settings: dict
    quiet: bool = False


@dataclass
class ShardTask:
    """What a worker needs to finish one shard: the merged cleaning state and its metadata.

    ``meta`` is the shard's rows of the redacted metadata; ``renamed`` the doc_ids of the
    shard that redaction changed (old -> new), for its cleaning log.
    """

    index: int
    tmp: str
    merged: cs.CleanMerged
    meta: pd.DataFrame
    renamed: dict[str, str]
    quiet: bool = False


@dataclass
class ShardResult:
    """What a worker returns: the shard's sizes, vocabulary, log actions and file records."""

    index: int
    n_docs: int
    n_tokens: int
    vocab: list[str]
    actions: dict[str, int]
    files: dict[str, dict]


def shards_plan(texts: list[str], shard_tokens: int = SHARD_TOKENS) -> list[tuple[int, int]]:
    """Return the shards as (first document, end) ranges: whole documents, input order.

    The number of shards is the characters over ``shard_tokens * CHARS_PER_TOKEN``,
    rounded up; the cuts fall where the running count of characters passes each equal
    share, so shards are of about equal size. Empty corpora have one empty shard.
    """
    sizes = np.fromiter(map(len, texts), np.int64, len(texts))
    total = int(sizes.sum())
    n = max(1, math.ceil(total / max(1, shard_tokens * CHARS_PER_TOKEN)))
    n = min(n, max(1, len(texts)))
    ends = np.cumsum(sizes)
    cuts = [0] + [int(np.searchsorted(ends, total * k / n, side="left")) + 1 for k in range(1, n)]
    cuts = sorted(set(min(c, len(texts)) for c in cuts)) + [len(texts)]
    return [(a, b) for a, b in zip(cuts[:-1], cuts[1:], strict=True) if b > a] or [(0, 0)]


def worker_warm() -> dict[str, str]:
    """Load what every shard needs (the tokeniser, simplemma's Swedish dictionary) once.

    Returns:
        ``worker_versions()``, for the caller to compare with its own.
    """
    tok.token_pattern()
    tok.form_lemmatize("samverkan")
    return worker_versions()


def worker_versions() -> dict[str, str]:
    """Return the versions of what decides a shard's content in this process."""
    return {
        "ordbruk": package_version("ordbruk"),
        "ordbruk_tokens": tok.TOKENS_VERSION,
        "ordbruk_cleaning": CLEANING_VERSION,
        **{name: package_version(name) for name in ("simplemma", "pandas", "numpy", "pyarrow")},
    }


#: The subfolder of an entry's temporary folder where the scans wait between the two maps
#: (removed before the entry is published; a failed preparation removes it with the rest).
SCANS = "scans"


def _scan_path(tmp: str, index: int) -> Path:
    return Path(tmp) / SCANS / f"{store.shard_prefix(index)}scan.json"


def shard_scan(task: ScanTask) -> cs.CleanStats:
    """Scan one shard for cleaning, keep the scan on disk, return its stats (on a worker).

    The scan (the shard's redacted lines and what the line rules found) is written as
    JSON in the entry's temporary folder (``SCANS``), for ``shard_build``; only the small,
    mergeable stats travel back.
    """
    with progress.hidden(task.quiet):
        meta = pd.DataFrame({"doc_id": task.ids, "actor": task.actors})
        scan, stats = cs.clean_scan(task.texts, meta, task.settings, task.counted, task.big_actors)
    path = _scan_path(task.tmp, task.index)
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(cs.clean_scan_dump(scan))
    return stats


def shard_build(task: ShardTask) -> ShardResult:
    """Finish cleaning one shard, tokenise it and write its files (on a worker).

    Reads the shard's scan, applies the corpus-wide cleaning state, renames
    the log's redacted doc_ids, tokenises (lemmas are made once for the corpus, at the
    merge) and writes the shard's files into the entry's temporary folder.
    """
    # The scan is left in place (removed with the folder of scans after the map), so a
    # task that a Dask cluster reruns after losing a worker finds it.
    scan = cs.clean_scan_load(_scan_path(task.tmp, task.index).read_bytes())
    texts, log = cs.clean_apply(scan, task.merged)
    del scan
    log = log_renamed(log, task.renamed)
    with progress.hidden(task.quiet):
        t = tokens_build(texts, lemmatize=False)
    meta = meta_counts(task.meta, t, len(texts))
    blobs = store.shard_files(t, texts, meta, log)
    prefix = store.shard_prefix(task.index)
    tmp = Path(task.tmp)
    files = {prefix + name: store.file_write(tmp / (prefix + name), data)
             for name, data in blobs.items()}  # fmt: skip
    actions = {str(k): int(v) for k, v in log["action"].value_counts().items()}
    return ShardResult(task.index, len(texts), len(t.tokens), t.vocab, actions, files)


def forms_lemmatize(forms: list[str]) -> list[str]:
    """Return the lemma of each form (``tokenize.form_lemmatize``; a task of the merge)."""
    return [tok.form_lemmatize(f) for f in forms]


def shards_merge(results: list[ShardResult], tmp: Path, eng: Engine) -> tuple[dict, dict]:
    """Join the shards' vocabularies, lemmatise, write the id maps and tables.

    Each distinct form of the corpus is lemmatised once, on the engine's workers (in
    chunks, results in order), not once per shard that holds it.

    Returns:
        The records of the files written here, and ``n_forms`` and ``n_lemmas``.
    """
    ids_of: dict[str, int] = {}
    files = {}
    for r in sorted(results, key=lambda r: r.index):
        ids = np.fromiter((ids_of.setdefault(s, len(ids_of)) for s in r.vocab), np.int32,
                          len(r.vocab))  # fmt: skip
        name = store.shard_prefix(r.index) + "ids.arrow"
        files[name] = store.file_write(tmp / name, store.arrow_bytes({"id": pa.array(ids)}))
    vocab = list(ids_of)
    forms = list(dict.fromkeys(map(str.lower, vocab)))
    size = max(1, math.ceil(len(forms) / (4 * eng.workers)))
    chunks = [forms[i : i + size] for i in range(0, len(forms), size)]
    lemmas_of = dict(zip(forms, chain.from_iterable(eng.map(forms_lemmatize, chunks)),
                         strict=True))  # fmt: skip
    lower, forms, lemma, lemmas, is_word = id_tables(vocab, lemmas_of)
    for name, data in store.global_files(vocab, lower, forms, lemma, is_word, lemmas).items():
        files[name] = store.file_write(tmp / name, data)
    return files, {"n_forms": len(forms), "n_lemmas": len(lemmas)}
