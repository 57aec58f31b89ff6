import unicodedata

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from planted import planted

from ordbruk.errors import OrdbrukError
from ordbruk.paths import SEEDS_DIR, SHARED_CORPORA_DIR
from ordbruk.terms import families as term_families
from ordbruk.text.cache import corpus_prepare
from ordbruk.text.corpus import corpus_from_texts
from ordbruk.text.tokenize import PARAGRAPH_BREAK, text_tokenize
from ordbruk.topics.coherence import top_ids_from_weights
from ordbruk.topics.features import (
    families_collapse,
    families_lemma_map,
    features_filter,
    topics_features,
)
from ordbruk.topics.models import topics_fit
from ordbruk.topics.notes import adequacy_sentence
from ordbruk.topics.prevalence import topics_prevalence
from ordbruk.topics.select import corpus_adequacy, seeds_derive, units_split
from ordbruk.topics.stability import top_sets_jaccard, topics_match
from ordbruk.topics.tables import topics_doc_shares, topics_label, topics_terms_table, units_text


@pytest.mark.parametrize("method", ["lda", "nmf"])
def test_synthetic_topics_are_recovered(method):
    X, vocab, phi = planted()
    m = topics_fit(X, 4, method=method, seed=3, max_iter=50)
    true_top = top_ids_from_weights(phi, 10)
    fit_top = top_ids_from_weights(m.topic_word, 10)
    _, matched = topics_match(top_sets_jaccard(true_top, fit_top))
    print(f"{method}: best-match Jaccard of top-10 words per true topic: {np.round(matched, 3)}")
    # Seen: lda and nmf both 1.0 for all four topics.
    assert matched.min() >= 0.8


def test_same_seed_same_topics_different_seed_differs():
    X, _, _ = planted(n_docs=120)
    a = topics_fit(X, 3, "lda", seed=5, max_iter=10)
    b = topics_fit(X, 3, "lda", seed=5, max_iter=10)
    c = topics_fit(X, 3, "lda", seed=6, max_iter=10)
    assert np.array_equal(a.topic_word, b.topic_word)
    assert np.array_equal(a.doc_topic, b.doc_topic)
    assert not np.array_equal(a.topic_word, c.topic_word)
    n1 = topics_fit(X, 3, "nmf", seed=5)
    n2 = topics_fit(X, 3, "nmf", seed=5)
    assert np.array_equal(n1.topic_word, n2.topic_word)


def test_fit_rows_are_distributions_and_bad_k_raises():
    X, _, _ = planted(n_docs=50)
    m = topics_fit(X, 2, "nmf", seed=1)
    assert np.allclose(m.topic_word.sum(axis=1), 1) and np.allclose(m.doc_topic.sum(axis=1), 1)
    with pytest.raises(OrdbrukError):
        topics_fit(X, 1)
    with pytest.raises(OrdbrukError):
        topics_fit(X, 3, method="plsa")


def test_units_split_sizes_and_seed():
    tr, te = units_split(10, 0.1, seed=4)
    assert len(te) == 1 and len(tr) == 9 and set(tr) | set(te) == set(range(10))
    assert np.array_equal(units_split(10, 0.1, 4)[1], te)
    assert seeds_derive(100, 3) == [100, 101, 102]
    with pytest.raises(OrdbrukError):
        units_split(10, 0.9, 1)


# --- features ------------------------------------------------------------------------


def test_features_filter_hand_counted():
    # unit frequency: a 3, b 2, c 1 of 4 units
    X = sp.csr_matrix(np.array([[1, 1, 0], [2, 0, 0], [1, 1, 1], [0, 0, 0]]))
    assert features_filter(X, ["a", "b", "c"], min_df=2, max_df=1.0)[1] == ["a", "b"]
    # max_df 0.5 -> at most 2 of 4 units: a (3) goes
    assert features_filter(X, ["a", "b", "c"], min_df=1, max_df=0.5)[1] == ["b", "c"]
    # min_df 1.0 is one unit (not 100 %), max_df 1.0 all units; 0.5 of 4 units -> at least 2
    assert features_filter(X, ["a", "b", "c"], min_df=1.0, max_df=1.0)[1] == ["a", "b", "c"]
    assert features_filter(X, ["a", "b", "c"], min_df=0.5, max_df=4)[1] == ["a", "b"]
    with pytest.raises(OrdbrukError):
        features_filter(X, ["a", "b", "c"], min_df=0)
    with pytest.raises(OrdbrukError):
        features_filter(X, ["a", "b", "c"], min_df=2.5)
    with pytest.raises(OrdbrukError):
        features_filter(X, ["a", "b", "c"], max_df="all")


def test_families_collapse_sums_members():
    X = sp.csr_matrix(np.array([[1, 2, 0, 1], [0, 1, 3, 0]]))
    terms = ["segregation", "skola", "bostadssegregation", "kommun"]
    fam = {"segregation": "segregation", "bostadssegregation": "segregation"}
    M, names, members = families_collapse(X, terms, fam)
    assert names == ["fam:segregation", "skola", "kommun"]
    # unit 1: 1 + 0 = 1; unit 2: 0 + 3 = 3
    assert M.toarray().tolist() == [[1, 2, 1], [3, 1, 0]]
    assert members == {"fam:segregation": ["bostadssegregation", "segregation"]}


TEXTS = [
    "Skolan och eleverna.\n\nEleverna läser i skolan.",
    "Bostäder och hyror.\n\n\n\nHyran höjs för bostaden. Skolan.",
    "",
]


def test_topics_features_paragraphs_lemmas_and_stopwords():
    c = corpus_from_texts(TEXTS)
    f = topics_features(c, "paragraph", min_df=1, max_df=1.0)
    # Paragraphs: 2 + 2 (the run of blank lines is one break) + 0 for the empty text.
    assert f.n_units_total == 4 and f.unit_doc.tolist() == [0, 0, 1, 1]
    # "och", "i", "för" are stop words; lemmas: skolan -> skola, eleverna -> elev, ...
    assert sorted(f.terms) == sorted(["skola", "elev", "läsa", "bostad", "hyra", "höja"])
    col = f.terms.index("skola")
    assert f.X[:, col].toarray().ravel().tolist() == [1, 1, 0, 1]
    g = topics_features(c, "document", min_df=2, max_df=1.0)
    assert g.terms == ["skola"] and g.unit_index.tolist() == [0, 1]
    with pytest.raises(OrdbrukError):
        topics_features(c, "sentence")


def test_units_text_paragraphs_nfd_and_aao():
    nfd = unicodedata.normalize("NFD", "Öppna förskolor i Västerås.\n\nÄldreomsorg och åtgärder.")
    c = corpus_from_texts([nfd, TEXTS[1]])
    got = units_text(c, "paragraph")
    assert got == [
        "Öppna förskolor i Västerås.",
        "Äldreomsorg och åtgärder.",
        "Bostäder och hyror.",
        "Hyran höjs för bostaden. Skolan.",
    ]
    assert units_text(c, "document")[0] == unicodedata.normalize("NFC", nfd)


def _paragraphs_by_retokenising(corpus):
    """Paragraph texts as topic examples made them before offsets were kept: the cleaned
    text split at blank lines, blocks without a token skipped (an independent computation)."""
    out = []
    for text in corpus.texts:
        out.extend(b.strip() for b in PARAGRAPH_BREAK.split(text) if text_tokenize(b))
    return out


def test_units_text_equals_retokenising_on_the_seeds(tmp_path):
    c = corpus_prepare(SEEDS_DIR, cache_dir=tmp_path)
    got = units_text(c, "paragraph")
    assert len(got) == len(c.para_doc) == 43
    assert got == _paragraphs_by_retokenising(c)


@pytest.mark.slow
@pytest.mark.realdata
def test_units_text_equals_retokenising_on_policy_sv(tmp_path):
    folder = SHARED_CORPORA_DIR / "policy-sv"
    if not folder.exists():
        pytest.skip(f"{folder} is absent")
    c = corpus_prepare(folder, cache_dir=tmp_path)
    assert units_text(c, "paragraph") == _paragraphs_by_retokenising(c)


def test_labels_terms_table_and_doc_shares():
    tw = np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]])
    assert topics_label(tw, ["skola", "elev", "bostad"], 2) == [
        "T01 skola · elev",
        "T02 bostad · skola",
    ]

    class M:
        k, topic_word = 2, tw
        doc_topic = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])

    tab = topics_terms_table(M, ["skola", "elev", "bostad"], ["a", "b"], [False, True], n_top=2)
    assert tab.columns.tolist() == ["topic", "label", "unstable", "rank", "term", "weight"]
    assert tab["term"].tolist() == ["skola", "elev", "bostad", "skola"]

    class F:
        # units 0 and 1 belong to doc 0 with 1 and 3 modelled tokens; unit 2 to doc 2.
        X = sp.csr_matrix(np.array([[1], [3], [2]]))
        unit_doc = np.array([0, 0, 2])

    sh = topics_doc_shares(M, F, 3)
    # doc 0: (1 * [1, 0] + 3 * [0, 1]) / 4 = [0.25, 0.75]; doc 1 has no unit -> NaN
    assert sh[0].tolist() == [0.25, 0.75] and np.isnan(sh[1]).all() and sh[2].tolist() == [0.5, 0.5]


def test_corpus_adequacy_says_too_small():
    f = topics_features(corpus_from_texts(TEXTS), "paragraph", 1, 1.0)
    verdict = corpus_adequacy(f)
    assert verdict.descriptive_only and verdict.name == "the modelled corpus"
    assert verdict.shortfalls[0] == "4 paragraphs < 200"
    why = adequacy_sentence(f, verdict)
    assert "too small" in why and "4 paragraphs < 200" in why
    assert not corpus_adequacy(f, min_units=1, min_terms=1, min_tokens=1).descriptive_only


# --- prevalence ----------------------------------------------------------------------


def test_topics_prevalence_matches_direct_resampling():
    shares = np.array([[0.9, 0.1], [0.7, 0.3], [0.2, 0.8], [0.4, 0.6], [0.5, 0.5]])
    meta = pd.DataFrame(
        {
            "actor": ["Borås Stad", "Borås Stad", "Region", "Länsstyrelsen", "Länsstyrelsen"],
            "actor_level": "local",
            "year": pd.array([None] * 5, dtype="Int64"),
        }
    )
    p = topics_prevalence(shares, meta, n_boot=300, seed=9, ci_level=0.9)
    # mean of topic 1 over 5 documents: (0.9 + 0.7 + 0.2 + 0.4 + 0.5) / 5 = 0.54
    assert p["share_mean"].tolist() == pytest.approx([0.54, 0.46])
    # Independent computation: the same multinomial draws over the actors (sorted by
    # name), each replicate's documents concatenated actor by actor.
    names = sorted(set(meta["actor"]))
    w = np.random.default_rng(9).multinomial(3, [1 / 3] * 3, size=300)
    boot = np.array(
        [
            np.concatenate(
                [shares[meta["actor"] == names[j]] for j in range(3) for _ in range(row[j])]
            ).mean(axis=0)
            for row in w
        ]
    )
    assert p["ci_low"].to_numpy() == pytest.approx(np.percentile(boot, 5, axis=0))
    assert p["ci_high"].to_numpy() == pytest.approx(np.percentile(boot, 95, axis=0))


def test_topics_prevalence_one_actor_gives_no_interval():
    # One actor: resampling it says nothing about actors, so no interval (issue 10 item 4).
    meta = pd.DataFrame({"actor": ["A", "A"], "actor_level": "local", "year": 2020})
    p = topics_prevalence(np.array([[0.9, 0.1], [0.7, 0.3]]), meta, n_boot=50, seed=1)
    assert p["ci_low"].isna().all() and p["ci_high"].isna().all()
    assert p["share_mean"].tolist() == pytest.approx([0.8, 0.2] * 2)


def test_topics_prevalence_groups():
    shares = np.array([[0.9, 0.1], [0.7, 0.3], [0.2, 0.8], [np.nan, np.nan]])
    meta = pd.DataFrame(
        {
            "actor": ["Borås Stad", "Skövde", "Regionen", "Borås Stad"],
            "actor_level": ["local", "local", "regional", "local"],
            "year": pd.array([2019, 2019, pd.NA, 2020], dtype="Int64"),
        }
    )
    p = topics_prevalence(shares, meta, n_boot=100, seed=1)
    loc = p[(p.grouping == "actor_level") & (p.group == "local")]
    # local: docs 0 and 1 (doc 3 has no modelled text); topic 1 mean (0.9 + 0.7) / 2 = 0.8
    assert loc["n_docs"].tolist() == [2, 2] and loc["n_actors"].tolist() == [2, 2]
    assert loc["share_mean"].tolist() == pytest.approx([0.8, 0.2])
    # year: only 2019 (doc 2 has no year, doc 3 no modelled text)
    assert p[p.grouping == "year"]["group"].unique().tolist() == ["2019"]


# --- term families merged into features (ordbruk.terms.families) ------------------------


def test_families_file_error_is_not_hidden(monkeypatch):
    # The families were once imported under try/except and a failure silently gave plain
    # lemmas; a broken family file now stops with its own message.
    def missing(*a, **k):
        raise OrdbrukError("resources/term_families.yaml: parameter file not found")

    monkeypatch.setattr(term_families, "families_resolve", missing)
    with pytest.raises(OrdbrukError, match="term_families.yaml"):
        families_lemma_map(corpus_from_texts(TEXTS))


def test_families_merge_compounds_into_one_feature(monkeypatch):
    fam = term_families.family_from_spec("segregation", None)
    monkeypatch.setattr(term_families, "families_resolve", lambda *a, **k: [fam])
    c = corpus_from_texts(
        ["Segregationen minskar.\n\nBostadssegregation och segregation i kommunen."]
    )
    mapping, note = families_lemma_map(c)
    # lemmas: segregationen -> segregation; bostadssegregation stays (a compound member)
    assert mapping == {"segregation": "segregation", "bostadssegregation": "segregation"}
    assert note.startswith("2 lemmas of 1 term families")
    f = topics_features(c, "paragraph", 1, 1.0, family_of=mapping)
    # paragraph 1: segregation x1; paragraph 2: bostadssegregation + segregation = 2
    col = f.terms.index("fam:segregation")
    assert f.X[:, col].toarray().ravel().tolist() == [1, 2]
    assert "segregation" not in f.terms


def test_prevalence_standardised_removes_a_change_of_genre_mix():
    from ordbruk.topics.prevalence import prevalence_standardised

    # topic 1 is 0.8 of event documents and 0.2 of press documents, in every year;
    # 2010 is 90 % events, 2011 10 %: the raw mean moves, the standardised one does not.
    shares, rows = [], []
    for year, n_event in ((2010, 9), (2011, 1)):
        for i in range(10):
            event = i < n_event
            shares.append([0.8, 0.2] if event else [0.2, 0.8])
            rows.append({"year": year, "doc_type": "event" if event else "press"})
    out = prevalence_standardised(np.array(shares), pd.DataFrame(rows), "doc_type")
    t1 = out[out["topic"] == 1].set_index("year")
    assert t1.loc[2010, "share_mean"] == pytest.approx(0.74)
    assert t1.loc[2011, "share_mean"] == pytest.approx(0.26)
    assert t1["share_standardised"].tolist() == pytest.approx([0.5, 0.5])
    assert t1.loc[2010, "mix_distance"] == pytest.approx(0.4) and not t1["mix_far"].any()
