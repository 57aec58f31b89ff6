"""The processed corpus: arrays, document-term matrices, and the on-disk cache."""

import numpy as np
import pytest

from ordbruk.errors import ParameterError
from ordbruk.paths import SEEDS_DIR
from ordbruk.text.cache import corpus_from_texts, corpus_prepare

META = [
    {"doc_id": "a", "actor": "Borås Stad", "actor_level": "local", "date": "2019-08-23"},
    {"doc_id": "b", "actor": "Delmos", "actor_level": "national", "date": "2018-11"},
]
TEXTS = [
    # doc a: 2 paragraphs; sentence 1 "Vi samverkar med regionen" (4), sentence 2
    # "Samverkan är viktig för oss" (5), paragraph 2 "Under 2019 ska vi samverka" (5)
    "Vi samverkar med regionen. Samverkan är viktig för oss.\n\nUnder 2019 ska vi samverka.",
    # doc b: 1 sentence, 3 tokens
    "Segregation ska motverkas.",
]


@pytest.fixture(scope="module")
def small():
    return corpus_from_texts(TEXTS, META)


def test_counts_per_document(small):
    assert small.meta["n_tokens"].tolist() == [14, 3]
    assert small.meta["n_words"].tolist() == [13, 3]  # "2019" is a token, not a word
    assert small.meta["n_sentences"].tolist() == [3, 1]
    assert small.meta["n_paragraphs"].tolist() == [2, 1]


def test_units(small):
    starts, doc = small.units("sentence")
    assert starts.tolist() == [0, 4, 9, 14, 17] and doc.tolist() == [0, 0, 0, 1]
    starts, doc = small.units("paragraph")
    assert starts.tolist() == [0, 9, 14, 17] and doc.tolist() == [0, 0, 1]


def test_dtm_forms(small):
    m, terms, rows = small.dtm("form", "document")
    col = {t: i for i, t in enumerate(terms)}
    assert m.shape == (2, len(terms))
    assert "2019" not in col  # words only
    # "vi" twice in a, "ska" once in a and once in b
    assert m[0, col["vi"]] == 2 and m[1, col["ska"]] == 1 and m[0, col["ska"]] == 1
    assert m.sum() == 13 + 3


def test_dtm_lemmas_with_stopwords(small):
    m, terms, _ = small.dtm(
        "lemma", "document", stopwords={"vi", "med", "för", "oss", "ska", "vara"}
    )
    col = {t: i for i, t in enumerate(terms)}
    # samverkar, samverka -> samverka (2 in a); Samverkan -> samverkan (1 in a)
    assert m[0, col["samverka"]] == 2 and m[0, col["samverkan"]] == 1
    assert "vi" not in col


def test_dtm_paragraph_rows(small):
    m, _, rows = small.dtm("form", "paragraph", words_only=False)
    assert m.shape[0] == 3 and rows.tolist() == [0, 0, 1]
    assert m.sum(axis=1).A1.tolist() == [9, 5, 3]


def test_bad_level_is_a_parameter_error(small):
    with pytest.raises(ParameterError, match="token_level='lemmas'"):
        small.ids("lemmas")


def test_doc_tokens(small):
    assert small.doc_tokens(1, "surface") == ["Segregation", "ska", "motverkas"]


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
