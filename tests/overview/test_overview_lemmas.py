"""Lemmas that join different words: the audit table of the lemmatiser."""

from ordbruk.overview.lemmas import LEMMA_JOIN_COLUMNS, lemma_joins
from ordbruk.text.corpus import corpus_from_texts


def test_lemma_joins_lists_function_content_and_other_stem_merges():
    # "man" (pronoun, a stop word) and "män" (noun) share simplemma's lemma "man";
    # "gick" and "går" are forms of "gå" (another stem); "kommunen"/"kommun" is not doubtful.
    text = " ".join(["man vet", "män arbetar", "de gick", "hon går", "kommunen", "kommun"] * 3)
    out = lemma_joins(corpus_from_texts([text]), min_count=3)
    assert list(out.columns) == list(LEMMA_JOIN_COLUMNS)
    rows = {(r.lemma, r.form): r for r in out.itertuples()}
    assert rows[("man", "män")].reason == "function and content forms; forms of another stem"
    assert rows[("man", "man")].stop_word and not rows[("man", "män")].stop_word
    assert rows[("gå", "gick")].reason == "forms of another stem"
    assert rows[("gå", "gick")].tokens == 3 and rows[("gå", "gick")].share == 0.5
    assert "kommun" not in set(out["lemma"])


def test_lemma_joins_needs_two_frequent_forms():
    out = lemma_joins(corpus_from_texts(["män man gick går går går"]), min_count=2)
    assert out.empty and list(out.columns) == list(LEMMA_JOIN_COLUMNS)
