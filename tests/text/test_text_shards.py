"""Issue 14: the sharded store gives the same corpus with 1 shard or many, on every engine.

A small corpus that exercises everything the merge must get right (a surface first seen
in a later shard, an empty text, redactions in text and metadata, lines repeated by one
actor across shards) is prepared with one shard and with several, in this process, on
a local pool of 2 processes and on a ``distributed.LocalCluster`` of 2 worker processes:
every array, string table, text and table is identical.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ordbruk.errors import OrdbrukError, ParameterError
from ordbruk.text import shards, store
from ordbruk.text.cache import corpus_prepare
from ordbruk.text.texts import ShardTexts

FOOTER = "Läs mer om stadens arbete med samverkan på vår webbplats under rubriken Hållbar stad"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    rows = ["doc_id,actor,actor_level,date"]
    texts = {}
    for i in range(14):
        actor = "Borås Stad" if i % 2 else "Region Skåne"
        body = [f"Dokument {i} om samverkan och segregation i staden.", ""]
        if i == 5:
            body += ["Kontakt: 070-123 45 67 eller namn@kommun.se.", ""]
        if i == 3:  # joined at cleaning only because document 9 (another shard) has it whole
            body += ["Arbetet mot blorp- fiskavtal fortsätter.", ""]
        if i == 9:
            body += [
                "Helt nya ord: bostadssegregation, områdesutvecklingen, blorpfiskavtal, Åsa!",
                "",
            ]
        if i % 2:
            body += [FOOTER]
        texts[f"d{i}"] = "\n".join(body) if i != 7 else ""
        rows.append(f"d{i},{actor},{'local' if i % 2 else 'regional'},2020-0{1 + i % 9}")
    rows.append("ansokan_19121212-1212,Borås Stad,local,2021")
    # Its doc_id is redacted, and it has a log row (a redacted phone number) that follows.
    texts["ansokan_19121212-1212"] = "Ansökan om bidrag. Samverkan!\n\nRing 08-123 45 67."
    (root / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    for doc_id, text in texts.items():
        (root / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return root


def _same(a, b):
    for name in store.ARRAYS + store.TABLES:
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype, name
        np.testing.assert_array_equal(x, y, err_msg=name)
    for name in ("vocab", "forms", "lemmas"):
        assert getattr(a, name) == getattr(b, name), name
    assert list(a.texts) == list(b.texts)
    for name in ("meta", "cleaning_log"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)


@pytest.fixture(scope="module")
def one_shard(corpus, tmp_path_factory):
    c = corpus_prepare(corpus, tmp_path_factory.mktemp("one"), engine="serial")
    assert c.manifest["engine"]["shards"] == 1
    return c


@pytest.mark.parametrize("engine", ["serial", "local:2"])
def test_many_shards_equal_one(corpus, one_shard, tmp_path, engine):
    c = corpus_prepare(corpus, tmp_path, engine=engine, shard_tokens=3)
    assert c.manifest["engine"]["shards"] >= 5
    assert c.manifest["engine"]["kind"] == engine.split(":")[0]
    _same(c, one_shard)
    again = corpus_prepare(corpus, tmp_path)  # the entry, opened from disk
    assert again.manifest["cache_hit"] is True
    _same(again, one_shard)
    assert c.manifest["key"] == one_shard.manifest["key"]  # the layout is not in the key


def test_a_local_dask_cluster_gives_the_same_corpus(corpus, one_shard, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        c = corpus_prepare(corpus, tmp_path, engine=cluster.scheduler_address, shard_tokens=3)
    assert c.manifest["engine"]["kind"] == "dask" and c.manifest["engine"]["workers"] == 2
    _same(c, one_shard)


def test_cleaning_state_spans_the_shards(one_shard):
    # Repeated lines (the footer of one actor) and rejoined words (written whole in another
    # document) are decided over the whole corpus: the shard tests compare with this one.
    log = one_shard.cleaning_log
    assert (log["rule"] == "repeated_line").sum() >= 5
    assert "blorpfiskavtal" in one_shard.texts[3]
    assert FOOTER not in one_shard.texts[1]


def test_the_log_follows_a_redacted_doc_id(corpus, one_shard, tmp_path):
    many = corpus_prepare(corpus, tmp_path, engine="serial", shard_tokens=3)
    for c in (one_shard, many):
        ids = set(c.cleaning_log["doc_id"])
        assert not any("19121212" in d for d in ids)
        assert set(c.meta["doc_id"]) >= ids  # every log row names a document of the table


def test_a_worker_with_other_versions_is_refused(corpus, tmp_path, monkeypatch):
    from ordbruk.text import shards

    real = shards.worker_versions()
    monkeypatch.setattr(shards, "worker_versions", lambda: {**real, "simplemma": "0.0"})
    with pytest.raises(
        OrdbrukError, match=r"engine local:2: a worker has simplemma .*this process 0\.0"
    ):
        corpus_prepare(corpus, tmp_path, engine="local:2", shard_tokens=3)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


def test_the_merge_gives_first_occurrence_ids(one_shard):
    # ids follow first occurrence in input order: the first surfaces are the first text's
    first = one_shard.doc_tokens(0, "surface")
    assert one_shard.vocab[: len(set(first))] == list(dict.fromkeys(first))
    assert "bostadssegregation" in one_shard.forms  # seen only in a later shard's document


def test_manifest_lists_every_shard_and_file(corpus, tmp_path):
    c = corpus_prepare(corpus, tmp_path, engine="serial", shard_tokens=3)
    folder = tmp_path / c.manifest["key"]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    layout = manifest["store"]["shards"]
    assert sum(s["n_docs"] for s in layout) == c.n_docs == 15
    assert sum(s["n_tokens"] for s in layout) == len(c.tokens)
    names = {p.name for p in folder.iterdir()} - {"manifest.json"}
    assert names == set(store.entry_names(len(layout))) == set(manifest["store"]["files"])
    assert not [n for n in names if n.endswith((".pkl", ".npz", ".npy"))]


def test_redaction_holds_in_every_shard(one_shard):
    text = "\n".join(one_shard.texts)
    assert "070-123" not in text and "namn@kommun.se" not in text
    assert not one_shard.meta["doc_id"].str.contains("19121212").any()


def test_plan_cuts_whole_documents_in_order():
    texts = ["a" * 70, "b" * 70, "c" * 7, "", "d" * 140]
    plan = shards.shards_plan(texts, shard_tokens=10)  # 70 characters a shard
    assert plan[0][0] == 0 and plan[-1][1] == len(texts)
    assert all(a < b for a, b in plan) and all(
        x[1] == y[0] for x, y in zip(plan[:-1], plan[1:], strict=True)
    )
    assert shards.shards_plan([], 10) == [(0, 0)]
    assert shards.shards_plan(["x"], 10**9) == [(0, 1)]


def test_texts_behave_as_a_list(one_shard):
    texts = one_shard.texts
    assert isinstance(texts, ShardTexts)
    plain = list(texts)
    assert len(texts) == len(plain) and texts == plain and texts[-1] == plain[-1]
    assert texts[2:5] == plain[2:5] and texts[7] == ""
    with pytest.raises(IndexError):
        texts[len(plain)]


def test_engine_setting_is_checked(corpus, tmp_path):
    with pytest.raises(ParameterError, match="engine: 'loca1'"):
        corpus_prepare(corpus, tmp_path, engine="loca1")
    with pytest.raises(ParameterError, match="local:N"):
        corpus_prepare(corpus, tmp_path, engine="local:0")


@pytest.mark.parametrize("value", ["local:٣", "local:99999999999999999999", "local:1025"])
def test_a_local_count_in_other_digits_or_beyond_reason_is_refused(value):
    from ordbruk.engine import engine_check

    with pytest.raises(ParameterError, match="local:N needs a whole number N from 1 to 1024"):
        engine_check(value)


def test_local_workers_are_at_most_the_cores():
    from ordbruk.engine import local_workers

    cores = local_workers("local")
    assert local_workers("local:1") == 1 and local_workers("local:1024") == cores


@pytest.mark.parametrize("kind", ["address", "json garbage", "json list"])
def test_a_malformed_scheduler_is_one_line(tmp_path, kind):
    # Hostile test: distributed raised ValueError, TypeError or AssertionError with a traceback.
    pytest.importorskip("distributed")
    from ordbruk.engine import _client_connect

    setting = "tcp://"
    if kind != "address":
        setting = str(tmp_path / "scheduler.json")
        Path(setting).write_text("{" if kind == "json garbage" else "[1, 2]")
    with pytest.raises(ParameterError, match="not a usable Dask scheduler") as e:
        _client_connect(setting)
    assert "\n" not in str(e.value)
