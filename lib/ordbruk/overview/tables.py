"""The corpus overview: what is in the corpus, what cleaning removed, how readable it is.

Functions behind ``notebooks/01_corpus_overview``: a table of documents with their sizes
and LIX readability, counts of documents by actor, level and year, tokens per document,
a summary of the cleaning log per rule, readability per group, and short excerpts of
cleaned text. Each returns a tidy DataFrame; the ``*_plot`` functions return matplotlib
figures for ``report.Recorder.figure``.
"""

from __future__ import annotations

import numpy as np
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
    n_docs = corpus.n_docs
    forms = corpus.lower[corpus.tokens]
    # One rule for "long" everywhere: readability.word_is_long, once per distinct form.
    is_long = np.fromiter(map(readability.word_is_long, corpus.forms), bool, len(corpus.forms))
    long_form = corpus.form_is_word & is_long
    doc_of = np.repeat(np.arange(n_docs), np.diff(corpus.doc_starts))
    n_long = np.bincount(doc_of[long_form[forms]], minlength=n_docs)
    out = meta[["doc_id", "actor", "actor_level", "date", "year"]].copy()
    for col in ("n_tokens", "n_words", "n_sentences", "n_paragraphs"):
        out[col] = meta[col].to_numpy()
    out["n_long_words"] = n_long.astype(np.int64)
    out["lix"] = [
        readability.lix(w, s, lw)
        for w, s, lw in zip(out["n_words"], out["n_sentences"], out["n_long_words"], strict=True)
    ]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["sentence_length_mean"] = out["n_words"] / out["n_sentences"].replace(0, np.nan)
    out["lix_band"] = out["lix"].map(lix_band)
    return out


def documents_count(docs: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Count documents and tokens per combination of the ``by`` columns.

    Args:
        docs: the table from ``documents_table``.
        by: grouping columns, e.g. ``["actor_level", "year"]``.

    Returns:
        Columns ``by`` + n_docs, n_actors, n_tokens, share_of_tokens (percent).
    """
    grouped = docs.groupby(by, dropna=False, sort=True)
    out = grouped.agg(
        n_docs=("doc_id", "size"), n_actors=("actor", "nunique"), n_tokens=("n_tokens", "sum")
    ).reset_index()
    total = out["n_tokens"].sum()
    out["share_of_tokens"] = 100 * out["n_tokens"] / total if total else 0.0
    return out


def readability_by_group(docs: pd.DataFrame, by: str = "actor_level") -> pd.DataFrame:
    """Summarise LIX and sentence length per group, pooled and as a mean of documents.

    Pooled LIX treats the group's documents as one text (sum of words, sentences and long
    words), so long documents weigh more; ``lix_doc_mean`` weighs documents equally.

    Returns:
        Columns by, n_docs, n_words, lix_pooled, lix_doc_mean, lix_doc_min, lix_doc_max,
        sentence_length_mean.
    """
    rows = []
    for group, g in docs.groupby(by, dropna=False, sort=True):
        words, sents, longw = (int(g[c].sum()) for c in ("n_words", "n_sentences", "n_long_words"))
        rows.append(
            {
                by: group,
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
        Columns rule, action, n_items, n_docs, share_of_docs (percent).
    """
    cols = ["rule", "action", "n_items", "n_docs", "share_of_docs"]
    if log is None or log.empty:
        return pd.DataFrame(columns=cols)
    out = (
        log.groupby(["rule", "action"], sort=True)
        .agg(n_items=("doc_id", "size"), n_docs=("doc_id", "nunique"))
        .reset_index()
    )
    out["share_of_docs"] = 100 * out["n_docs"] / max(len(docs), 1)
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


def documents_plot(counts: pd.DataFrame, x: str = "year", hue: str = "actor_level"):
    """Stacked bars of documents per ``x`` coloured by ``hue``; returns the figure."""
    import matplotlib.pyplot as plt

    wide = counts.pivot_table(index=x, columns=hue, values="n_docs", aggfunc="sum", fill_value=0)
    fig, ax = plt.subplots(figsize=(6.5, 3.2))
    bottom = np.zeros(len(wide))
    labels = [str(i) for i in wide.index]
    for col in wide.columns:
        ax.bar(labels, wide[col].to_numpy(), bottom=bottom, label=str(col))
        bottom += wide[col].to_numpy()
    ax.set_xlabel(x.replace("_", " "))
    ax.set_ylabel("documents")
    # Above the axes, so the legend never hides a bar.
    ax.legend(
        title=hue.replace("_", " "),
        frameon=False,
        ncols=min(4, len(wide.columns)),
        loc="lower left",
        bbox_to_anchor=(0, 1.02),
        alignment="left",
    )
    if len(labels) > 12:
        ax.tick_params(axis="x", labelrotation=90)
    ax.yaxis.get_major_locator().set_params(integer=True)
    return fig


def tokens_plot(docs: pd.DataFrame, by: str = "actor_level"):
    """Tokens per document by group: one dot per document over a box; returns the figure."""
    import matplotlib.pyplot as plt

    groups = sorted(docs[by].astype(str).unique())
    fig, ax = plt.subplots(figsize=(6.5, 0.6 + 0.5 * max(len(groups), 2)))
    data = [docs.loc[docs[by].astype(str) == g, "n_tokens"].to_numpy() for g in groups]
    ax.boxplot(data, orientation="horizontal", widths=0.5, showfliers=False)
    for i, values in enumerate(data, start=1):
        jitter = np.linspace(-0.12, 0.12, len(values)) if len(values) > 1 else np.zeros(1)
        ax.plot(values, i + jitter, "o", ms=4, alpha=0.7)
    ax.set_yticks(range(1, len(groups) + 1), groups)
    ax.set_xlabel("tokens per document (after cleaning)")
    return fig


def lix_plot(docs: pd.DataFrame, by: str = "actor_level"):
    """LIX per document by group with the reading-guide bands shaded; returns the figure."""
    import matplotlib.pyplot as plt

    groups = sorted(docs[by].astype(str).unique())
    fig, ax = plt.subplots(figsize=(6.5, 0.6 + 0.5 * max(len(groups), 2)))
    for x0, x1, shade in ((0, 40, 0.0), (40, 50, 0.06), (50, 60, 0.12), (60, 100, 0.18)):
        ax.axvspan(x0, x1, color="black", alpha=shade, lw=0)
    for i, g in enumerate(groups, start=1):
        values = docs.loc[docs[by].astype(str) == g, "lix"].dropna().to_numpy()
        ax.plot(values, np.full(len(values), i), "o", ms=5, alpha=0.8)
    ax.set_yticks(range(1, len(groups) + 1), groups)
    ax.set_ylim(0.4, len(groups) + 0.6)
    finite = docs["lix"].dropna()
    ax.set_xlim(
        min(20, finite.min() - 5) if len(finite) else 20,
        max(80, finite.max() + 5) if len(finite) else 80,
    )
    ax.set_xlabel("LIX (shading: 40 normal, 50 difficult, 60 bureaucratic)")
    return fig
