"""Stability of topics across seeds (Greene, O'Callaghan and Cunningham 2014).

The same k is fitted with several seeds; each run's topics are matched one-to-one to a
reference run's with the Hungarian algorithm (``scipy.optimize.linear_sum_assignment``,
maximising the Jaccard similarity of top-N word sets); a topic's stability is its mean
matched similarity over the other runs, and topics under a threshold are flagged
unstable. The reference (reported) run is the medoid: the run that agrees most with the
others (``runs_reference``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from ordbruk.errors import ParameterError
from ordbruk.topics.coherence import top_ids_from_weights


def top_sets_jaccard(top_a: np.ndarray, top_b: np.ndarray) -> np.ndarray:
    """Return the Jaccard similarity of every pair of top-word sets (rows of a x rows of b)."""
    vocab = int(max(top_a.max(), top_b.max())) + 1
    A = np.zeros((len(top_a), vocab))
    B = np.zeros((len(top_b), vocab))
    np.put_along_axis(A, top_a, 1.0, axis=1)
    np.put_along_axis(B, top_b, 1.0, axis=1)
    inter = A @ B.T
    union = A.sum(1)[:, None] + B.sum(1)[None, :] - inter
    return inter / union


def topics_match(sim: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Match rows to columns one-to-one maximising total similarity (Hungarian algorithm).

    Args:
        sim: rows (reference topics) x columns (other run's topics) similarity.

    Returns:
        (col_of_row, matched similarity per row).
    """
    rows, cols = linear_sum_assignment(sim, maximize=True)
    col_of_row = np.empty(sim.shape[0], dtype=np.int64)
    col_of_row[rows] = cols
    return col_of_row, sim[rows, cols][np.argsort(rows)]


def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    an = a / np.linalg.norm(a, axis=1, keepdims=True)
    bn = b / np.linalg.norm(b, axis=1, keepdims=True)
    return an @ bn.T


def runs_similarity(models, n_top: int = 10) -> np.ndarray:
    """Return the mean matched Jaccard similarity of every pair of runs (runs x runs).

    Two runs' topics are matched one-to-one (``topics_match``) on the Jaccard similarity
    of their top-``n_top`` word sets; the pair's score is the mean over matched topics.
    The diagonal is 1.
    """
    tops = [top_ids_from_weights(m.topic_word, n_top) for m in models]
    n = len(models)
    out = np.ones((n, n))
    for a in range(n):
        for b in range(a + 1, n):
            out[a, b] = out[b, a] = topics_match(top_sets_jaccard(tops[a], tops[b]))[1].mean()
    return out


def runs_reference(models, n_top: int = 10) -> int:
    """Return the index of the run that best matches the others (the medoid run).

    The reported model is the seed run whose topics agree most, on average, with every
    other run's (highest mean matched Jaccard similarity; ties to the earlier seed), so
    the report shows the most typical solution rather than the first seed's.
    """
    if len(models) < 2:
        return 0
    sim = runs_similarity(models, n_top)
    mean_other = (sim.sum(axis=1) - 1) / (len(models) - 1)
    return int(np.argmax(mean_other))


def topics_stability(models, n_top: int = 10, threshold: float = 0.5, ref: int = 0):
    """Score each topic of the reference run (``models[ref]``) by its matches in the others.

    Args:
        models: TopicModel list fitted on the same matrix with the same k, different seeds.
        n_top: top words per topic for the Jaccard similarity.
        threshold: topics with mean matched Jaccard below this are flagged unstable.
        ref: index of the reference run (``runs_reference`` picks the medoid).

    Returns:
        DataFrame per reference topic: topic, stability_jaccard (mean over other runs),
        jaccard_min, cosine_mean (matched topic-word vectors), n_runs, unstable.
    """
    if len(models) < 2:
        raise ParameterError("stability needs n_seeds >= 2")
    ref_model = models[ref]
    top_ref = top_ids_from_weights(ref_model.topic_word, n_top)
    jac, cos = [], []
    for i, m in enumerate(models):
        if i == ref:
            continue
        sim = top_sets_jaccard(top_ref, top_ids_from_weights(m.topic_word, n_top))
        col, matched = topics_match(sim)
        jac.append(matched)
        cos.append(np.diag(_cosine(ref_model.topic_word, m.topic_word[col])))
    jac, cos = np.array(jac), np.array(cos)
    out = pd.DataFrame(
        {
            "topic": np.arange(1, ref_model.k + 1),
            "stability_jaccard": jac.mean(axis=0),
            "jaccard_min": jac.min(axis=0),
            "cosine_mean": cos.mean(axis=0),
            "n_runs": len(models),
        }
    )
    out["unstable"] = out["stability_jaccard"] < threshold
    return out


def stability_attach(table: pd.DataFrame, stab: pd.DataFrame) -> pd.DataFrame:
    """Return ``table`` with each topic's ``stability`` (mean matched Jaccard) after ``label``.

    Every table that names topics carries the number beside the label, so a reader sees
    how far each topic survived a change of seed wherever it appears.
    """
    by_topic = dict(zip(stab["topic"], stab["stability_jaccard"], strict=True))
    out = table.copy()
    at = list(out.columns).index("label") + 1 if "label" in out.columns else 0
    out.insert(at, "stability", out["topic"].map(by_topic).astype(float))
    return out
