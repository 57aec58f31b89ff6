"""The corpus overview: what is in the corpus, what cleaning removed, how readable it is.

Functions behind ``notebooks/01_corpus_overview``: a table of documents with their sizes
and LIX readability, counts of documents by actor, level and year, tokens per document,
a summary of the cleaning log per rule, readability per group, and short excerpts of
cleaned text. Each returns a tidy DataFrame; the figures are in ``ordbruk.overview.plots``.
"""

from __future__ import annotations

import pandas as pd

from ordbruk.stats import readability
from ordbruk.text.corpus import Corpus

#: LIX reading guide for Swedish (Björnsson 1968; ../shared/METHODS.md).
LIX_BANDS = ((30, "very easy"), (40, "easy"), (50, "normal (news)"), (60, "difficult"))


def lix_band(value: float) -> str:
    """Return the LIX reading-guide band of a value ("very easy" ... "bureaucratic")."""
    if value != value:  # NaN: a document without words
        return "no text"
    for upper, label in LIX_BANDS:
        if value < upper:
            return label
    return "very difficult (bureaucratic)"


def documents_table(corpus: Corpus) -> pd.DataFrame:
    """Return one row per document: metadata, sizes, LIX and mean sentence length.

    Words are tokens with a letter; long words have more than six letters (LIX);
    sentences are the tokeniser's sentences (a heading line counts as one).

    Args:
        corpus: a prepared corpus.

    Returns:
        Columns doc_id, actor, actor_level, date, year, n_tokens, n_words, n_sentences,
        n_paragraphs, n_long_words, lix, sentence_length_mean, lix_band.
    """
    meta = corpus.meta
    # The one computation of readability, shared with the rhetorical markers.
    rd = readability.readability_documents(corpus, diversity=False)
    out = meta[["doc_id", "actor", "actor_level", "date", "year"]].copy()
    for col in ("n_tokens", "n_words", "n_sentences", "n_paragraphs"):
        out[col] = meta[col].to_numpy()
    for col in ("n_long_words", "lix", "sentence_length_mean"):
        out[col] = rd[col].to_numpy()
    out["lix_band"] = out["lix"].map(lix_band)
    return out


def documents_count(docs: pd.DataFrame, group_by: list[str]) -> pd.DataFrame:
    """Count documents and tokens per combination of the ``group_by`` columns.

    Args:
        docs: the table from ``documents_table``.
        group_by: grouping columns, e.g. ``["actor_level", "year"]``.

    Returns:
        Columns ``group_by`` + n_docs, n_actors, n_tokens, share_of_tokens (a fraction 0-1;
        reports show it as a percentage, ``numbers.share_format``); with ``actor`` among
        ``group_by`` the actors with the most documents (then tokens) first.
    """
    grouped = docs.groupby(group_by, dropna=False, sort=True)
    out = grouped.agg(
        n_docs=("doc_id", "size"), n_actors=("actor", "nunique"), n_tokens=("n_tokens", "sum")
    ).reset_index()
    total = out["n_tokens"].sum()
    out["share_of_tokens"] = out["n_tokens"] / total if total else 0.0
    if "actor" in group_by:  # per actor: the largest actors first, not A-Z
        out = out.sort_values(["n_docs", "n_tokens"], ascending=False, kind="stable")
    return out.reset_index(drop=True)


def readability_by_group(docs: pd.DataFrame, group_by: str = "actor_level") -> pd.DataFrame:
    """Summarise LIX and sentence length per group, pooled and as a mean of documents.

    Pooled LIX treats the group's documents as one text (sum of words, sentences and long
    words), so long documents weigh more; ``lix_doc_mean`` weighs documents equally.

    Returns:
        Columns group_by, n_docs, n_words, lix_pooled, lix_doc_mean, lix_doc_min, lix_doc_max,
        sentence_length_mean.
    """
    rows = []
    for group, g in docs.groupby(group_by, dropna=False, sort=True):
        words, sents, longw = (int(g[c].sum()) for c in ("n_words", "n_sentences", "n_long_words"))
        rows.append(
            {
                group_by: group,
                "n_docs": len(g),
                "n_words": words,
                "lix_pooled": readability.lix(words, sents, longw),
                "lix_doc_mean": g["lix"].mean(),
                "lix_doc_min": g["lix"].min(),
                "lix_doc_max": g["lix"].max(),
                "sentence_length_mean": words / sents if sents else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def cleaning_summary(log: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """Count cleaning actions per rule: lines removed or items redacted, in how many docs.

    Args:
        log: the corpus cleaning log (doc_id, line, rule, action, text).
        docs: the documents table (for the number of documents).

    Returns:
        Columns rule, action, n_items, n_docs, share_of_docs (a fraction 0-1, shown as a
        percentage).
    """
    cols = ["rule", "action", "n_items", "n_docs", "share_of_docs"]
    if log is None or log.empty:
        return pd.DataFrame(columns=cols)
    out = (
        log.groupby(["rule", "action"], sort=True)
        .agg(n_items=("doc_id", "size"), n_docs=("doc_id", "nunique"))
        .reset_index()
    )
    out["share_of_docs"] = out["n_docs"] / max(len(docs), 1)
    return out.sort_values(["action", "n_items", "rule"], ascending=[True, False, True])[cols]


def excerpts_make(corpus: Corpus, n_chars: int = 400) -> pd.DataFrame:
    """Return the first ``n_chars`` characters of each cleaned (and redacted) text.

    The excerpt is cut at a word boundary and marked with "…" when shortened.
    """
    rows = []
    for doc_id, text in zip(corpus.meta["doc_id"], corpus.texts, strict=True):
        flat = " ".join(text.split())
        if len(flat) > n_chars:
            cut = flat[:n_chars]
            flat = (cut.rsplit(" ", 1)[0] if " " in cut else cut) + " …"
        rows.append({"doc_id": doc_id, "excerpt": flat})
    return pd.DataFrame(rows)
