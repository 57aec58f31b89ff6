import itertools
import math

import numpy as np
import pytest
import scipy.sparse as sp

from ordbruk.errors import OrdbrukError
from ordbruk.topics.coherence import (
    NPMI_EPSILON,
    coherence_npmi,
    coherence_umass,
    top_ids_from_weights,
)

# Four units (documents or paragraphs) of a toy Swedish corpus.
UNITS = [
    "skola elev skola",  # counts > 1 must not matter: co-occurrence is binary
    "skola elev lärare",
    "skola bostad",
    "bostad hyra",
]
TERMS = ["skola", "elev", "lärare", "bostad", "hyra"]


def _matrix(units=UNITS, terms=TERMS):
    rows = [[u.split().count(t) for t in terms] for u in units]
    return sp.csr_matrix(np.array(rows))


def test_npmi_hand_computed():
    X = _matrix()
    # D = 4 units. D(skola)=3, D(elev)=2, D(lärare)=1, D(bostad)=2, D(hyra)=1.
    # Topic A = skola, elev, lärare:
    #   (skola, elev):   P=2/4, P(s)P(e)=0.75*0.5=0.375 -> ln(0.5/0.375)/-ln(0.5)
    #                    = 0.287682/0.693147 = 0.415037
    #   (skola, lärare): P=1/4, 0.75*0.25=0.1875 -> ln(4/3)/ln(4) = 0.287682/1.386294 = 0.207519
    #   (elev, lärare):  P=1/4, 0.5*0.25=0.125 -> ln(2)/ln(4) = 0.5
    #   mean = (0.415037 + 0.207519 + 0.5) / 3 = 0.374185
    # Topic B = bostad, hyra, elev:
    #   (bostad, hyra):  P=1/4, 0.5*0.25=0.125 -> 0.5
    #   (bostad, elev):  never together: ln(eps/0.25)/-ln(eps) = -1 + ln(4)/-ln(eps)
    #                    = -1 + 1.386294/27.631021 = -0.949828
    #   (hyra, elev):    never together: -1 + ln(8)/27.631021 = -0.924743
    #   mean = (0.5 - 0.949828 - 0.924743) / 3 = -0.458190
    top = np.array([[0, 1, 2], [3, 4, 1]])
    got = coherence_npmi(X, top)
    assert got[0] == pytest.approx(0.374185, abs=1e-6)
    assert got[1] == pytest.approx(-0.458190, abs=1e-6)
    assert -math.log(NPMI_EPSILON) == pytest.approx(27.631021, abs=1e-6)


def test_umass_hand_computed():
    X = _matrix()
    # Topic A ranked skola > elev > lärare; pair term ln((D(wi,wj)+1)/D(wi)), wi ranked higher:
    #   (skola, elev)   ln(3/3) = 0
    #   (skola, lärare) ln(2/3) = -0.405465
    #   (elev, lärare)  ln(2/2) = 0          mean = -0.135155
    # Topic B ranked bostad > hyra > elev:
    #   (bostad, hyra)  ln(2/2) = 0
    #   (bostad, elev)  ln(1/2) = -0.693147
    #   (hyra, elev)    ln(1/1) = 0          mean = -0.231049
    got = coherence_umass(X, np.array([[0, 1, 2], [3, 4, 1]]))
    assert got == pytest.approx([-0.135155, -0.231049], abs=1e-6)


def test_umass_depends_on_rank_order():
    X = _matrix()
    # lärare > skola: ln((1+1)/D(lärare)=1) = ln 2, unlike ln(2/3) the other way round.
    assert coherence_umass(X, np.array([[2, 0]]))[0] == pytest.approx(math.log(2))
    assert coherence_umass(X, np.array([[0, 2]]))[0] == pytest.approx(math.log(2 / 3))


def _npmi_loop(X, top, eps=NPMI_EPSILON):
    # Independent, unvectorised computation straight from the METHODS.md formula.
    B = (np.asarray(X.todense()) > 0).astype(int)
    n = B.shape[0]
    out = []
    for words in top:
        vals = []
        for i, j in itertools.combinations(words, 2):
            pij = (B[:, i] & B[:, j]).sum() / n
            pi, pj = B[:, i].sum() / n, B[:, j].sum() / n
            vals.append(math.log((pij + eps) / (pi * pj)) / -math.log(pij + eps))
        out.append(sum(vals) / len(vals))
    return np.array(out)


def test_npmi_matches_loop_on_random_matrix():
    rng = np.random.default_rng(7)
    X = sp.csr_matrix(rng.poisson(0.4, size=(60, 30)))
    X = X[:, np.asarray(X.sum(axis=0)).ravel() > 0]
    # Rows with no co-occurrence over all units would hit 0/0; random data avoids p=1.
    top = np.array([rng.permutation(X.shape[1])[:6] for _ in range(5)])
    assert coherence_npmi(X, top) == pytest.approx(_npmi_loop(X, top), abs=1e-12)


def test_npmi_complete_cooccurrence_is_one_and_absent_word_minus_one():
    # "segregation" and "samverkan" occur in every unit: the 0/0 limit is 1.
    X = sp.csr_matrix(np.array([[1, 2, 0], [1, 1, 0], [3, 1, 0]]))
    assert coherence_npmi(X, np.array([[0, 1]]))[0] == 1.0
    # Column 2 occurs nowhere: the pair never co-occurs and scores -1.
    assert coherence_npmi(X, np.array([[0, 2]]))[0] == -1.0


def test_dense_input_and_bad_ids():
    X = _matrix()
    dense = np.asarray(X.todense())
    top = np.array([[0, 1, 2]])
    assert coherence_npmi(dense, top) == pytest.approx(coherence_npmi(X, top))
    with pytest.raises(OrdbrukError):
        coherence_npmi(X, np.array([[0, 9]]))
    with pytest.raises(OrdbrukError):
        coherence_npmi(X, np.array([[0]]))


def test_top_ids_from_weights_breaks_ties_by_index():
    w = np.array([[0.1, 0.5, 0.5, 0.2], [0.4, 0.3, 0.2, 0.1]])
    assert top_ids_from_weights(w, 3).tolist() == [[1, 2, 3], [0, 1, 2]]
    assert top_ids_from_weights(w, 10).shape == (2, 4)
