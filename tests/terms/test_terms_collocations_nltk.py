"""Collocation measures checked against nltk's association measures (an independent
implementation that needs no nltk data).

With one window slot per hit (span = 1) our 2x2 table is nltk's bigram contingency
table: O, f(node) - O, f(collocate) - O, N - f(node) - f(collocate) + O. nltk adds a
tiny epsilon (1e-20) inside its logarithms and square roots, hence the tolerances.
"""

import math

import numpy as np
import pytest
from nltk.metrics.association import BigramAssocMeasures as M

from ordbruk.terms.collocations import collocation_scores

CASES = [
    # (O, f_node, f_collocate, N): hand-picked, incl. O = f_node and a rare collocate
    (10, 50, 40, 10_000),
    (3, 120, 7, 25_000),
    (25, 25, 300, 100_000),
    (1, 2, 2, 1_000),
    (40, 900, 1_500, 1_640_000),
]


@pytest.mark.parametrize("o, fn, fc, n", CASES)
def test_measures_agree_with_nltk(o, fn, fc, n):
    ours = collocation_scores(np.array([o]), fn, np.array([fc]), n, span=1).iloc[0]
    marginals = (o, (fn, fc), n)
    assert ours["mi"] == pytest.approx(M.pmi(*marginals), rel=1e-9)
    assert ours["t_score"] == pytest.approx(M.student_t(*marginals), rel=1e-9)
    assert ours["log_dice"] == pytest.approx(14 + math.log2(M.dice(*marginals)), rel=1e-9)
    assert ours["log_likelihood"] == pytest.approx(M.likelihood_ratio(*marginals), rel=1e-6)
    assert ours["expected"] == pytest.approx(fn * fc / n, rel=1e-12)
