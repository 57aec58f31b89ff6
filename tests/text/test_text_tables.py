"""Token tables: sentence and paragraph offsets, id tables, character offsets, the worker."""

import unicodedata

import numpy as np

from ordbruk.text import tables
from ordbruk.text import tokenize as tok
from ordbruk.text import worker as tokens_worker
from ordbruk.text.worker import texts_split


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


PARALLEL_TEXTS = [
    "Samverkan mellan kommuner. Vi samverkar!",
    "Kommunerna samverkar.\n\nSegregationen minskar.",
    "Bra",
    "",
    "Segregation och samverkan i Borås Stad; kommunerna vill mer.",
    "Nya ord: bostadssegregation, områdesutveckling.",
]


def _tables_equal(a, b):
    for name in ("tokens", "char_starts", "doc_starts", "para_starts", "para_doc", "sent_starts"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    for name in ("sent_doc", "lower", "lemma", "form_is_word"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert (a.vocab, a.forms, a.lemmas) == (b.vocab, b.forms, b.lemmas)


def test_second_process_gives_identical_tables(monkeypatch):
    monkeypatch.setattr(tok, "FEED_EVERY_DOCS", 1)
    monkeypatch.setattr(tables, "WORKER_SHARE", 0.5)
    finished = []
    original = tokens_worker.Worker.finish

    def spy(self):
        result = original(self)
        finished.append(result is not None)
        return result

    monkeypatch.setattr(tokens_worker.Worker, "finish", spy)
    serial = tables.tokens_build(PARALLEL_TEXTS, parallel=False)
    parallel = tables.tokens_build(PARALLEL_TEXTS, parallel=True)
    assert finished == [True]  # the worker really ran and answered
    _tables_equal(serial, parallel)


def test_second_process_gives_identical_offsets_on_a_large_corpus(monkeypatch):
    # Over PARALLEL_MIN_CHARS, as prepare meets it: the worker's share starts mid-corpus,
    # its offsets are per document and must equal a one-process run's.
    texts = [f"Dok {i}: Åsa [telefon] bl.a. Gymnasie- och\n\nvuxen {i}." * 40 for i in range(1200)]
    assert sum(map(len, texts)) >= tables.PARALLEL_MIN_CHARS
    finished = []
    original = tokens_worker.Worker.finish

    def spy(self):
        result = original(self)
        finished.append(result is not None)
        return result

    monkeypatch.setattr(tokens_worker.Worker, "finish", spy)
    serial = tables.tokens_build(texts, parallel=False)
    parallel = tables.tokens_build(texts)
    assert finished == [True]
    _tables_equal(serial, parallel)
    d = 1100  # a document of the worker's share
    a, b = parallel.doc_starts[d], parallel.doc_starts[d + 1]
    ends = parallel.char_ends(np.arange(a, b))
    got = [texts[d][s:e] for s, e in zip(parallel.char_starts[a:b], ends, strict=True)]
    assert got == [parallel.vocab[t] for t in parallel.tokens[a:b]]


def test_failed_worker_falls_back_to_one_process(monkeypatch):
    monkeypatch.setattr(tokens_worker.Worker, "finish", lambda self: None)
    serial = tables.tokens_build(PARALLEL_TEXTS, parallel=False)
    _tables_equal(serial, tables.tokens_build(PARALLEL_TEXTS, parallel=True))


def test_texts_split_by_characters():
    # 10 + 10 + 20 characters: texts start at 0, 10, 20; the last half (from 20) holds
    # text 2; no text starts in the last quarter (from 30)
    assert texts_split(["a" * 10, "b" * 10, "c" * 20], 0.5) == 2
    assert texts_split(["a" * 10, "b" * 10, "c" * 20], 0.25) == 3
    assert texts_split([], 0.25) == 0


def test_redaction_placeholders_are_not_words():
    # regression: "[telefon]" was counted as the word "telefon" in counts and keyness
    built = tables.tokens_build(["Ring [telefon] eller skriv till [e-post] i dag. Nästa mening."])
    assert built.forms == ["ring", "eller", "skriv", "till", "i", "dag", "nästa", "mening"]
    assert built.sent_starts.tolist() == [0, 6, 8]  # placeholders break no sentence


# --- character offsets: hand-counted -------------------------------------------------


def _spans(built):
    """(surface, start, end) of every token."""
    ends = built.char_ends(np.arange(len(built.tokens)))
    return [
        (built.vocab[t], int(a), int(b))
        for t, a, b in zip(built.tokens, built.char_starts, ends, strict=True)
    ]


def test_offsets_swedish_letters_abbreviation_and_truncated_compound():
    text = "Åsa i Västerås har bl.a. Gymnasie- och vuxenutbildning, t.ex. i Öckerö."
    built = tables.tokens_build([text])
    # Å-s-a 0-3, i 4-5, Västerås 6-14 (8 letters, å is one character in NFC), har 15-18,
    # bl.a. 19-24, Gymnasie- 25-34 (hyphen kept), och 35-38, vuxenutbildning 39-54, the
    # comma, t.ex. 56-61, i 62-63, Öckerö 64-70; the final stop is no token
    assert _spans(built) == [
        ("Åsa", 0, 3), ("i", 4, 5), ("Västerås", 6, 14), ("har", 15, 18),
        ("bl.a.", 19, 24), ("Gymnasie-", 25, 34), ("och", 35, 38),
        ("vuxenutbildning", 39, 54), ("t.ex.", 56, 61), ("i", 62, 63), ("Öckerö", 64, 70),
    ]  # fmt: skip
    assert all(text[a:b] == s for s, a, b in _spans(built))
    assert built.char_starts.dtype == np.int32


def test_offsets_count_nfc_characters():
    nfd = unicodedata.normalize("NFD", "Västerås år")
    nfc = unicodedata.normalize("NFC", nfd)
    assert len(nfd) == 14 and len(nfc) == 11
    # tokens_build takes NFC text (corpus_load and corpus_from_texts normalise): "år" at 9
    assert _spans(tables.tokens_build([nfc])) == [("Västerås", 0, 8), ("år", 9, 11)]


def test_offsets_skip_redaction_placeholders():
    text = "Ring [telefon] eller [e-post] i dag."
    # "Ring " 0-4, "[telefon]" 5-13 (not a token), eller 15-20, "[e-post]" 21-28, i 30, dag 32
    assert _spans(tables.tokens_build([text])) == [
        ("Ring", 0, 4), ("eller", 15, 20), ("i", 30, 31), ("dag", 32, 35),
    ]  # fmt: skip
    # regression: finding "post" by searching the text after the previous token (the old
    # KWIC way) lands inside "[e-post]" at 10; the tokeniser's offset is 16
    text = "Skicka [e-post] post."
    assert _spans(tables.tokens_build([text])) == [("Skicka", 0, 6), ("post", 16, 20)]
    assert text.find("post", 6) == 10


def test_offsets_restart_in_each_document_and_span_lines():
    texts = ["Ett två.\n\nTre", "", "  – Fyra,\nt.\nex. fem"]
    built = tables.tokens_build(texts)
    assert _spans(built) == [
        ("Ett", 0, 3), ("två", 4, 7), ("Tre", 10, 13),
        ("Fyra", 4, 8), ("t.\nex.", 10, 16), ("fem", 17, 20),
    ]  # fmt: skip
    assert built.doc_starts.tolist() == [0, 3, 3, 6]
    assert tables.tokens_build([]).char_starts.tolist() == []
    assert tables.tokens_build(["", " . "]).char_starts.tolist() == []


def test_offsets_of_a_long_text_match_the_text():
    words = ["Samverkan", "i", "Borås", "bl.a.", "om", "Gymnasie-", "och", "[telefon]", "–", "3,5"]
    rng = np.random.default_rng(1)
    text = " ".join(rng.choice(words, 2000)) + "."
    built = tables.tokens_build([text, text[:999]])
    for s, a, b in _spans(built)[:10]:
        assert text[a:b] == s
    d1 = built.doc_starts[1]
    ends = built.char_ends(np.arange(len(built.tokens)))
    surfaces = [built.vocab[t] for t in built.tokens]
    assert [text[a:b] for a, b in zip(built.char_starts[:d1], ends[:d1], strict=True)] == surfaces[
        :d1
    ]
    assert [text[a:b] for a, b in zip(built.char_starts[d1:], ends[d1:], strict=True)] == surfaces[
        d1:
    ]
