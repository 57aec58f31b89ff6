"""Preparation as a map over shards and a merge: what each worker does, and how ids join.

A corpus is cut into shards of whole documents in input order, about ``shard_tokens``
tokens each (``shards_plan``, by characters: the tokens are not counted yet). Each shard
is tokenised and lemmatised on its own, with its own vocabulary, by ``shard_build``, which
runs on a worker (``ordbruk.engine``) and writes the shard's files straight into the
entry's temporary folder. ``shards_merge`` then joins the shards' vocabularies in shard
order: a surface gets the next global id where it first occurs, so the global ids, and so
every table and report, are those one process tokenising every text in order would give.
It writes each shard's map from its ids to the global ones (``ids.arrow``) and the global
id tables; the token files are never rewritten.

What a worker is sent is its shard only (texts, metadata rows, cleaning log rows), and
what it returns is small (the shard's vocabulary, the lemma of each of its forms, the
records of the files it wrote), so a worker's memory is bounded by the shard, not by the
corpus.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ordbruk.text import store
from ordbruk.text import tokenize as tok
from ordbruk.text.corpus import meta_counts
from ordbruk.text.tables import id_tables, tokens_build

#: The default size of a shard, in tokens (params ``shard_tokens``).
SHARD_TOKENS = 4_000_000
#: Characters of cleaned text per token, to plan shards before tokenising (7.0 on the
#: 12.8 M-token bulk corpus, 6.6-7.5 on the seeds and policy-sv).
CHARS_PER_TOKEN = 7


@dataclass
class ShardTask:
    """What a worker needs to build one shard."""

    index: int
    tmp: str
    texts: list[str]
    meta: pd.DataFrame
    log: pd.DataFrame


@dataclass
class ShardResult:
    """What a worker returns: the shard's sizes, vocabulary, lemmas and file records."""

    index: int
    n_docs: int
    n_tokens: int
    vocab: list[str]
    lemmas_of: dict[str, str]
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


def worker_warm() -> None:
    """Load what every shard needs (the tokeniser, simplemma's Swedish dictionary) once."""
    tok.token_pattern()
    tok.form_lemmatize("samverkan")


def shard_build(task: ShardTask) -> ShardResult:
    """Tokenise and lemmatise one shard and write its files (runs on a worker)."""
    t = tokens_build(task.texts)
    meta = meta_counts(task.meta, t, len(task.texts))
    blobs = store.shard_files(t, task.texts, meta, task.log.reset_index(drop=True))
    prefix = store.shard_prefix(task.index)
    tmp = Path(task.tmp)
    files = {prefix + name: store.file_write(tmp / (prefix + name), data)
             for name, data in blobs.items()}  # fmt: skip
    lemmas_of = {form: t.lemmas[j] for form, j in zip(t.forms, t.lemma.tolist(), strict=True)}
    return ShardResult(task.index, len(task.texts), len(t.tokens), t.vocab, lemmas_of, files)


def shards_merge(results: list[ShardResult], tmp: Path) -> tuple[dict, dict]:
    """Join the shards' vocabularies, write the id maps and tables; return (files, counts).

    Returns:
        The records of the files written here, and ``n_forms`` and ``n_lemmas``.
    """
    ids_of: dict[str, int] = {}
    lemmas_of: dict[str, str] = {}
    files = {}
    for r in sorted(results, key=lambda r: r.index):
        ids = np.fromiter((ids_of.setdefault(s, len(ids_of)) for s in r.vocab), np.int32,
                          len(r.vocab))  # fmt: skip
        name = store.shard_prefix(r.index) + "ids.arrow"
        files[name] = store.file_write(tmp / name, store.arrow_bytes({"id": pa.array(ids)}))
        lemmas_of.update(r.lemmas_of)
    vocab = list(ids_of)
    lower, forms, lemma, lemmas, is_word = id_tables(vocab, lemmas_of)
    for name, data in store.global_files(vocab, lower, forms, lemma, is_word, lemmas).items():
        files[name] = store.file_write(tmp / name, data)
    return files, {"n_forms": len(forms), "n_lemmas": len(lemmas)}
