"""Counts of an opened corpus, shard by shard on the engine: the one map-and-reduce of analyses.

Every whole-corpus statistic the analyses take from a document-term matrix (keyness and
group counts, document frequencies, the rhetorical markers, the topic models' matrix)
starts from ``Corpus.surface_counts``: how often each surface form occurs in each unit.
For a corpus opened from a cache entry, that matrix is built here: one task per shard
(``shard_counts``) reads the shard's own files (memory-mapped Arrow), checks their
SHA-256 against the manifest, maps its token ids to the global vocabulary and counts its
units; the engine (``ordbruk.engine``: serial, a local pool or Dask workers) runs the
tasks, and the shards' rows are stacked in shard order, which is the units' order. The
counts are integers, so the matrix is the same whatever the engine and the shard size
(``tests/text/test_text_counts.py``); ``Corpus.dtm`` then sums surfaces into forms or
lemmas in this process. A subset (``text.subset.corpus_take``) keeps its documents and
vocabulary here (``take``), so its rows and columns are those of the subset's tables.

What a worker sends back is one sparse matrix per shard (a few bytes per distinct term
of each unit), not the tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import scipy.sparse as sp

from ordbruk.engine import engine_check, engine_open
from ordbruk.errors import OrdbrukError
from ordbruk.text import store
from ordbruk.text.corpus import Corpus, unit_counts

#: The unit tables of a shard: unit -> (file, column of the first token, column of the document).
_UNIT_FILES = {
    "document": ("documents.arrow", "token_start", None),
    "paragraph": ("paragraphs.arrow", "start", "doc"),
    "sentence": ("sentences.arrow", "start", "doc"),
}


@dataclass(frozen=True)
class CountTask:
    """What one worker needs to count one shard (small: paths, checksums, a selection)."""

    folder: str
    shard: int
    unit: str
    n_vocab: int
    records: dict  # file name -> {"bytes", "sha256"} of the files the task reads
    docs: np.ndarray | None = None  # the shard's documents counted (local indices), None: all


def shard_counts(task: CountTask) -> sp.csr_matrix:
    """Return the units x global-vocab counts of one shard (on a worker).

    Raises:
        OrdbrukError: a file of the shard is missing, changed or unreadable since the
            corpus was opened (one line naming it).
    """
    folder = Path(task.folder)
    try:
        store.files_check(folder, task.records)
        tokens = store.shard_tokens_global(folder, task.shard)
        file, start_col, doc_col = _UNIT_FILES[task.unit]
        table = store.arrow_read(folder / f"{store.shard_prefix(task.shard)}{file}")
        starts = np.append(store.array_of(table, start_col, np.int64), len(tokens))
        counts = unit_counts(tokens, starts, task.n_vocab)
        if task.docs is not None:
            unit_doc = (
                np.arange(len(starts) - 1)
                if doc_col is None
                else store.array_of(table, doc_col, np.int64)
            )
            counts = counts[np.flatnonzero(np.isin(unit_doc, task.docs))]
    except (store.EntryInvalid, OSError, ValueError, KeyError, IndexError, pa.ArrowException) as e:
        raise OrdbrukError(
            f"cache entry {folder}: shard {task.shard} cannot be counted "
            f"({store.why_of(e)}); run again to rebuild the entry (on a Dask cluster, every "
            "worker must see the cache folder at this path)"
        ) from None
    return counts


class ShardCounts:
    """``Corpus.source`` of an opened entry: counts its units shard by shard on an engine.

    Args:
        folder: the entry's folder.
        manifest: its manifest (with ``store``: the shards and every file's checksum).
        n_vocab: the size of its global vocabulary.
        engine: where the shards are counted (``ordbruk.engine``); the result is the
            same on every engine.
    """

    def __init__(self, folder: Path, manifest: dict, n_vocab: int, engine: str | None = None):
        self.folder = Path(folder)
        self.engine = engine_check(engine)
        self._shards = [int(s["n_docs"]) for s in manifest["store"]["shards"]]
        self._files = manifest["store"]["files"]
        self._n_vocab = n_vocab
        self.docs: np.ndarray | None = None  # documents of the entry kept (a subset), sorted
        self.surface_ids: np.ndarray | None = None  # the subset's vocab, as entry surface ids
        self._last: tuple[str, sp.csr_matrix] | None = None  # the last unit counted, reused

    def take(self, docs: np.ndarray, surface_ids: np.ndarray) -> ShardCounts:
        """Return the source of a subset: ``docs`` and ``surface_ids`` index this source's."""
        new = object.__new__(ShardCounts)
        new.__dict__.update(self.__dict__)
        new._last = None
        docs = np.asarray(docs, dtype=np.int64)
        if np.any(np.diff(docs) <= 0):
            raise ValueError("a subset's documents must be sorted and distinct")
        new.docs = docs if self.docs is None else self.docs[docs]
        surface_ids = np.asarray(surface_ids, dtype=np.int64)
        new.surface_ids = surface_ids if self.surface_ids is None else self.surface_ids[surface_ids]
        return new

    def tasks(self, unit: str, n_vocab: int) -> list[CountTask]:
        """Return one task per shard that holds a document counted, in shard order."""
        bounds = np.concatenate([[0], np.cumsum(self._shards)]).astype(np.int64)
        tasks = []
        for i in range(len(self._shards)):
            lo, hi = bounds[i], bounds[i + 1]
            docs = None
            if self.docs is not None:
                inside = self.docs[(self.docs >= lo) & (self.docs < hi)]
                if not len(inside):
                    continue
                docs = None if len(inside) == hi - lo else inside - lo
            prefix = store.shard_prefix(i)
            names = [f"{prefix}ids.arrow", f"{prefix}tokens.arrow"]
            names.append(f"{prefix}{_UNIT_FILES[unit][0]}")
            records = {n: self._files[n] for n in names}
            tasks.append(CountTask(str(self.folder), i, unit, n_vocab, records, docs))
        return tasks

    def surface_counts(self, unit: str) -> sp.csr_matrix:
        """Return the units x surface counts of the documents kept, in their order.

        The matrix of the last unit asked is kept and returned again (an analysis asks
        for several levels and filters of one unit): one map over the shards, one start
        of the engine. It is shared, so its arrays are read-only.
        """
        if self._last is not None and self._last[0] == unit:
            return self._last[1]
        counts = self._counted(unit)
        for array in (counts.data, counts.indices, counts.indptr):
            array.flags.writeable = False  # shared: a change would reach every later dtm
        self._last = (unit, counts)
        return counts

    def _counted(self, unit: str) -> sp.csr_matrix:
        tasks = self.tasks(unit, self._n_vocab)
        with engine_open(self.engine, len(tasks)) as engine:
            parts = engine.map(shard_counts, tasks)
        if not parts:  # a subset of no documents
            n = self._n_vocab if self.surface_ids is None else len(self.surface_ids)
            return sp.csr_matrix((0, n), dtype=np.int32)
        counts = sp.vstack(parts, format="csr", dtype=np.int32)
        if self.surface_ids is not None:
            # Surface ids of the subset are the entry's, renumbered in order: a monotone
            # map, so every row's columns stay sorted.
            columns = np.searchsorted(self.surface_ids, counts.indices).astype(np.int32)
            counts = sp.csr_matrix(
                (counts.data, columns, counts.indptr),
                shape=(counts.shape[0], len(self.surface_ids)),
            )
        return counts


def entry_open(folder: Path, manifest: dict | None = None, engine: str | None = None) -> Corpus:
    """Return ``store.entry_read(folder, manifest)`` with its counts done shard by shard.

    Raises:
        store.EntryInvalid: as ``entry_read``.
    """
    c = store.entry_read(folder, manifest)
    manifest = manifest or store.manifest_read(folder)
    c.source = ShardCounts(folder, manifest, len(c.vocab), engine)
    return c
