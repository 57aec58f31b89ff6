"""Tables of a fitted topic model: labels, top terms, representative units, document shares.

Example texts are cut from the cleaned text by the tokens' character offsets
(``Corpus.unit_text``). Every table names topics by number (from 1) and label and carries
each topic's ``unstable`` flag and its ``stability`` (``topics_tables``), so no row loses
them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ordbruk.topics.features import Features
from ordbruk.topics.models import TopicModel
from ordbruk.topics.stability import stability_attach


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


@dataclass
class TopicTables:
    """The reported model's labels and tables, each with ``stability`` beside ``label``."""

    labels: list
    unstable: np.ndarray
    terms: pd.DataFrame
    examples: pd.DataFrame
    doc_shares: np.ndarray
    doc_topics: pd.DataFrame
    n_docs_out: int = 0  # documents without any modelled unit (no shares)
    stability: pd.DataFrame | None = None  # the stability table with ``label`` (a copy)


def topics_tables(model, features, corpus, stab, n_top=10, n_examples=3, max_chars=300):
    """Return the labels and tables of the reported model (``TopicTables``).

    Args:
        model: the reported ``TopicModel``.
        features: the ``Features`` it was fitted on.
        corpus: the corpus (for example texts and metadata).
        stab: ``topics_stability`` of the model.
        n_top: top terms per topic in the terms table.
        n_examples: representative units per topic.
        max_chars: characters of each example.
    """
    labels = topics_label(model.topic_word, features.terms)
    unstable = stab["unstable"].to_numpy()
    terms = topics_terms_table(model, features.terms, labels, unstable, n_top=n_top)
    ex = topics_examples(model, features, corpus, labels, unstable, n_examples, max_chars)
    shares = topics_doc_shares(model, features, corpus.n_docs)
    doc = doc_topics_table(shares, corpus.meta, labels, unstable)
    return TopicTables(
        labels, unstable, stability_attach(terms, stab), stability_attach(ex, stab), shares,
        stability_attach(doc, stab), int(np.isnan(shares).any(axis=1).sum()),
        stab.assign(label=labels)[["topic", "label"] + [c for c in stab if c != "topic"]],
    )  # fmt: skip
