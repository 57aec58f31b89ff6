"""Token tables: sentence and paragraph offsets, id tables, character offsets."""

import numpy as np

from ordbruk.text import tables
from ordbruk.text import tokenize as tok


def test_abbreviations_do_not_end_sentences():
    sents = tables.text_sentences(
        "Vi arbetar bl.a. med skolan. Det gäller t.ex. Borås och m.m. Sedan slut."
    )
    # 3 sentences: "Vi ... skolan" (5), "Det ... m.m." (6), "Sedan slut" (2)
    assert [len(s) for s in sents] == [5, 6, 2]
    assert sents[0][2] == "bl.a."
    assert sents[1][2] == "t.ex."


def test_sentence_needs_capital_after_full_stop():
    # "?" before a lowercase word does not end the sentence; "!" before a dash quote does
    sents = tables.text_sentences("Varför då? ja, så är det! – Det är bra, säger hon.")
    assert sents == [
        ["Varför", "då", "ja", "så", "är", "det"],
        ["Det", "är", "bra", "säger", "hon"],
    ]


def test_lines_and_paragraphs():
    built = tables.tokens_build(["Rubrik utan punkt\nEn mening här.\n\nNy paragraf.", "", "Ett"])
    # doc 0: 3 + 3 + 2 tokens; doc 1 empty; doc 2: 1 token
    assert built.doc_starts.tolist() == [0, 8, 8, 9]
    assert built.sent_starts.tolist() == [0, 3, 6, 8, 9]
    assert built.sent_doc.tolist() == [0, 0, 0, 2]
    assert built.para_starts.tolist() == [0, 6, 8, 9]
    assert built.para_doc.tolist() == [0, 0, 2]


def test_empty_corpus_and_empty_text():
    built = tables.tokens_build([])
    assert built.tokens.size == 0 and built.doc_starts.tolist() == [0]
    built = tables.tokens_build(["", "  \n\n "])
    assert built.doc_starts.tolist() == [0, 0, 0]
    assert built.sent_starts.tolist() == [0]


def test_case_forms_and_lemmas_share_ids():
    built = tables.tokens_build(["Samverkan samverkan SAMVERKAN samverkar"])
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
    tables.tokens_build(["Barn barn BARN barnen", "barn barnen"])
    assert sorted(calls) == ["barn", "barnen"]


def test_form_is_word():
    built = tables.tokens_build(["Under 2019 fick 32 kommuner stöd"])
    is_word = dict(zip(built.forms, built.form_is_word.tolist(), strict=True))
    assert is_word["2019"] is False and is_word["kommuner"] is True


def test_tokens_dtype():
    built = tables.tokens_build(["a b c"])
    assert built.tokens.dtype == np.int32 and built.doc_starts.dtype == np.int64


def test_sentence_final_abbreviation_ends_sentence_before_capital():
    sents = tables.text_sentences(
        "Skola, fritid m.m. Sedan kom resten. Vi har t.ex. Borås m.m. och mer."
    )
    assert sents == [
        ["Skola", "fritid", "m.m"],
        ["Sedan", "kom", "resten"],
        ["Vi", "har", "t.ex.", "Borås", "m.m.", "och", "mer"],
    ]
    built = tables.tokens_build(["fritid m.m. Sedan"])
    assert "m.m." in built.lemmas  # both spellings share the lemma "m.m."
