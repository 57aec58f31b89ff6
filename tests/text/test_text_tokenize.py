"""Tokeniser rules, paragraph breaks, lemmas, stop words: hand-counted Swedish fixtures."""

import itertools
import re
import unicodedata
from collections import defaultdict

import pytest

from ordbruk.text import tokenize as tok


def test_words_with_swedish_letters_and_accents():
    assert tok.text_tokenize("Idéer för Borås, Öckerö och Ängelholm.") == [
        "Idéer", "för", "Borås", "Öckerö", "och", "Ängelholm",
    ]  # fmt: skip


def test_truncated_compound_keeps_hyphen():
    text = "förvaltningschef för Gymnasie- och vuxenutbildningsförvaltningen"
    assert tok.text_tokenize(text) == [
        "förvaltningschef", "för", "Gymnasie-", "och", "vuxenutbildningsförvaltningen",
    ]  # fmt: skip
    # a list of truncated parts: "nämnd-," and "förvaltnings- och"
    assert tok.text_tokenize("över nämnd-, förvaltnings- och professionsgränser") == [
        "över", "nämnd-", "förvaltnings-", "och", "professionsgränser",
    ]  # fmt: skip


def test_dash_is_not_a_token_and_inner_hyphen_kept():
    # "- Det" is a quote dash; "EU-medel", "Covid-19" and "EU:s" are single words
    assert tok.text_tokenize("- Det gäller EU-medel, Covid-19 och EU:s regler") == [
        "Det", "gäller", "EU-medel", "Covid-19", "och", "EU:s", "regler",
    ]  # fmt: skip


def test_numbers():
    assert tok.text_tokenize("Kl. 13.00-17.00 var 4% av 56 000, dvs. 3,5 procent") == [
        "Kl.", "13.00", "17.00", "var", "4", "av", "56", "000", "dvs.", "3,5", "procent",
    ]  # fmt: skip


def test_numbers_and_truncations_are_their_own_lemma():
    assert tok.form_lemmatize("2019") == "2019"
    assert tok.form_lemmatize("gymnasie-") == "gymnasie-"
    assert tok.form_lemmatize("bl.a.") == "bl.a."


def test_nfd_input_is_not_split():
    nfd = unicodedata.normalize("NFD", "Borås")
    assert tok.text_tokenize(unicodedata.normalize("NFC", nfd)) == ["Borås"]


@pytest.mark.parametrize("word", ["vi", "vår", "och", "att"])
def test_stopwords_shipped(word):
    assert word in tok.stopwords_load()


def test_stopwords_keep_content_words():
    stop = tok.stopwords_load()
    words = stop.forms | stop.lemmas
    assert not {"samverkan", "segregation", "kommun", "skola", "man", "vara"} & stop.lemmas
    assert not {"samverkan", "segregation", "kommun"} & words
    assert all(w == w.lower() for w in words)


@pytest.mark.parametrize(
    "form", ["finns", "fanns", "funnits", "får", "fick", "fått", "kommer", "kom", "ville"]
)
def test_stopwords_cover_inflected_function_verbs(form):
    assert form in tok.stopwords_load().forms


def test_stoplist_of_a_plain_set_is_forms_and_lemmas():
    stop = tok.stoplist_of({"Vi", "ska"})
    assert stop.forms == stop.lemmas == {"vi", "ska"}
    assert tok.stoplist_of(tok.stopwords_load()) is tok.stopwords_load()


@pytest.mark.parametrize(
    "form, lemma",
    [
        ("ska", "ska"),
        ("skall", "ska"),
        ("skulle", "ska"),
        ("skolan", "skola"),
        ("skolor", "skola"),
        ("träda", "träda"),
        ("trädde", "träda"),
        ("trätt", "träda"),
        ("träder", "träda"),
        ("sitt", "sin"),
        ("sina", "sin"),
        ("sin", "sin"),
        ("sitter", "sitta"),
        ("första", "första"),
        ("förena", "förena"),
    ],
)
def test_lemma_corrections_after_simplemma(form, lemma):
    assert tok.form_lemmatize(form) == lemma


def test_lemma_corrections_resource_is_well_formed():
    table = tok.lemma_corrections()
    assert table and all(f == f.lower() and x == x.lower() for f, x in table.items())


def test_text_paragraphs_offsets_and_blank_blocks():
    text = "– Rubrik\n\n  Första stycket.\nSamma stycke.\n \n\n•\n\nSista [telefon]."
    # "– Rubrik" is 8 characters (0-7), the break "\n\n  " 8-11, so the second block
    # starts at 12; it is 15 + 1 + 13 characters (12-40), the break "\n \n\n" 41-44,
    # "•" 45, the break 46-47, "Sista" at 48
    assert tok.text_paragraphs(text) == [
        (0, "– Rubrik"),
        (12, "Första stycket.\nSamma stycke."),
        (45, "•"),
        (48, "Sista [telefon]."),
    ]
    for start, block in tok.text_paragraphs(text):
        assert text[start : start + len(block)] == block
    assert tok.text_paragraphs("") == [] and tok.text_paragraphs(" \n\n ") == []


def test_text_paragraphs_equal_the_quote_finders_old_rule():
    # The quote finder had its own regex for paragraphs; on texts of spaces, tabs and
    # newlines (cleaned texts have no other whitespace) the shared rule splits the same.
    old = re.compile(r"(?:[^\n]|\n(?![ \t]*\n))+")

    def old_paragraphs(text):
        out = []
        for m in old.finditer(text):
            s = m.group()
            if s.strip():
                out.append((m.start() + len(s) - len(s.lstrip()), s.strip()))
        return out

    for n in range(1, 8):
        for chars in itertools.product("a \n\t", repeat=n):
            text = "".join(chars)
            assert tok.text_paragraphs(text) == old_paragraphs(text), repr(text)


def test_texts_tokenize_gaps():
    ids_of = defaultdict()
    ids_of.default_factory = ids_of.__len__
    raw, starts, gaps = tok.texts_tokenize(["Ring [telefon], nu!", "  Ja"], ids_of)
    vocab = list(ids_of)
    # doc 0: "Ring" after 0 characters, "[telefon]" after 1 (" "), "nu" after 2 (", "),
    # "!" (end of text) after 0; doc 1: "Ja" after 2 spaces
    assert [vocab[i] for i in raw] == ["Ring", "[telefon]", "nu", "!", "Ja"]
    assert gaps.tolist() == [0, 1, 2, 0, 2] and starts.tolist() == [0, 4, 5]


def test_place_names_join_the_stop_words_on_request():
    from ordbruk.text.tokenize import names_load, stoplist_make, stopwords_load

    names = names_load()
    assert "malmö" in names.forms and "malmös" in names.forms and "malmö" in names.lemmas
    assert "mark" not in names and "berg" not in names  # common words are not names
    both = stoplist_make(True, True)
    assert "och" in both and "södertälje" in both and stoplist_make(False, False) is None
    assert stoplist_make(True, False) == stopwords_load()
