import numpy as np
import pytest

from ordbruk.errors import ParameterError
from ordbruk.text.corpus import corpus_from_texts
from ordbruk.text.subset import (
    corpus_subset,
    corpus_take,
    subset_describe,
    subset_mask,
    subset_spec_check,
)

TEXTS = [
    "Samverkan i Malmö.\n\nVi ska bygga bostäder. Segregationen minskar!",
    "Regeringen föreslår en ny lag.",
    "Kommunen samverkar med regionen.\n\nBostäderna byggs 2024.",
    "En kort text",
    "Integration och samverkan.\n\nFler bostäder, fler jobb. Tack.",
]
META = [
    {"doc_id": "a", "actor": "Malmö stad", "actor_level": "local", "doc_type": "event", "date": "2014-06-30"},
    {"doc_id": "b", "actor": "Regeringen", "actor_level": "national", "doc_type": "press", "date": "2014-06"},
    {"doc_id": "c", "actor": "Region Skåne", "actor_level": "regional", "doc_type": "event", "date": "2015"},
    {"doc_id": "d", "actor": "Regeringen", "actor_level": "national", "doc_type": "press", "date": ""},
    {"doc_id": "e", "actor": "Regeringen", "actor_level": "national", "doc_type": "event", "date": "2016-01-02"},
]  # fmt: skip


@pytest.fixture(scope="module")
def corpus():
    return corpus_from_texts(TEXTS, META)


@pytest.mark.parametrize("docs", [[0, 2, 4], [1], [0, 1, 2, 3, 4], [3, 4]])
def test_taken_corpus_equals_the_corpus_built_from_those_texts_alone(corpus, docs):
    got = corpus_take(corpus, np.array(docs))
    want = corpus_from_texts([TEXTS[i] for i in docs], [META[i] for i in docs])
    for name in ("doc_starts", "para_starts", "para_doc", "sent_starts", "sent_doc", "char_starts"):
        assert np.array_equal(getattr(got, name), getattr(want, name)), name
    for level in ("surface", "form", "lemma"):
        assert [got.doc_tokens(i, level) for i in range(len(docs))] == [
            want.doc_tokens(i, level) for i in range(len(docs))
        ]
        assert sorted(got.strings(level)) == sorted(want.strings(level))
    for unit in ("paragraph", "sentence"):
        n = len(got.units(unit)[1])
        assert [got.unit_text(unit, i) for i in range(n)] == [
            want.unit_text(unit, i) for i in range(n)
        ]
    assert got.meta.drop(columns="year").equals(want.meta.drop(columns="year"))

    def cells(c):
        m, terms, _ = c.dtm("lemma")
        m = m.tocoo()
        return {(int(r), terms[k]): int(v) for r, k, v in zip(m.row, m.col, m.data, strict=True)}

    assert cells(got) == cells(want)


def test_keep_drop_date_and_min_words(corpus):
    def ids(subset):
        return list(corpus_subset(corpus, subset).meta["doc_id"])

    assert ids({"keep": {"doc_type": ["event"]}}) == ["a", "c", "e"]
    assert ids({"drop": {"actor_level": ["national"]}}) == ["a", "c"]
    assert ids({"keep": {"doc_type": "event"}, "drop": {"actor": ["Regeringen"]}}) == ["a", "c"]
    # bounds are compared at their own precision; an undated or too coarse date is left out
    assert ids({"date": {"from": "2014", "to": "2015"}}) == ["a", "b", "c"]
    assert ids({"date": {"from": "2014-06"}}) == ["a", "b", "e"]
    assert ids({"date": {"to": "2014-06-30"}}) == ["a"]
    assert ids({"min_words": 5}) == ["a", "b", "c", "e"]
    assert corpus_subset(corpus, {}) is corpus and corpus_subset(corpus, None) is corpus


def test_subset_record_counts_what_each_condition_removed(corpus):
    sub = corpus_subset(
        corpus, {"keep": {"doc_type": ["event", "press"]}, "date": {"from": "2014"}}
    )
    rec = sub.manifest["subset"]
    assert rec["n_documents_before"] == 5 and rec["n_documents"] == 4
    assert rec["removed"] == {"keep.doc_type": 0, "date_missing": 1, "date": 0}
    assert rec["description"] == "doc_type is event or press; dated from 2014"
    assert rec["n_tokens"] == len(sub.tokens) < rec["n_tokens_before"]
    assert "subset" not in corpus.manifest


@pytest.mark.parametrize(
    "subset, message",
    [
        (
            {"keep": {"genre": ["event"]}},
            "subset.keep.genre: no such metadata column (columns: doc_id, actor,",
        ),
        (
            {"keep": {"doc_type": ["evnt"]}},
            "subset.keep.doc_type: no document has 'evnt' (values: event, press)",
        ),
        ({"keep": {"doc_type": ["event"]}, "date": {"from": "2030"}}, "selects no document of 5"),
        ({"kep": {}}, "subset.kep: unknown condition (known: keep, drop, date, min_words)"),
        ({"date": {"from": "2014-6"}}, "subset.date.from: '2014-6' is not a date"),
        ({"date": {"since": "2014"}}, "subset.date: expected a mapping with from and/or to"),
        ({"min_words": -1}, "subset.min_words: expected a non-negative integer"),
        ({"keep": {"doc_type": [["a"]]}}, "subset.keep.doc_type: expected a list of values"),
        (["doc_type"], "subset: expected a mapping"),
    ],
)
def test_bad_subset_is_a_one_line_error_naming_what_exists(corpus, subset, message):
    with pytest.raises(ParameterError) as e:
        subset_mask(corpus.meta, subset)
    assert message in str(e.value) and "\n" not in str(e.value)


def test_describe_and_spec():
    assert subset_describe({}) == "every document"
    assert (
        subset_describe({"date": {"to": "2015"}, "min_words": 50})
        == "dated up to 2015; at least 50 words"
    )
    assert subset_spec_check({"keep": {"year": [2014]}}) == {"keep": {"year": ["2014"]}}
