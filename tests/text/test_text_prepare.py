"""The on-disk cache of the processed corpus: key, hit, round trip."""

import numpy as np

from ordbruk.paths import SEEDS_DIR
from ordbruk.text.cache import corpus_prepare


def _snapshot(folder):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_prepare_seeds_then_cache_hit(tmp_path):
    before = _snapshot(SEEDS_DIR)
    first = corpus_prepare(SEEDS_DIR, cache_dir=tmp_path)
    assert first.manifest["cache_hit"] is False
    assert first.n_docs == 5 and len(first.tokens) > 1000
    second = corpus_prepare(SEEDS_DIR, cache_dir=tmp_path)
    assert second.manifest["cache_hit"] is True
    assert second.manifest["key"] == first.manifest["key"]
    np.testing.assert_array_equal(first.tokens, second.tokens)
    np.testing.assert_array_equal(first.sent_starts, second.sent_starts)
    np.testing.assert_array_equal(first.char_starts, second.char_starts)
    assert second.char_starts.dtype == np.int32
    assert first.texts == second.texts and first.lemmas == second.lemmas
    assert first.meta.equals(second.meta)
    assert len(first.cleaning_log) == len(second.cleaning_log)
    # input files are never modified, and no temporary cache folder is left behind
    assert _snapshot(SEEDS_DIR) == before
    assert [p.name for p in tmp_path.iterdir()] == [first.manifest["key"]]


def test_settings_change_the_cache_key(tmp_path):
    a = corpus_prepare(SEEDS_DIR, cache_dir=tmp_path)
    b = corpus_prepare(SEEDS_DIR, cache_dir=tmp_path, cleaning={"redact_email": False})
    assert a.manifest["key"] != b.manifest["key"]
    assert b.manifest["cache_hit"] is False


def test_seed_texts_are_cleaned_and_redacted(tmp_path):
    c = corpus_prepare(SEEDS_DIR, cache_dir=tmp_path)
    joined = "\n".join(c.texts)
    assert "anneli.tillberg@delmos.se" not in joined
    assert "0703-46 06 01" not in joined
    assert "Dela sidan" not in joined
    assert "säger Talieh Ashjari" in joined  # quotes survive cleaning


def test_changed_input_makes_a_new_key(tmp_path):
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS_DIR, corpus)
    a = corpus_prepare(corpus, cache_dir=tmp_path / "cache")
    f = corpus / "001_e3457b58baa61d82.txt"
    f.write_text(f.read_text(encoding="utf-8") + "\n\nEn ny mening om samverkan.", encoding="utf-8")
    b = corpus_prepare(corpus, cache_dir=tmp_path / "cache")
    assert b.manifest["cache_hit"] is False and b.manifest["key"] != a.manifest["key"]
    assert len(b.tokens) == len(a.tokens) + 5


def test_edited_rules_file_makes_a_new_key(tmp_path):
    # Bug: with `cleaning.boilerplate` set to a rules file of one's own, the cache key held
    # only the file's path, so editing the rules silently reused the stale cleaned corpus.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "metadata.csv").write_text("doc_id,actor,actor_level,date\nd1,A,local,2019\n")
    (corpus / "d1.txt").write_text("Dela sidan\n\nSkolan växer.\n", encoding="utf-8")
    rules = tmp_path / "rules.yaml"
    rule = "rules:\n- {name: mine, description: x, type: line, patterns: ['%s']}\n"
    rules.write_text(rule % "Dela sidan", encoding="utf-8")
    settings = {"boilerplate": str(rules)}
    a = corpus_prepare(corpus, cache_dir=tmp_path / "cache", cleaning=settings)
    assert a.texts == ["Skolan växer."]
    rules.write_text(rule % "Skolan växer\\.", encoding="utf-8")
    b = corpus_prepare(corpus, cache_dir=tmp_path / "cache", cleaning=settings)
    assert b.manifest["cache_hit"] is False and b.manifest["key"] != a.manifest["key"]
    assert b.texts == ["Dela sidan"]
