"""Tokeniser, sentence and paragraph splitting, lemmas: hand-counted Swedish fixtures."""

import unicodedata

import numpy as np
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


def test_abbreviations_do_not_end_sentences():
    sents = tok.text_sentences(
        "Vi arbetar bl.a. med skolan. Det gäller t.ex. Borås och m.m. Sedan slut."
    )
    # 3 sentences: "Vi ... skolan" (5), "Det ... m.m." (6), "Sedan slut" (2)
    assert [len(s) for s in sents] == [5, 6, 2]
    assert sents[0][2] == "bl.a."
    assert sents[1][2] == "t.ex."


def test_sentence_needs_capital_after_full_stop():
    # "?" before a lowercase word does not end the sentence; "!" before a dash quote does
    sents = tok.text_sentences("Varför då? ja, så är det! – Det är bra, säger hon.")
    assert sents == [
        ["Varför", "då", "ja", "så", "är", "det"],
        ["Det", "är", "bra", "säger", "hon"],
    ]


def test_lines_and_paragraphs():
    built = tok.tokens_build(["Rubrik utan punkt\nEn mening här.\n\nNy paragraf.", "", "Ett"])
    # doc 0: 3 + 3 + 2 tokens; doc 1 empty; doc 2: 1 token
    assert built.doc_starts.tolist() == [0, 8, 8, 9]
    assert built.sent_starts.tolist() == [0, 3, 6, 8, 9]
    assert built.sent_doc.tolist() == [0, 0, 0, 2]
    assert built.para_starts.tolist() == [0, 6, 8, 9]
    assert built.para_doc.tolist() == [0, 0, 2]


def test_empty_corpus_and_empty_text():
    built = tok.tokens_build([])
    assert built.tokens.size == 0 and built.doc_starts.tolist() == [0]
    built = tok.tokens_build(["", "  \n\n "])
    assert built.doc_starts.tolist() == [0, 0, 0]
    assert built.sent_starts.tolist() == [0]


def test_case_forms_and_lemmas_share_ids():
    built = tok.tokens_build(["Samverkan samverkan SAMVERKAN samverkar"])
    assert len(built.vocab) == 4  # four surface forms
    assert built.forms == ["samverkan", "samverkar"]
    forms = built.lower[built.tokens]
    assert forms.tolist() == [0, 0, 0, 1]
    assert [built.lemmas[built.lemma[f]] for f in forms] == [
        "samverkan", "samverkan", "samverkan", "samverka",
    ]  # fmt: skip


def test_each_form_lemmatised_once(monkeypatch):
    calls = []

    def fake(form):
        calls.append(form)
        return form

    monkeypatch.setattr(tok, "_simplemma_lemmatize", fake)
    tok.tokens_build(["Barn barn BARN barnen", "barn barnen"])
    assert sorted(calls) == ["barn", "barnen"]


def test_numbers_and_truncations_are_their_own_lemma():
    assert tok.form_lemmatize("2019") == "2019"
    assert tok.form_lemmatize("gymnasie-") == "gymnasie-"
    assert tok.form_lemmatize("bl.a.") == "bl.a."


def test_form_is_word():
    built = tok.tokens_build(["Under 2019 fick 32 kommuner stöd"])
    is_word = dict(zip(built.forms, built.form_is_word.tolist(), strict=True))
    assert is_word["2019"] is False and is_word["kommuner"] is True


def test_nfd_input_is_not_split():
    nfd = unicodedata.normalize("NFD", "Borås")
    assert tok.text_tokenize(unicodedata.normalize("NFC", nfd)) == ["Borås"]


@pytest.mark.parametrize("word", ["vi", "vår", "och", "att"])
def test_stopwords_shipped(word):
    assert word in tok.stopwords_load()


def test_stopwords_keep_content_words():
    stop = tok.stopwords_load()
    assert not {"samverkan", "segregation", "kommun"} & stop
    assert all(w == w.lower() for w in stop)


def test_tokens_dtype():
    built = tok.tokens_build(["a b c"])
    assert built.tokens.dtype == np.int32 and built.doc_starts.dtype == np.int64


def test_sentence_final_abbreviation_ends_sentence_before_capital():
    sents = tok.text_sentences(
        "Skola, fritid m.m. Sedan kom resten. Vi har t.ex. Borås m.m. och mer."
    )
    assert sents == [
        ["Skola", "fritid", "m.m"],
        ["Sedan", "kom", "resten"],
        ["Vi", "har", "t.ex.", "Borås", "m.m.", "och", "mer"],
    ]
    built = tok.tokens_build(["fritid m.m. Sedan"])
    assert "m.m." in built.lemmas  # both spellings share the lemma "m.m."


PARALLEL_TEXTS = [
    "Samverkan mellan kommuner. Vi samverkar!",
    "Kommunerna samverkar.\n\nSegregationen minskar.",
    "Bra",
    "",
    "Segregation och samverkan i Borås Stad; kommunerna vill mer.",
    "Nya ord: bostadssegregation, områdesutveckling.",
]


def _tables_equal(a, b):
    for name in ("tokens", "doc_starts", "para_starts", "para_doc", "sent_starts", "sent_doc"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    for name in ("lower", "lemma", "form_is_word"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert (a.vocab, a.forms, a.lemmas) == (b.vocab, b.forms, b.lemmas)


def test_second_process_gives_identical_tables(monkeypatch):
    from ordbruk.text import worker as tokens_worker

    monkeypatch.setattr(tok, "FEED_EVERY_DOCS", 1)
    monkeypatch.setattr(tok, "WORKER_SHARE", 0.5)
    finished = []
    original = tokens_worker.Worker.finish

    def spy(self):
        result = original(self)
        finished.append(result is not None)
        return result

    monkeypatch.setattr(tokens_worker.Worker, "finish", spy)
    serial = tok.tokens_build(PARALLEL_TEXTS, parallel=False)
    parallel = tok.tokens_build(PARALLEL_TEXTS, parallel=True)
    assert finished == [True]  # the worker really ran and answered
    _tables_equal(serial, parallel)


def test_failed_worker_falls_back_to_one_process(monkeypatch):
    from ordbruk.text import worker as tokens_worker

    monkeypatch.setattr(tokens_worker.Worker, "finish", lambda self: None)
    serial = tok.tokens_build(PARALLEL_TEXTS, parallel=False)
    _tables_equal(serial, tok.tokens_build(PARALLEL_TEXTS, parallel=True))


def test_texts_split_by_characters():
    from ordbruk.text.worker import texts_split

    # 10 + 10 + 20 characters: texts start at 0, 10, 20; the last half (from 20) holds
    # text 2; no text starts in the last quarter (from 30)
    assert texts_split(["a" * 10, "b" * 10, "c" * 20], 0.5) == 2
    assert texts_split(["a" * 10, "b" * 10, "c" * 20], 0.25) == 3
    assert texts_split([], 0.25) == 0


def test_redaction_placeholders_are_not_words():
    # regression: "[telefon]" was counted as the word "telefon" in counts and keyness
    built = tok.tokens_build(["Ring [telefon] eller skriv till [e-post] i dag. Nästa mening."])
    assert built.forms == ["ring", "eller", "skriv", "till", "i", "dag", "nästa", "mening"]
    assert built.sent_starts.tolist() == [0, 6, 8]  # placeholders break no sentence
