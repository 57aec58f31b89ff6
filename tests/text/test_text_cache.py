"""The cache: prepared once (cache_ensure), opened by key (corpus_open), stages reported."""

import io
import shutil

import pytest

from ordbruk.corpus.inputs import inputs_hash
from ordbruk.corpus.validate import validation_args
from ordbruk.errors import CorpusError, ParameterError
from ordbruk.text import cache
from ordbruk.text.cache import cache_ensure, cache_key_make, corpus_open, corpus_prepare
from ordbruk.text.cleaning import CLEANING_DEFAULTS

STAGES = [
    "corpus: hash the input files",
    "corpus: read and validate",
    "corpus: clean and redact",
    "corpus: tokenise",
    "corpus: lemmatise and write the cache",
]


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "metadata.csv").write_text(
        "doc_id,actor,actor_level,date\nd1,Borås Stad,local,2019\nd2,Delmos,national,2018-11\n",
        encoding="utf-8",
    )
    (root / "d1.txt").write_text("Vi samverkar med regionen.\n", encoding="utf-8")
    (root / "d2.txt").write_text("", encoding="utf-8")  # a warning: empty text
    return root


def stages_of(stream):
    return [line.split(" ... ")[0] for line in stream.getvalue().splitlines()]


def test_cache_ensure_cold_then_warm_reports_each_stage(corpus, tmp_path):
    cold_out, warm_out = io.StringIO(), io.StringIO()
    cold = cache_ensure(corpus, tmp_path / "cache", stream=cold_out)
    assert stages_of(cold_out) == STAGES
    assert all(" ... done in " in line for line in cold_out.getvalue().splitlines())
    assert cold["cache_hit"] is False and set(cold["timings"]) == {
        "hash", "load", "clean", "tokens", "write"
    }  # fmt: skip
    assert (cold["n_docs"], cold["n_tokens"]) == (2, 4)
    assert cold["warnings"] == ["d2.txt: text: empty; the document will have no tokens"]
    assert cold["input_sha256"] == inputs_hash(corpus)
    warm = cache_ensure(corpus, tmp_path / "cache", stream=warm_out)
    assert stages_of(warm_out) == STAGES[:1]  # a hit hashes the inputs and reads the manifest
    assert warm["cache_hit"] is True and warm["key"] == cold["key"]
    assert warm["warnings"] == cold["warnings"] and warm["input_sha256"] == cold["input_sha256"]
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [cold["key"]]


def test_corpus_open_by_key_never_touches_the_input(corpus, tmp_path):
    key = cache_ensure(corpus, tmp_path / "cache")["key"]
    fresh = corpus_prepare(corpus, tmp_path / "other-cache")
    shutil.rmtree(corpus)  # with a key, the input is neither read nor hashed
    opened = corpus_open(corpus, tmp_path / "cache", key)
    assert opened.manifest["cache_hit"] is True and opened.manifest["key"] == key
    assert opened.texts == fresh.texts and opened.doc_tokens(0) == fresh.doc_tokens(0)


def test_corpus_open_without_key_prepares(corpus, tmp_path):
    first = corpus_open(corpus, tmp_path / "cache")
    second = corpus_open(corpus, tmp_path / "cache", "")
    assert first.manifest["cache_hit"] is False and second.manifest["cache_hit"] is True


def test_corpus_open_with_a_wrong_key_or_other_settings(corpus, tmp_path):
    key = cache_ensure(corpus, tmp_path / "cache")["key"]
    with pytest.raises(CorpusError, match="cache_key 0123: no prepared corpus in "):
        corpus_open(corpus, tmp_path / "cache", "0123")
    with pytest.raises(ParameterError, match="prepared with another cleaning than"):
        corpus_open(corpus, tmp_path / "cache", key, cleaning={"redact_email": False})
    with pytest.raises(ParameterError, match="another source and validation than"):
        corpus_open(tmp_path, tmp_path / "cache", key, validation={"allowed_levels": ["local"]})
    # the params defaults written out are the defaults: same entry
    validation = {"allowed_levels": ["national", "regional", "local", "other"]}
    assert corpus_open(corpus, tmp_path / "cache", key, validation, CLEANING_DEFAULTS).n_docs == 2


def test_key_depends_on_settings_through_one_translation(corpus):
    files = inputs_hash(corpus)
    defaults = validation_args(None)
    key = cache_key_make(files, defaults, CLEANING_DEFAULTS)
    written_out = validation_args({"allowed_levels": list(defaults["allowed_levels"])})
    assert cache_key_make(files, written_out, CLEANING_DEFAULTS) == key
    assert (
        cache_key_make(files, validation_args({"encoding_fallback": "cp1252"}), CLEANING_DEFAULTS)
        != key
    )
    assert cache_key_make({**files, "d1.txt": "0" * 64}, defaults, CLEANING_DEFAULTS) != key


def test_input_changed_after_hashing_is_stored_under_what_was_parsed(corpus, tmp_path, monkeypatch):
    stale = {**inputs_hash(corpus), "d1.txt": "0" * 64}
    monkeypatch.setattr(cache, "inputs_hash", lambda path: stale)
    manifest = cache_ensure(corpus, tmp_path / "cache")
    parsed = manifest["input_sha256"]
    assert parsed != stale
    assert manifest["key"] == cache_key_make(parsed, validation_args(None), CLEANING_DEFAULTS)


def test_corpus_errors_stop_at_the_validation_stage(corpus, tmp_path):
    (corpus / "d3.txt").write_text("Ingen rad i metadata.", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CorpusError) as info:
        cache_ensure(corpus, tmp_path / "cache", stream=out)
    assert out.getvalue().splitlines()[-1] == "corpus: read and validate ... failed"
    assert [p.file for p in info.value.problems if p.severity == "error"] == ["d3.txt"]
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


def test_key_changes_with_the_lemma_corrections(corpus, tmp_path, monkeypatch):
    files = inputs_hash(corpus)
    key = cache_key_make(files, validation_args(None), CLEANING_DEFAULTS)
    assert "lemma_corrections_sv.txt" in cache.PREPARE_RESOURCES
    edited = tmp_path / "resources"
    shutil.copytree(cache.resource_path("x").parent, edited)
    with (edited / "lemma_corrections_sv.txt").open("a", encoding="utf-8") as f:
        f.write("skolad\tskola\n")
    monkeypatch.setattr(cache, "resource_path", lambda name: edited / name)
    assert cache_key_make(files, validation_args(None), CLEANING_DEFAULTS) != key
