"""The notes modules: every template formats from values, and the values reach the text."""

import pandas as pd
import pytest

from ordbruk.overview import notes as overview_notes
from ordbruk.rhetoric import notes as rhetoric_notes
from ordbruk.terms import notes as terms_notes

OVERVIEW = {"n_undated": 3, "excerpt_chars": 321, "sentence_length_col": "sentence_length_mean"}
OVERVIEW |= {"lemma_min_count": 20, "n_lemmas": 7}
TERMS = {
    "unit": "paragraph",
    "column": "actor",
    "group_by": "actor_level",
    "min_docs_per_point": 7,
    "kwic_width": 55,
    "kwic_sort_by": "left",
    "kwic_sample_size": 4,
    "seed": 42,
    "window": 4,
    "min_collocate_count": 2,
    "collocates_top_n": 9,
    "drop_stopwords": False,
    "n_shown": 12,
    "n_with": 30,
    "caveat": " CAVEAT",
    "n_boot": 300,
    "strata_name": "doc_type",
    "ci_pct": 90,
    "adjusted": "doc_type + period",
}
RHETORIC = {
    "group_by": "actor_level",
    "token_level": "lemma",
    "drop_stopwords": True,
    "min_freq": 5,
    "top_n": 20,
    "log_ratio_min": 1.0,
    "p_max": 0.05,
    "plot_n": 10,
    "fw_prior": "wordfreq",
    "fw_prior_size": 500.0,
    "fw_label_n": 8,
    "group_a": "local",
    "group_b": "national",
    "ci_level": 0.9,
    "n_boot": 200,
    "seed": 7,
    "small": "SMALL",
    "min_actors": 4,
}


@pytest.mark.parametrize(
    ("module", "fn", "values"),
    [
        (overview_notes, overview_notes.overview_result, OVERVIEW),
        (terms_notes, terms_notes.terms_result, TERMS),
        (rhetoric_notes, rhetoric_notes.rhetoric_result, RHETORIC),
    ],
)
def test_every_result_has_a_title_and_a_note(module, fn, values):
    for kind in module._NOTES:
        out = fn(kind, **values)
        assert set(out) == {"title", "notes"} and out["title"] and out["notes"], kind
        assert "{" not in out["notes"] and "{" not in out["title"], kind


def test_values_reach_the_text():
    assert (
        "321 characters" in overview_notes.overview_result("excerpts", excerpt_chars=321)["notes"]
    )
    coll = terms_notes.terms_result("collocates", **TERMS)["notes"]
    assert "× 8 / N" in coll and "O ≥ 2." in coll and "stop words" not in coll
    assert coll.endswith("CAVEAT")
    boot = rhetoric_notes.rhetoric_result("keyness_actors", **RHETORIC)["notes"]
    assert "90% percentile bootstrap interval from 200 resamples" in boot and "(seed 7)" in boot
    fw = rhetoric_notes.rhetoric_result("fightin_words", **RHETORIC)["notes"]
    assert "wordfreq (general Swedish), alpha_0 = 500;" in fw
    key = rhetoric_notes.rhetoric_result("keyness", **{**RHETORIC, "drop_stopwords": False})
    assert "stop words kept" in key["notes"]


def test_prose_comes_from_the_tables():
    docs = pd.DataFrame(
        {"actor": ["a", "a", "b"], "n_tokens": [10, 20, 5], "year": [2019, None, 2021]}
    )
    levels = pd.DataFrame({"actor_level": ["local", "national"], "n_docs": [2, 1]})
    text = overview_notes.corpus_prose(docs, levels)
    assert "**3 documents** from **2 actors** with **35 tokens**" in text
    assert "dated 2019–2021. Levels: local 2 documents, national 1 documents." in text
    totals = pd.DataFrame({"family": ["x", "y"], "count": [1200, 3], "freq_per_10k": [2.0, 9.5]})
    assert (
        terms_notes.totals_prose(3, 35, totals)
        == "3 documents, 35 tokens. *x* 1,200 uses, *y* 3 uses."
    )
    assert terms_notes.terms_summary(2, 3, totals).endswith("y 9.5, x 2.0 per 10k tokens")


def test_stop_word_notes_give_the_tokens_removed():
    values = {**RHETORIC, "n_stop_removed": 35495}
    assert "removed (35,495 tokens" in rhetoric_notes.rhetoric_result("keyness", **values)["notes"]
    values = {**TERMS, "drop_stopwords": True, "n_stop_removed": 1234}
    assert "(1,234 tokens)" in terms_notes.terms_result("collocates", **values)["notes"]


def test_every_rhetoric_note_on_counted_terms_names_the_stop_words_removed():
    values = {**RHETORIC, "n_stop_removed": 12, "prior_name": "x", "fw_prior": "corpus"}
    for kind in ("keyness", "keywords_top", "fightin_words", "keyness_actors"):
        assert (
            "stop words removed (12 tokens"
            in rhetoric_notes.rhetoric_result(kind, **values)["notes"]
        )
