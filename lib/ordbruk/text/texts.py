"""The cleaned texts of an opened corpus, decoded one document at a time.

``ShardTexts`` is a read-only sequence of strings over the ``text`` columns of the
shards' memory-mapped ``documents.arrow`` files (``text.store``): ``texts[i]`` decodes
document i only, so opening a corpus never builds one string of every text (a corpus
with one character outside the Basic Multilingual Plane would take 4 bytes per
character). It behaves as the list of texts does: indexing (negative too), slices (a
list), iteration, ``len`` and ``==`` against a list.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np


class ShardTexts(Sequence):
    """A sequence of texts stored as Arrow string columns, one per shard."""

    def __init__(self, columns: list):
        self._chunks = [chunk for column in columns for chunk in column.chunks]
        sizes = [len(chunk) for chunk in self._chunks]
        self._starts = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)])

    def __len__(self) -> int:
        return int(self._starts[-1])

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        i = int(i)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("text index out of range")
        k = int(np.searchsorted(self._starts, i, side="right")) - 1
        return self._chunks[k][i - int(self._starts[k])].as_py()

    def __iter__(self) -> Iterator[str]:
        for chunk in self._chunks:
            for j in range(0, len(chunk), 1024):  # a block at a time: bounded memory
                yield from chunk.slice(j, 1024).to_pylist()

    def __eq__(self, other) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        return f"ShardTexts({len(self)} texts)"
