"""Topic models: features, fitting (LDA or NMF from scikit-learn), topic tables.

A topic model here is fitted on a unit-term matrix: the units are documents or
paragraphs of the processed corpus (``ordbruk.text.corpus.Corpus``), the features
(``topics.features``) lemmas with stop words removed and terms filtered by document
frequency, optionally with each term family collapsed into one feature. Every fit takes
an explicit seed and runs single-threaded, so the same seed gives the same topics.
Choosing k and stability live in ``topics.select``, prevalence by group in
``topics.prevalence``, figures in ``topics.plots``. Example texts are cut from the
cleaned text by the tokens' character offsets (``Corpus.unit_text``).

Conventions: topics are numbered from 1 in tables; ``topic_word`` rows and ``doc_topic``
rows are probability vectors (NMF weights are rescaled to sum to one, which makes them
shares of a unit's modelled weight rather than probabilities).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ordbruk.errors import ParameterError
from ordbruk.topics.features import Features

METHODS = ("lda", "nmf")


@dataclass
class TopicModel:
    """One fitted model.

    Attributes:
        method: "lda" or "nmf".
        k: number of topics.
        seed: the random_state used.
        topic_word: k x terms, rows sum to 1.
        doc_topic: units x k, rows sum to 1.
        estimator: the fitted scikit-learn estimator (for perplexity / transform).
    """

    method: str
    k: int
    seed: int
    topic_word: np.ndarray
    doc_topic: np.ndarray
    estimator: object


def _rows_normalise(A: np.ndarray) -> np.ndarray:
    s = A.sum(axis=1, keepdims=True)
    # A unit with no modelled weight (NMF can give all-zero rows) gets a uniform share.
    return np.where(s > 0, A / np.where(s > 0, s, 1), 1.0 / A.shape[1])


def topics_fit(
    X,
    k: int,
    method: str = "lda",
    seed: int = 0,
    max_iter: int = 20,
    learning_method: str = "batch",
    batch_size: int = 512,
    mean_change_tol: float = 1e-3,
    max_doc_update_iter: int = 100,
) -> TopicModel:
    """Fit one topic model with a fixed seed, single-threaded (deterministic).

    LDA: scikit-learn's variational Bayes with the default symmetric priors 1/k, fitted
    on raw counts. NMF: on tf-idf weights (l2-normalised rows), Frobenius loss, random
    initialisation from the seed so that different seeds give genuinely different
    starts (the SVD-based inits would make every seed identical and stability vacuous).

    Args:
        X: units x terms counts.
        k: number of topics (>= 2, < number of units and terms).
        method: "lda" or "nmf".
        seed: random_state.
        max_iter: EM iterations (LDA) or coordinate-descent iterations (NMF).
        learning_method: LDA only, "batch" or "online".
        batch_size: LDA online mini-batch size.
        mean_change_tol: LDA E-step stops for a unit when its topic shares change less
            than this (scikit-learn default 1e-3; 1e-2 roughly halves the time of a pass
            on large corpora).
        max_doc_update_iter: LDA E-step iteration cap per unit (default 100).

    Returns:
        TopicModel.
    """
    # Imported here: scikit-learn takes about a second to import, and the tables and
    # examples of this module do not need it.
    from sklearn.decomposition import NMF, LatentDirichletAllocation
    from sklearn.feature_extraction.text import TfidfTransformer

    if method not in METHODS:
        raise ParameterError(f"method must be one of {METHODS}, got {method!r}")
    X = sp.csr_matrix(X)
    if not 2 <= k <= min(X.shape) - 1:
        raise ParameterError(f"k={k} needs 2 <= k < min(units, terms) = {min(X.shape)}")
    if method == "lda":
        est = LatentDirichletAllocation(
            n_components=k,
            learning_method=learning_method,
            max_iter=max_iter,
            batch_size=batch_size,
            mean_change_tol=mean_change_tol,
            max_doc_update_iter=max_doc_update_iter,
            random_state=int(seed),
            n_jobs=1,
        )
        theta = est.fit_transform(X)
    else:
        est = NMF(
            n_components=k, init="random", max_iter=max(max_iter, 200), random_state=int(seed)
        )
        theta = est.fit_transform(TfidfTransformer().fit_transform(X))
    return TopicModel(
        method=method,
        k=int(k),
        seed=int(seed),
        topic_word=_rows_normalise(est.components_),
        doc_topic=_rows_normalise(theta),
        estimator=est,
    )


def topics_label(topic_word: np.ndarray, terms: list[str], n_words: int = 3) -> list[str]:
    """Return a short label per topic: its number and top words, e.g. "T01 skola · elev".

    Args:
        topic_word: k x terms weights.
        terms: column names.
        n_words: top words in the label.

    Returns:
        One label per topic.
    """
    order = np.argsort(-topic_word, axis=1, kind="stable")[:, :n_words]
    return [f"T{i + 1:02d} " + " · ".join(terms[j] for j in row) for i, row in enumerate(order)]


def topics_terms_table(model: TopicModel, terms: list[str], labels, unstable, n_top: int = 10):
    """Return the top words of every topic: topic, label, unstable, rank, term, weight.

    ``weight`` is the term's probability in the topic (LDA) or its share of the topic's
    normalised NMF weight.
    """
    order = np.argsort(-model.topic_word, axis=1, kind="stable")[:, :n_top]
    rows = [
        (t + 1, labels[t], bool(unstable[t]), r + 1, terms[j], float(model.topic_word[t, j]))
        for t in range(model.k)
        for r, j in enumerate(order[t])
    ]
    return pd.DataFrame(rows, columns=["topic", "label", "unstable", "rank", "term", "weight"])


def units_text(corpus, unit: str) -> list[str]:
    """Return the cleaned, redacted text of every unit of ``corpus.units(unit)``.

    A paragraph's text is the blank-line-separated block of the cleaned text that holds
    its tokens (``Corpus.unit_text``), cut by the tokens' character offsets.
    """
    if unit == "document":
        return list(corpus.texts)
    return [corpus.unit_text(unit, i) for i in range(len(corpus.units(unit)[1]))]


def topics_examples(model, features: Features, corpus, labels, unstable, n: int = 3, max_chars=300):
    """Return each topic's most representative units (highest share of the topic).

    Ties go to the longer unit (more modelled tokens). Text is cleaned and redacted
    corpus text, cut to ``max_chars``; escape it before placing it in HTML.

    Returns:
        DataFrame: topic, label, unstable, rank, doc_id, unit_no (1-based within the
        document), share, n_feature_tokens, text.
    """
    udoc = corpus.units(features.unit)[1]
    first_of_doc = np.searchsorted(udoc, np.arange(len(corpus.texts)))
    length = np.asarray(features.X.sum(axis=1)).ravel()
    doc_ids = corpus.meta["doc_id"].astype(str).to_numpy()
    rows = []
    for t in range(model.k):
        order = np.lexsort((-length, -model.doc_topic[:, t]))[:n]
        for r, i in enumerate(order):
            u = int(features.unit_index[i])
            d = int(features.unit_doc[i])
            text = corpus.unit_text(features.unit, u)
            if len(text) > max_chars:
                text = text[: max_chars - 1].rstrip() + "…"
            rows.append(
                (
                    t + 1,
                    labels[t],
                    bool(unstable[t]),
                    r + 1,
                    doc_ids[d],
                    u - int(first_of_doc[d]) + 1,
                    float(model.doc_topic[i, t]),
                    int(length[i]),
                    text,
                )
            )
    cols = [
        "topic",
        "label",
        "unstable",
        "rank",
        "doc_id",
        "unit_no",
        "share",
        "n_feature_tokens",
        "text",
    ]
    return pd.DataFrame(rows, columns=cols)


def topics_doc_shares(model: TopicModel, features: Features, n_docs: int) -> np.ndarray:
    """Aggregate unit shares to documents, weighting units by their modelled tokens.

    Returns:
        n_docs x k array; documents with no modelled unit are NaN.
    """
    w = np.asarray(features.X.sum(axis=1)).ravel().astype(float)
    agg = np.zeros((n_docs, model.k))
    np.add.at(agg, features.unit_doc, model.doc_topic * w[:, None])
    tot = np.bincount(features.unit_doc, weights=w, minlength=n_docs)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(tot[:, None] > 0, agg / tot[:, None], np.nan)


def doc_topics_table(shares: np.ndarray, meta: pd.DataFrame, labels, unstable) -> pd.DataFrame:
    """Return document-topic shares in long form: doc_id, actor, actor_level, year, topic, ...

    Documents without modelled units are left out.
    """
    k = shares.shape[1]
    ok = np.flatnonzero(~np.isnan(shares).any(axis=1))
    base = meta.iloc[ok].reset_index(drop=True)
    cols = [c for c in ("doc_id", "actor", "actor_level", "year") if c in base.columns]
    out = base.loc[base.index.repeat(k), cols].reset_index(drop=True)
    out["topic"] = np.tile(np.arange(1, k + 1), len(ok))
    out["label"] = np.tile(np.asarray(labels, dtype=object), len(ok))
    out["unstable"] = np.tile(np.asarray(unstable, dtype=bool), len(ok))
    out["share"] = shares[ok].ravel()
    return out
