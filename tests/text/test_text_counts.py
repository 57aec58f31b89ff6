"""Issue 14: the counts of an opened corpus are made shard by shard on the engine and reduced.

``Corpus.dtm`` of a corpus opened from a cache entry stacks the per-shard counts that
``text.counts.shard_counts`` makes on the engine's workers. The matrices must be those
of the same corpus counted in memory (``source=None``: the tokens of this process), with
one shard or many, in this process, on a local pool and on a ``distributed.LocalCluster``,
for the whole corpus and for subsets of subsets; the terms are checked against an
independent count (``collections.Counter`` over ``doc_tokens``).
"""

import dataclasses
from collections import Counter

import numpy as np
import pytest

from ordbruk.errors import OrdbrukError
from ordbruk.text import counts, store
from ordbruk.text.cache import corpus_open, corpus_prepare
from ordbruk.text.subset import corpus_take

LEVELS = ("surface", "form", "lemma")
UNITS = ("document", "paragraph", "sentence")
STOP = {"och", "i", "att", "vara"}  # "vara": a lemma, so "är" goes at every level


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    rows = ["doc_id,actor,actor_level,date"]
    for i in range(12):
        level = ("national", "regional", "local")[i % 3]
        text = (
            f"Dokument {i} om samverkan och segregation. Det är {i * 7} år sedan.\n\n"
            f"Staden arbetar med samverkan i {'Borås' if i % 2 else 'Malmö'}. Nya ord{i}!"
        )
        if i == 4:
            text = ""
        (root / f"d{i}.txt").write_text(text, encoding="utf-8")
        rows.append(f"d{i},Aktör {i % 5},{level},2020-01-0{1 + i % 9}")
    (root / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def many(corpus_dir, tmp_path_factory):
    c = corpus_prepare(corpus_dir, tmp_path_factory.mktemp("many"), engine="serial", shard_tokens=3)
    assert c.manifest["engine"]["shards"] >= 5
    return c


def _in_memory(c):
    return dataclasses.replace(c, source=None)


def _same_dtm(a, b, **kw):
    x, tx, ux = a.dtm(**kw)
    y, ty, uy = b.dtm(**kw)
    assert tx == ty, kw
    assert x.shape == y.shape and x.dtype == y.dtype == np.int32, kw
    assert (x != y).nnz == 0, kw
    np.testing.assert_array_equal(ux, uy)
    assert x.has_sorted_indices and not (x.data == 0).any()


def test_a_prepared_corpus_counts_by_shard(many):
    assert isinstance(many.source, counts.ShardCounts)
    assert len(many.source.tasks("document", len(many.vocab))) == many.manifest["engine"]["shards"]


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("unit", UNITS)
def test_shards_give_the_counts_of_the_corpus_in_memory(many, level, unit):
    for words_only in (True, False):
        for stop in (None, STOP):
            _same_dtm(many, _in_memory(many), token_level=level, unit=unit,
                      words_only=words_only, stopwords=stop)  # fmt: skip


def test_the_counts_agree_with_an_independent_count(many):
    x, terms, _ = many.dtm(token_level="form", words_only=False)
    for d in range(many.n_docs):
        want = Counter(many.doc_tokens(d, "form"))
        row = x.getrow(d)
        got = {terms[j]: int(v) for j, v in zip(row.indices, row.data, strict=True)}
        assert got == want, d


@pytest.mark.parametrize("engine", ["local:2", "dask"])
def test_every_engine_gives_the_same_counts(corpus_dir, many, tmp_path, engine):
    if engine == "dask":
        distributed = pytest.importorskip("distributed")
        with distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            c = corpus_open(corpus_dir, many.source.folder.parent, many.manifest["key"],
                            engine=cluster.scheduler_address)  # fmt: skip
            got = [c.dtm(token_level="lemma", unit=u, stopwords=STOP) for u in UNITS]
    else:
        c = corpus_open(corpus_dir, many.source.folder.parent, many.manifest["key"],
                        engine=engine)  # fmt: skip
        assert c.source.engine == engine
        got = [c.dtm(token_level="lemma", unit=u, stopwords=STOP) for u in UNITS]
    mem = _in_memory(many)
    for (x, terms, udoc), unit in zip(got, UNITS, strict=True):
        y, tterms, tudoc = mem.dtm(token_level="lemma", unit=unit, stopwords=STOP)
        assert terms == tterms and (x != y).nnz == 0 and x.shape == y.shape
        np.testing.assert_array_equal(udoc, tudoc)


def test_one_shard_and_many_give_the_same_counts(corpus_dir, many, tmp_path):
    one = corpus_prepare(corpus_dir, tmp_path, engine="serial")
    assert one.manifest["engine"]["shards"] == 1
    for unit in UNITS:
        _same_dtm(one, many, token_level="lemma", unit=unit)


def test_a_subset_of_a_subset_counts_its_own_rows_and_terms(many):
    docs = np.array([1, 2, 3, 5, 8, 9, 11])
    sub, sub_mem = corpus_take(many, docs), corpus_take(_in_memory(many), docs)
    assert sub.source is not None and sub.source.docs.tolist() == docs.tolist()
    inner = np.array([0, 3, 6])
    subsub, subsub_mem = corpus_take(sub, inner), corpus_take(sub_mem, inner)
    assert subsub.source.docs.tolist() == docs[inner].tolist()
    for a, b in ((sub, sub_mem), (subsub, subsub_mem)):
        for level in LEVELS:
            for unit in UNITS:
                _same_dtm(a, b, token_level=level, unit=unit, stopwords=STOP)
    # Shards without a kept document are not read.
    assert len(subsub.source.tasks("document", 1)) < len(many.source.tasks("document", 1))


def test_a_subset_of_no_documents_counts_nothing(many):
    empty = corpus_take(many, np.array([], dtype=np.int64))
    x, terms, udoc = empty.dtm()
    assert x.shape == (0, 0) and terms == [] and len(udoc) == 0


def test_a_shard_changed_after_the_open_is_one_line(corpus_dir, tmp_path):
    c = corpus_prepare(corpus_dir, tmp_path, engine="serial", shard_tokens=3)
    path = c.source.folder / f"{store.shard_prefix(2)}tokens.arrow"
    data = bytearray(path.read_bytes())
    data[-20] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(OrdbrukError) as e:
        c.dtm()
    message = str(e.value)
    assert "00002.tokens.arrow" in message and "\n" not in message and "run again" in message


def test_one_map_over_the_shards_per_unit_however_many_matrices(many, monkeypatch):
    opened = []
    real = counts.engine_open

    def counting(*a, **kw):
        opened.append(a)
        return real(*a, **kw)

    monkeypatch.setattr(counts, "engine_open", counting)
    fresh = corpus_take(many, np.arange(many.n_docs))  # a source of its own, nothing counted
    for level in LEVELS:
        fresh.dtm(token_level=level, stopwords=STOP)
    assert len(opened) == 1
    fresh.dtm(unit="sentence")
    assert len(opened) == 2


def test_a_subset_source_needs_sorted_distinct_documents(many):
    with pytest.raises(ValueError, match="sorted and distinct"):
        many.source.take(np.array([3, 1]), np.arange(5))


@pytest.mark.parametrize(
    "docs", [[-1, 5], [3, 3, 5], [5, 3], [1.0, 2.7], [True, False, True], [0, 99]]
)
def test_corpus_take_refuses_documents_that_are_not_sorted_distinct_indices(many, docs):
    # Hostile test: [-1, 5] dropped a row from the shard counts; [3, 3, 5] broke the corpus.
    from ordbruk.errors import ParameterError

    for c in (many, _in_memory(many)):
        with pytest.raises(ParameterError, match="corpus_take: docs must be"):
            corpus_take(c, np.array(docs))


def test_the_kept_counts_cannot_be_changed_by_a_caller(many):
    fresh = corpus_take(many, np.arange(many.n_docs))
    s = fresh.surface_counts()
    with pytest.raises(ValueError):
        s.data[:] = 777
    _same_dtm(fresh, _in_memory(many), token_level="form")
