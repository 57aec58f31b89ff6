"""Corpus overview tables: hand-counted sizes, LIX, group counts, cleaning summary."""

import math

import pandas as pd
import pytest

from ordbruk.overview import plots as overview_plots
from ordbruk.overview import tables as overview
from ordbruk.text.corpus import corpus_from_texts

TEXTS = [
    # 7 words in 2 sentences; long words (> 6 letters): samverkar, kommunerna,
    # Arbetsmarknaden, förändras = 4 ("snabbt" has 6). LIX = 7/2 + 100*4/7 = 60.642857
    "Vi samverkar med kommunerna. Arbetsmarknaden förändras snabbt.",
    # 3 words, 1 sentence, no long word: LIX = 3/1 + 0 = 3.0
    "Det är bra.",
    # 2019 is a token but not a word: 2 words, 1 sentence, 2 long (segregation, minskar:
    # 7 letters): LIX = 2/1 + 100*2/2 = 102
    "Segregation 2019 minskar",
]
META = [
    {"doc_id": "a", "actor": "Borås Stad", "actor_level": "local", "date": "2019-08-23"},
    {"doc_id": "b", "actor": "Borås Stad", "actor_level": "local", "date": "2024"},
    {"doc_id": "c", "actor": "Delmos", "actor_level": "national", "date": "2018-11"},
]


@pytest.fixture(scope="module")
def docs():
    return overview.documents_table(corpus_from_texts(TEXTS, META))


def test_documents_table_hand_counted(docs):
    assert docs["n_words"].tolist() == [7, 3, 2]
    assert docs["n_tokens"].tolist() == [7, 3, 3]
    assert docs["n_sentences"].tolist() == [2, 1, 1]
    assert docs["n_long_words"].tolist() == [4, 0, 2]
    assert docs["lix"].tolist() == pytest.approx([7 / 2 + 400 / 7, 3.0, 102.0])
    assert docs["sentence_length_mean"].tolist() == pytest.approx([3.5, 3.0, 2.0])
    bands = ["very difficult (bureaucratic)", "very easy", "very difficult (bureaucratic)"]
    assert docs["lix_band"].tolist() == bands


def test_documents_count_by_level(docs):
    counts = overview.documents_count(docs, ["actor_level"])
    assert counts["actor_level"].tolist() == ["local", "national"]
    assert counts["n_docs"].tolist() == [2, 1]
    assert counts["n_actors"].tolist() == [1, 1]
    assert counts["n_tokens"].tolist() == [10, 3]
    assert counts["share_of_tokens"].tolist() == pytest.approx([10 / 13, 3 / 13])  # fractions


def test_readability_pooled_and_per_document(docs):
    table = overview.readability_by_group(docs, "actor_level").set_index("actor_level")
    # local pooled: 10 words, 3 sentences, 4 long: 10/3 + 100*4/10 = 43.333
    assert table.loc["local", "lix_pooled"] == pytest.approx(10 / 3 + 40)
    assert table.loc["local", "lix_doc_mean"] == pytest.approx((7 / 2 + 400 / 7 + 3.0) / 2)
    assert table.loc["national", "n_docs"] == 1


def test_cleaning_summary_counts_rules():
    log = pd.DataFrame(
        {
            "doc_id": ["a", "a", "b", "b"],
            "line": [1, 2, 1, 5],
            "rule": ["logo", "logo", "logo", "redact_phone"],
            "action": ["removed", "removed", "removed", "redacted"],
            "text": ["Logotyp", "Logotyp", "Logotyp", "[telefon]"],
        }
    )
    docs = pd.DataFrame({"doc_id": ["a", "b", "c", "d"]})
    out = overview.cleaning_summary(log, docs).set_index("rule")
    assert out.loc["logo", "n_items"] == 3 and out.loc["logo", "n_docs"] == 2
    assert out.loc["logo", "share_of_docs"] == 0.5
    assert out.loc["redact_phone", "action"] == "redacted"
    assert overview.cleaning_summary(pd.DataFrame(), docs).empty


def test_excerpt_cut_at_word_boundary():
    corpus = corpus_from_texts(["Samverkan mellan kommuner\n\när viktig för alla."])
    out = overview.excerpts_make(corpus, n_chars=20)
    assert out["excerpt"].tolist() == ["Samverkan mellan …"]
    assert overview.excerpts_make(corpus, 500)["excerpt"][0] == (
        "Samverkan mellan kommuner är viktig för alla."
    )


def test_lix_band_edges():
    assert overview.lix_band(29.9) == "very easy"
    assert overview.lix_band(40) == "normal (news)"
    assert overview.lix_band(math.nan) == "no text"


def test_plots_build(docs):
    import matplotlib

    matplotlib.use("Agg")
    counts = overview.documents_count(docs, ["year", "actor_level"])
    for fig in (
        overview_plots.documents_plot(counts),
        overview_plots.tokens_plot(docs),
        overview_plots.lix_plot(docs),
    ):
        assert fig.axes


def test_documents_count_by_actor_largest_first(docs):
    # Delmos < Borås Stad alphabetically would come second; by size Borås Stad (2) is first
    extra = docs.assign(actor=docs["actor"].replace({"Borås Stad": "Öckerö kommun"}))
    counts = overview.documents_count(extra, ["actor_level", "actor"])
    assert counts["actor"].tolist() == ["Öckerö kommun", "Delmos"]
    assert counts["n_docs"].tolist() == [2, 1]
