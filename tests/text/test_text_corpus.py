"""The Corpus object: per-document counts, units, document-term matrices, unit text."""

import unicodedata

import numpy as np
import pytest

from ordbruk.errors import ParameterError
from ordbruk.text import tokenize as tok
from ordbruk.text.corpus import corpus_from_texts

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


def test_unit_text_paragraphs_keep_punctuation_around_tokens():
    text = (
        "•\n\n– Vi samverkar, säger Åsa Öberg.\n\n[telefon]\n\n"
        "(Gymnasie- och vuxenutbildning)\nbl.a. här…\n \n  Slut"
    )
    c = corpus_from_texts([text, "Ett", ""])
    # the blocks "•" and "[telefon]" hold no token and are no paragraph; the dash, the
    # parentheses and the final stops stay; the line break inside a paragraph stays
    assert [c.unit_text("paragraph", i) for i in range(len(c.para_doc))] == [
        "– Vi samverkar, säger Åsa Öberg.",
        "(Gymnasie- och vuxenutbildning)\nbl.a. här…",
        "Slut",
        "Ett",
    ]
    assert c.unit_text("document", 0) == text and c.unit_text("document", 2) == ""
    # a sentence runs from its first token to the end of its last
    assert c.unit_text("sentence", 0) == "Vi samverkar, säger Åsa Öberg"
    with pytest.raises(ParameterError):
        c.unit_text("section", 0)


def test_unit_text_nfd_input_is_cut_from_the_nfc_text():
    nfd = unicodedata.normalize("NFD", "Öppna förskolor i Västerås.\n\nÄldreomsorg och åtgärder.")
    c = corpus_from_texts([nfd])
    assert c.unit_text("paragraph", 1) == "Äldreomsorg och åtgärder."
    assert c.texts[0] == unicodedata.normalize("NFC", nfd)


def test_char_ends_of_tokens(small):
    # doc a: "Vi" 0-2, "samverkar" 3-12; doc b starts again at 0: "Segregation" 0-11
    assert small.char_starts[:2].tolist() == [0, 3]
    assert small.char_ends(np.array([0, 1])).tolist() == [2, 12]
    assert (int(small.char_starts[14]), int(small.char_ends(14))) == (0, 11)


# Policy-sv-like text (written for the test): the function verbs, possessives and pronouns
# that simplemma lemmatises onto content lemmas (finns -> finnas, ska -> skola, sitt -> sitta).
POLICY_LIKE = [
    "Kommunen ska stärka skolan. Det finns många skolor som får mer stöd och alla elever "
    "kommer att få hjälp. Regeringen vill att lagen ska träda i kraft och den trädde i kraft.",
    "Regionen skulle ta sitt ansvar för hela vården. Man fick ett helt nytt uppdrag och "
    "det fanns skäl. Nämnden har kommit fram till sina slutsatser och kom med förslag.",
]


@pytest.mark.parametrize("level", ["form", "lemma"])
def test_no_listed_form_survives_stopword_removal(level):
    c = corpus_from_texts(POLICY_LIKE)
    stop = tok.stopwords_load()
    m, terms, _ = c.dtm(level, "document", stopwords=stop)
    kept = set(terms)
    assert not kept & stop.forms
    assert not kept & stop.lemmas
    # every token left is one whose form is not listed, and the count removed is reported
    forms = c.lower[c.tokens][c.word_mask()]
    listed = sum(c.forms[f] in stop.forms or c.lemmas[c.lemma[f]] in stop.lemmas for f in forms)
    assert c.stopword_count(stop) == listed
    assert m.sum() == len(forms) - listed
    assert {"finnas", "få", "komma", "vilja", "all", "hel", "sitta", "trä"}.isdisjoint(kept)


def test_lemma_level_keeps_school_apart_from_the_modal():
    c = corpus_from_texts(POLICY_LIKE)
    m, terms, _ = c.dtm("lemma", "document", stopwords=tok.stopwords_load())
    col = {t: i for i, t in enumerate(terms)}
    assert m[:, col["skola"]].sum() == 2  # skolan, skolor: not ska/skulle
    assert m[:, col["träda"]].sum() == 2 and "ska" not in col and "sin" not in col


def test_stop_forms_match_form_or_lemma(small):
    stop = small.stop_forms({"samverka"})
    assert stop[small.forms.index("samverkar")]  # by lemma
    assert not stop[small.forms.index("samverkan")]
