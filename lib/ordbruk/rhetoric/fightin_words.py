"""Fightin' Words: distinctive words of two groups as log-odds with an informative prior.

Monroe, Colaresi and Quinn (2008), as defined in METHODS.md: for every term, the
difference of the log-odds of its use in the target group T and the reference group R,
each smoothed by an informative Dirichlet prior, divided by its estimated standard
deviation (a z score). The prior is proportional to the term's count in the whole corpus
(``prior_from_counts``) or to its frequency in general Swedish (``prior_from_wordfreq``,
the ``wordfreq`` package); its total ``alpha_0`` sets how strongly rare words are
shrunk. Comparisons come from ``ordbruk.stats.groups.comparisons_build``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from ordbruk.errors import ParameterError
from ordbruk.stats.groups import group_counts


def prior_from_counts(counts, prior_size: float) -> np.ndarray:
    """Build an informative Dirichlet prior proportional to background counts.

    Args:
        counts: background count of each term (e.g. the whole corpus).
        prior_size: ``alpha_0``, the sum of the prior counts.

    Returns:
        ``alpha_w`` per term; terms with a zero background count get the smallest
        positive share so that every ``alpha_w`` is positive.
    """
    counts = np.asarray(counts, dtype=float)
    if prior_size <= 0:
        raise ParameterError(f"fw_prior_size: must be positive, got {prior_size}")
    if counts.size == 0:
        return counts
    pos = counts[counts > 0]
    floor = pos.min() if pos.size else 1.0
    share = np.where(counts > 0, counts, floor * 0.5)
    return prior_size * share / share.sum()


def prior_from_wordfreq(terms, prior_size: float, lang: str = "sv") -> np.ndarray:
    """Build an informative prior from general word frequencies (the ``wordfreq`` package).

    Args:
        terms: lowercased term strings.
        prior_size: ``alpha_0``.
        lang: wordfreq language code.

    Returns:
        ``alpha_w`` per term; a term unknown to wordfreq gets half of the smallest
        frequency in its list, so rare local words are not impossible under the prior.
    """
    import wordfreq  # imported here: loading the table takes a quarter of a second

    table = wordfreq.get_frequency_dict(lang)
    floor = min(table.values()) * 0.5
    freq = np.array([table.get(str(t).lower(), floor) for t in terms], dtype=float)
    return prior_from_counts(freq, prior_size)


def fightin_words(y_t, y_r, alpha) -> pd.DataFrame:
    """Compute Fightin' Words log-odds with an informative Dirichlet prior (Monroe et al. 2008).

    Args:
        y_t: counts of each term in T.
        y_r: counts of each term in R.
        alpha: prior count ``alpha_w`` of each term.

    Returns:
        DataFrame with columns delta, var, z (one row per term, input order).
    """
    y_t, y_r, alpha = (np.asarray(x, dtype=float) for x in (y_t, y_r, alpha))
    n_t, n_r, a0 = y_t.sum(), y_r.sum(), alpha.sum()
    delta = np.log((y_t + alpha) / (n_t + a0 - y_t - alpha)) - np.log(
        (y_r + alpha) / (n_r + a0 - y_r - alpha)
    )
    var = 1.0 / (y_t + alpha) + 1.0 / (y_r + alpha)
    return pd.DataFrame({"delta": delta, "var": var, "z": delta / np.sqrt(var)})


def fightin_words_compare(
    dtm, terms, comparisons, prior: str = "corpus", prior_size: float = 1000.0, min_freq: int = 1
) -> pd.DataFrame:
    """Run Fightin' Words for every comparison, with one prior for all of them.

    Args:
        dtm: documents x terms counts.
        terms: term strings.
        comparisons: from ``comparisons_build``.
        prior: "corpus" (term shares in the whole ``dtm``) or "wordfreq" (general Swedish).
        prior_size: ``alpha_0``.
        min_freq: keep terms with ``a + b >= min_freq`` in the output (the model is
            fitted on the whole vocabulary).

    Returns:
        Long table: group_a, group_b, term, a, b, c, d, prior, delta, var, z, sorted by z
        within each comparison; the counts as in keyness: a, b = the term in group_a and
        group_b, c, d = their total tokens.
    """
    dtm = sparse.csr_matrix(dtm)
    if prior == "corpus":
        alpha = prior_from_counts(np.asarray(dtm.sum(axis=0)).ravel(), prior_size)
    elif prior == "wordfreq":
        alpha = prior_from_wordfreq(terms, prior_size)
    else:
        raise ParameterError(f"fw_prior: must be 'corpus' or 'wordfreq', got {prior!r}")
    terms = np.asarray(terms, dtype=object)
    frames = []
    for comp in comparisons:
        y_t = group_counts(dtm, comp.docs_a)
        y_r = group_counts(dtm, comp.docs_b)
        fw = fightin_words(y_t, y_r, alpha)
        df = pd.DataFrame(
            {
                "group_a": comp.group_a,
                "group_b": comp.group_b,
                "term": terms,
                "a": y_t,
                "b": y_r,
                "c": int(y_t.sum()),
                "d": int(y_r.sum()),
                "prior": alpha,
            }
        )
        df = pd.concat([df, fw], axis=1)
        df = df[(y_t + y_r) >= max(int(min_freq), 1)]
        frames.append(df.sort_values(["z", "term"], ascending=[False, True]))
    return pd.concat(frames, ignore_index=True)
