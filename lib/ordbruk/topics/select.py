"""Choosing the number of topics and checking that topics are stable across seeds.

- ``topics_grid`` fits one model per k on a training share of the units and reports mean
  NPMI and UMass coherence on the whole modelled corpus (``ordbruk.topics.coherence``) and, for
  LDA, held-out perplexity on the remaining units.
- ``k_choose`` picks the k with the highest mean NPMI (ties to the smaller k) unless k is
  fixed by a parameter, and says why in words for the report.
- ``topics_stability`` follows Greene, O'Callaghan and Cunningham (2014): the chosen k is
  refitted with several seeds; each run's topics are matched one-to-one to the reference
  run's (the Hungarian algorithm, ``scipy.optimize.linear_sum_assignment``, maximising
  the Jaccard similarity of top-N word sets); a topic's stability is the mean matched
  similarity over the other runs. Topics under a threshold are flagged unstable.
- ``corpus_adequacy`` applies the adequacy policy of ``ordbruk.stats.groups`` to the
  modelled corpus: below its size thresholds a topic model is reported as descriptive only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment

from ordbruk.errors import ParameterError
from ordbruk.stats import groups
from ordbruk.stats.actors import rng_make
from ordbruk.topics.coherence import coherence_npmi, coherence_umass, top_ids_from_weights
from ordbruk.topics.models import topics_fit

#: Below any of these a topic model is too small to interpret (see corpus_adequacy).
TOPICS_MIN_UNITS = 200
TOPICS_MIN_TERMS = 300
TOPICS_MIN_TOKENS = groups.MIN_TOKENS  # 20,000, the same size as for group comparisons


def units_split(n_units: int, test_share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Split unit indices at random into (train, test), at least one unit in each.

    Args:
        n_units: number of units.
        test_share: share of units held out, in (0, 0.5].
        seed: the study seed (``ordbruk.stats.actors.rng_make``).

    Returns:
        Sorted train and test index arrays.
    """
    if not 0 < test_share <= 0.5:
        raise ParameterError(f"test_share must be in (0, 0.5], got {test_share}")
    if n_units < 2:
        raise ParameterError("at least 2 units are needed to hold some out")
    n_test = min(max(1, round(test_share * n_units)), n_units - 1)
    perm = rng_make(seed).permutation(n_units)
    return np.sort(perm[n_test:]), np.sort(perm[:n_test])


def topics_grid(
    X, k_grid, method="lda", seed=0, test_share=0.1, n_top=10, epsilon=1e-12, **fit_kw
) -> pd.DataFrame:
    """Fit a model per k and score it: coherence on all units, perplexity on held-out units.

    Args:
        X: units x terms counts (the modelled corpus).
        k_grid: the k values to try.
        method: "lda" or "nmf" (perplexity is NaN for NMF).
        seed: seed of the split and of every fit.
        test_share: share of units held out for perplexity.
        n_top: top words per topic for coherence.
        epsilon: NPMI epsilon.
        **fit_kw: passed to ``topics_fit`` (max_iter, learning_method, ...).

    Returns:
        DataFrame: k, npmi_mean, npmi_min, umass_mean, perplexity_heldout, n_train_units,
        n_test_units, n_top; one row per feasible k (values too large are skipped).
    """
    X = sp.csr_matrix(X)
    train, test = units_split(X.shape[0], test_share, seed)
    rows = []
    # A k needs fewer topics than training units and terms; larger values are skipped.
    k_max = min(len(train), X.shape[1]) - 1
    ks = sorted({int(k) for k in k_grid if 2 <= int(k) <= k_max})
    if not ks:
        raise ParameterError(f"no k in k_grid {list(k_grid)} fits this corpus (2 <= k <= {k_max})")
    for k in ks:
        m = topics_fit(X[train], k, method=method, seed=seed, **fit_kw)
        top = top_ids_from_weights(m.topic_word, n_top)
        npmi = coherence_npmi(X, top, epsilon=epsilon)
        umass = coherence_umass(X, top)
        perp = m.estimator.perplexity(X[test]) if method == "lda" else np.nan
        rows.append(
            (
                k,
                npmi.mean(),
                npmi.min(),
                np.nanmean(umass),
                perp,
                len(train),
                len(test),
                top.shape[1],
            )
        )
    cols = [
        "k",
        "npmi_mean",
        "npmi_min",
        "umass_mean",
        "perplexity_heldout",
        "n_train_units",
        "n_test_units",
        "n_top",
    ]
    return pd.DataFrame(rows, columns=cols)


def k_choose(grid: pd.DataFrame, k_fixed: int | None = None) -> tuple[int, str]:
    """Pick k: the parameter if given, else the highest mean NPMI (ties: smaller k).

    Args:
        grid: output of ``topics_grid``.
        k_fixed: a k set by the user, or None.

    Returns:
        (k, reason) where reason is one sentence for the report.
    """
    if k_fixed is not None:
        return int(k_fixed), f"k = {int(k_fixed)} was fixed by the parameter `k`."
    if grid.empty:
        raise ParameterError("k_grid is empty; give at least one k")
    best = grid.sort_values(["npmi_mean", "k"], ascending=[False, True]).iloc[0]
    k = int(best["k"])
    return k, (
        f"k = {k} has the highest mean NPMI coherence ({best['npmi_mean']:.3f}) in the grid "
        f"{', '.join(str(int(v)) for v in grid['k'])}. Held-out perplexity is shown for "
        "reference, not used to choose: it agrees poorly with human judgements of topic "
        "quality (Chang et al. 2009)."
    )


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


def topics_stability(models, n_top: int = 10, threshold: float = 0.5) -> pd.DataFrame:
    """Score each topic of the reference run (``models[0]``) by its matches in the others.

    Args:
        models: TopicModel list fitted on the same matrix with the same k, different seeds.
        n_top: top words per topic for the Jaccard similarity.
        threshold: topics with mean matched Jaccard below this are flagged unstable.

    Returns:
        DataFrame per reference topic: topic, stability_jaccard (mean over other runs),
        jaccard_min, cosine_mean (matched topic-word vectors), n_runs, unstable.
    """
    if len(models) < 2:
        raise ParameterError("stability needs n_seeds >= 2")
    ref = models[0]
    top_ref = top_ids_from_weights(ref.topic_word, n_top)
    jac, cos = [], []
    for m in models[1:]:
        sim = top_sets_jaccard(top_ref, top_ids_from_weights(m.topic_word, n_top))
        col, matched = topics_match(sim)
        jac.append(matched)
        cos.append(np.diag(_cosine(ref.topic_word, m.topic_word[col])))
    jac, cos = np.array(jac), np.array(cos)
    out = pd.DataFrame(
        {
            "topic": np.arange(1, ref.k + 1),
            "stability_jaccard": jac.mean(axis=0),
            "jaccard_min": jac.min(axis=0),
            "cosine_mean": cos.mean(axis=0),
            "n_runs": len(models),
        }
    )
    out["unstable"] = out["stability_jaccard"] < threshold
    return out


def seeds_derive(seed: int, n: int) -> list[int]:
    """Return n fit seeds derived from the study seed: seed, seed + 1, ... (documented)."""
    return [int(seed) + i for i in range(int(n))]


def corpus_adequacy(
    features,
    min_units: int = TOPICS_MIN_UNITS,
    min_terms: int = TOPICS_MIN_TERMS,
    min_tokens: int = TOPICS_MIN_TOKENS,
) -> groups.Adequacy:
    """Judge whether the modelled corpus is large enough for interpretable topics.

    The rule is the one adequacy policy (``ordbruk.stats.groups.adequacy_check``) with
    the topic model's own sizes and thresholds: units, feature terms and modelled
    tokens. The defaults (200 units, 300 terms, 20,000 tokens) are a conservative rule
    of thumb, not a statistical test: below them co-occurrence counts are too sparse for
    coherent, reproducible topics.

    Args:
        features: the ``Features`` modelled.
        min_units: fewer units (documents or paragraphs) -> descriptive only.
        min_terms: fewer feature terms -> descriptive only.
        min_tokens: fewer modelled tokens -> descriptive only.

    Returns:
        The verdict, named "the modelled corpus", with sizes n_units, n_terms, n_tokens
        and one shortfall per size below its threshold (e.g. "4 paragraphs < 200").
    """
    sizes = {
        "n_units": features.X.shape[0],
        "n_terms": features.X.shape[1],
        "n_tokens": int(features.X.sum()),
    }
    minimum = {"n_units": min_units, "n_terms": min_terms, "n_tokens": min_tokens}
    words = {"n_units": f"{features.unit}s", "n_terms": "feature terms"}
    words["n_tokens"] = "modelled tokens"
    return groups.adequacy_check("the modelled corpus", sizes, minimum, words)
