"""Method notes and prose of the corpus-overview notebook, built from computed values.

Each table and figure of ``01_corpus_overview`` carries a note saying what was counted and
how. The notes live here, beside the functions that compute the tables, so that a change of
method and its description are made in one place; every number in them is passed in, never
retyped.
"""

from __future__ import annotations

import pandas as pd

from ordbruk.escape import md_escape, md_format
from ordbruk.numbers import count_format, count_noun, share_format
from ordbruk.text.cleaning import LOG_LINE_MAX, LOG_WINDOW
from ordbruk.text.repair import CONTENT_MIN_WORDS

# result name -> (title, note); both are format strings over the computed values.
_NOTES = {
    "documents_by_level": (
        "Documents, actors and tokens per actor level",
        "Counts after validation and cleaning. `n_tokens` counts word and number tokens "
        "(punctuation excluded) of the cleaned text; `share_of_tokens` is the level's "
        "share of all tokens (a fraction in the CSV, a percentage here).",
    ),
    "documents_by_actor": (
        "Documents and tokens per actor",
        "One row per actor (the publisher named in the metadata), with its level. "
        "A level represented by one or two actors describes those actors, not the level.",
    ),
    "documents_by_year": (
        "Documents per year and actor level",
        "Year from the `date` metadata field, whatever its precision (day, month or year).",
    ),
    "documents_by_year_figure": (
        "Documents per year, by actor level",
        "Bars stack the documents of each level in each year; a year without documents is a "
        "gap; {n_undated} undated document(s) are not shown (they are in the tables).",
    ),
    "documents": (
        "Documents: size and readability",
        "`n_tokens`: word and number tokens after cleaning; `n_words`: tokens with a letter; "
        "`n_sentences`: sentences as split by the tokeniser (a heading or list line without "
        "a full stop counts as one sentence; abbreviations such as *bl.a.* do not end one); "
        "`n_long_words`: words of more than six letters. "
        "LIX = words / sentences + 100 × long words / words (Björnsson 1968): under 30 very "
        "easy, 40 normal news text, over 50 difficult, over 60 bureaucratic. "
        "`{sentence_length_col}` = words / sentences.",
    ),
    "tokens_per_document": (
        "Tokens per document, by actor level",
        "Each dot is one document (jittered up and down, translucent where there are many), "
        "on a log axis, since lengths are skewed; the box shows the quartiles and the median "
        "(orange), the whiskers reach 1.5 × the interquartile range.",
    ),
    "readability_by_level": (
        "LIX and sentence length per actor level",
        "`lix_pooled` treats the level's documents as one text (long documents weigh more); "
        "`lix_doc_mean`, `lix_doc_min` and `lix_doc_max` summarise the per-document values "
        "(each document weighs the same). With few documents per level these are "
        "descriptions of those documents, not estimates for the level.",
    ),
    "lix_by_level": (
        "LIX per document, by actor level",
        "Each dot is one document (jittered up and down, translucent where there are many); "
        "the box shows the quartiles and the median (orange), the whiskers reach 1.5 × the "
        "interquartile range. Shading marks the LIX reading guide: 40 normal news text, "
        "50 difficult, 60 bureaucratic.",
    ),
    "cleaning_summary": (
        "Cleaning actions per rule",
        "`removed`: whole lines of page furniture (navigation, share buttons, contact "
        "blocks, publisher blurbs, lines repeated across documents of one actor); "
        "`redacted`: phone numbers, e-mail addresses and personal identity numbers replaced "
        "by a placeholder; `repaired`: a line changed in place (`word_conditional`: MS-Word "
        "conditional comments; `markup_remnant`: other markup and character references; "
        "`hyphen_join`: a word broken at a line end rejoined when the joined form is in "
        "simplemma's Swedish dictionary), one item per change; `kept`: a line repeated across "
        "documents of one actor that was kept because it carries content "
        f"(`repeated_line_content`: a question, or {CONTENT_MIN_WORDS} or more words with a "
        'finite verb and "jag"). `n_docs`: documents with at least one action of the rule.',
    ),
    "cleaning_log": (
        "Cleaning log",
        "One row per removed line, redaction, repair or kept repeated line: `line` is the "
        "line number in the original file. `text` is, for a redaction, the placeholder with "
        f"at most {LOG_WINDOW} characters of its line either side; for a rejoined word, the "
        f"word with at most {LOG_WINDOW} characters either side; for any other row, the line, "
        f'cut at {LOG_LINE_MAX} characters ("…" marks a cut). Every cell is redacted: the '
        "phone numbers, e-mail addresses and personal identity numbers that redaction finds "
        "(README, *Personal data*) appear only as placeholders, in the text and in the "
        "doc_ids (metadata values are redacted the same way). What is left is what the removed lines say: the lines of a removed "
        "contact block name its contact persons, so this log holds names and roles of "
        "persons; names are not detected or redacted anywhere.",
    ),
    "lemma_joins": (
        "Lemmas that join different words",
        "Audit of the lemmatiser (simplemma, then `resources/lemma_corrections_sv.txt`): "
        "every lemma with at least two frequent forms (each at least {lemma_min_count} "
        "tokens) whose merge is doubtful, one row per frequent form with its tokens and "
        "share of the lemma's tokens. Doubtful means either *function and content forms* "
        "(some frequent forms are on the stop list, some are not: a function word and a "
        "content word share the lemma) or *forms of another stem* (a frequent form does not "
        "begin with the lemma's first three letters, so the merge rests on simplemma's "
        "table alone). Lemmas whose frequent forms are all stop words are left out. "
        "{n_lemmas} lemmas listed. A wrong merge is fixed by a line in the "
        "corrections file, which changes the cache key.",
    ),
    "excerpts": (
        "The start of each cleaned text",
        "The first {excerpt_chars} characters of each document after cleaning and "
        "redaction, line breaks folded. Text is shown as data, escaped.",
    ),
}


def overview_result(kind: str, **values) -> dict[str, str]:
    """Return the title and method note of one table or figure of the overview.

    Args:
        kind: the result (a key of the templates, e.g. "documents"); a figure shown beside
            a table of the same name is "<name>_figure".
        **values: the computed values its template names (``n_undated``, ``excerpt_chars``,
            ``sentence_length_col``).

    Returns:
        ``{"title": ..., "notes": ...}``, the keyword arguments of ``Recorder.table`` and
        ``Recorder.figure``.
    """
    title, notes = _NOTES[kind]
    return {"title": title.format(**values), "notes": md_format(notes, **values)}


def _year_span(docs: pd.DataFrame) -> str:
    years = docs["year"].dropna()
    if not len(years):
        return "n/a–n/a"
    return f"{int(years.min())}–{int(years.max())}"


def corpus_prose(docs: pd.DataFrame, by_level: pd.DataFrame) -> str:
    """Return the report's opening sentence: documents, actors, tokens, dates and levels.

    Args:
        docs: ``documents_table``.
        by_level: ``documents_count(docs, ["actor_level"])``.

    Returns:
        Markdown.
    """
    n_tokens = int(docs["n_tokens"].sum())
    levels = ", ".join(
        f"{md_escape(r.actor_level)} {count_format(r.n_docs)} documents"
        for r in by_level.itertuples()
    )
    return (
        f"The corpus has **{count_format(len(docs))} documents** from "
        f"**{count_format(docs['actor'].nunique())} actors** with **{count_format(n_tokens)} "
        f"tokens** after cleaning, dated {_year_span(docs)}. "
        f"Levels: {levels}."
    )


def corpus_summary(docs: pd.DataFrame) -> str:
    """Return the one-line summary of the overview for the index page."""
    n_tokens = int(docs["n_tokens"].sum())
    return (
        f"{count_format(len(docs))} documents, {count_format(docs['actor'].nunique())} actors, "
        f"{count_format(n_tokens)} tokens"
    )


def cleaning_prose(log: pd.DataFrame) -> str:
    """Return the sentence on what cleaning removed and redacted, from the cleaning log."""
    n_removed = int((log["action"] == "removed").sum()) if len(log) else 0
    n_redacted = int((log["action"] == "redacted").sum()) if len(log) else 0
    n_repaired = int((log["action"] == "repaired").sum()) if len(log) else 0
    n_kept = int((log["action"] == "kept").sum()) if len(log) else 0
    return (
        f"Cleaning removed **{n_removed:,} lines** and made **{n_redacted:,} redactions** "
        "of personal contact data in the text that was kept (contact lines removed whole are "
        f"redacted in the log as well); it made **{n_repaired:,} repairs** inside lines "
        "(markup remnants removed, words broken at a line end rejoined) and kept "
        f"**{n_kept:,} repeated lines** that carry content. Every action is listed in `tables/cleaning_log.csv`; "
        "each rule can be switched off in the parameters (`cleaning.disabled_rules`)."
    )


def corpus_results(
    docs: pd.DataFrame, by_level: pd.DataFrame, log: pd.DataFrame
) -> tuple[str, list[tuple[str, str, bool]]]:
    """Return the index summary and the key results of the overview, from computed values.

    Args:
        docs: ``documents_table``.
        by_level: ``documents_count(docs, ["actor_level"])`` (``share_of_tokens``: 0-1).
        log: the cleaning log (``action``: removed, redacted, ...).

    Returns:
        ``corpus_summary`` and ``(text, ref, warning)`` key results: size and dates, the
        levels, the largest actor's share (a warning above half the tokens), cleaning.
    """
    n_tokens = int(docs["n_tokens"].sum())
    keys = [(
        f"{count_format(len(docs))} documents from {count_format(docs['actor'].nunique())} "
        f"actors, {count_format(n_tokens)} tokens after cleaning, dated {_year_span(docs)}.",
        "documents_by_level", False,
    )]  # fmt: skip
    levels = "; ".join(
        f"{md_escape(r.actor_level)}: {count_noun(r.n_docs, 'document')}, "
        f"{count_noun(r.n_actors, 'actor')}, {share_format(r.share_of_tokens)} of tokens"
        for r in by_level.itertuples()
    )
    keys.append((f"By level: {levels}.", "documents_by_level", False))
    if n_tokens and len(docs):
        actor_tokens = docs.fillna({"actor": "(no actor)"}).groupby("actor")["n_tokens"].sum()
        share = float(actor_tokens.max()) / n_tokens
        keys.append((
            f"The largest actor, {md_escape(actor_tokens.idxmax())}, has "
            f"{share_format(share)} of all tokens"
            + ("; results by level may describe this actor more than its level." if share > 0.5 else "."),
            "documents_by_actor", share > 0.5,
        ))  # fmt: skip
    counts = log["action"].value_counts() if len(log) else pd.Series(dtype=int)
    keys.append((
        f"Cleaning removed {count_noun(int(counts.get('removed', 0)), 'line')} and made "
        f"{count_noun(int(counts.get('redacted', 0)), 'redaction')} of contact data.",
        "cleaning_summary", False,
    ))  # fmt: skip
    return corpus_summary(docs), keys
