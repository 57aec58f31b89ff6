"""Keyness within genres on a planted confound."""

import numpy as np
import pandas as pd
from scipy import sparse

from ordbruk.rhetoric.keyness import keyness_compare, keywords_top
from ordbruk.rhetoric.strata import keyness_within_strata, keywords_consistent
from ordbruk.stats.groups import comparisons_build

TERMS = ["program", "polis", "och", "att", "det"]


def planted(seed=5):
    """local: 90 % events; national: 90 % press. 'program' belongs to events (either level),
    'polis' to national actors (either genre); the rest is shared filler."""
    rng = np.random.default_rng(seed)
    rows, labels, genres, actors = [], [], [], []
    for level, main in (("local", "event"), ("national", "press")):
        for i in range(200):
            genre = main if i % 10 else ({"event", "press"} - {main}).pop()
            p = np.array([0.02 if genre == "event" else 0.002, 0.02 if level == "national" else 0.002,
                          0.3, 0.3, 0.3])  # fmt: skip
            rows.append(rng.multinomial(400, p / p.sum()))
            labels.append(level)
            genres.append(genre)
            actors.append(f"{level}-{i % 37}")
    return sparse.csr_matrix(np.array(rows)), labels, np.array(genres, dtype=object), actors


def test_genre_word_is_key_pooled_but_not_within_genres_and_level_word_is_both():
    X, labels, genres, actors = planted()
    comps = comparisons_build(labels)
    tokens = np.asarray(X.sum(axis=1)).ravel()
    pooled = keywords_top(keyness_compare(X, TERMS, comps, min_freq=5), n=5, log_ratio_min=1.0)
    assert set(pooled[pooled["passes"]]["term"]) >= {"program", "polis"}
    meta = pd.DataFrame({"actor": actors, "n_tokens": tokens, "doc_type": genres})
    within, sizes = keyness_within_strata(
        X, TERMS, comps, meta, "doc_type", min_docs=10, min_actors=5, min_tokens=2000
    )
    assert set(sizes["stratum"]) == {"event", "press"} and not sizes["descriptive_only"].any()
    verdict = keywords_consistent(pooled, within).set_index("term")
    assert verdict.loc["polis", "consistent"] == True  # noqa: E712
    assert verdict.loc["polis", "n_strata_key"] == verdict.loc["polis", "n_strata_tested"] == 2
    assert verdict.loc["program", "consistent"] == False  # noqa: E712
    # Fightin' Words inside each genre agrees: polis leans national (z < 0: group_b) in both
    polis = within[within["term"] == "polis"]
    assert len(polis) == 2 and (polis["fw_z"] < -1.96).all()


def test_small_strata_are_not_compared_and_untestable_terms_are_na():
    X, labels, genres, actors = planted()
    comps = comparisons_build(labels)
    tokens = np.asarray(X.sum(axis=1)).ravel()
    meta = pd.DataFrame({"actor": actors, "n_tokens": tokens, "doc_type": genres})
    within, sizes = keyness_within_strata(X, TERMS, comps, meta, "doc_type", min_tokens=10**7)
    assert keyness_within_strata(X, TERMS, comps, meta, "")[0].empty
    assert sizes["descriptive_only"].all() and within.empty
    top = pd.DataFrame({"group_a": ["local"], "group_b": ["national"], "term": ["polis"],
                        "direction": ["national"]})  # fmt: skip
    out = keywords_consistent(top, within)
    assert out.loc[0, "n_strata_tested"] == 0 and pd.isna(out.loc[0, "consistent"])


def test_consistency_is_the_last_condition_of_passing():
    top = pd.DataFrame({"group_a": ["a"] * 3, "group_b": ["b"] * 3, "term": ["x", "y", "z"],
                        "direction": ["a", "a", "a"], "passes": [True, True, True]})  # fmt: skip
    within = pd.DataFrame({"stratum": ["s", "s"], "group_a": ["a", "a"], "group_b": ["b", "b"],
                           "term": ["x", "y"], "p_adj_bh": [0.01, 0.01], "log_ratio": [2.0, -2.0],
                           "g2": [10.0, -10.0]})  # fmt: skip
    out = keywords_consistent(top, within).set_index("term")
    assert out["passes"].to_dict() == {"x": True, "y": False, "z": True}  # z: not testable
    out = keywords_consistent(top, within, confounded=True).set_index("term")
    assert out["passes"].to_dict() == {"x": True, "y": False, "z": False}
    # key in one genre, merely not significant (same direction) in a small one: consistent
    weak = pd.concat([within, within.iloc[[0]].assign(stratum="t", p_adj_bh=0.6)])
    assert keywords_consistent(top, weak).set_index("term").loc["x", "consistent"] == True  # noqa: E712
