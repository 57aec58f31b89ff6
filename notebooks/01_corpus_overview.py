# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Corpus overview
#
# **Question.** What is in the corpus: which actors at which level of government, from
# which years, how long are the texts, how readable, and what did cleaning remove?
#
# **Data.** The corpus named in the parameters (default: the five seed texts in
# `data/seeds/`), validated, cleaned of scraped page furniture, with personal contact
# data redacted.
#
# **Method.** Counts of documents and tokens by actor, level and year; LIX readability
# (Björnsson 1968) and mean sentence length per document and per level; the cleaning log
# summarised per rule; a short excerpt of every cleaned text.

# %%
from ordbruk.overview import plots as overview_plots
from ordbruk.overview import tables as overview
from ordbruk.report.recorder import Recorder, figure_style
from ordbruk.text.cache import corpus_open

# %% tags=["parameters"]
corpus_path: str = "data/seeds"  # folder, .jsonl(.gz) or .csv; relative to the repository root
cache_dir: str = ""  # "": .cache/ordbruk in the repository
output_dir: str = "outputs/interactive"  # where tables/ and figures/ are written
seed: int = 20261122  # not used here: nothing in this notebook is random
validation: dict = {}  # params `validation`: allowed_levels, encoding_fallback
cleaning: dict = {}  # params `cleaning`: rules, repeated lines, redaction
notebook_name: str = "01_corpus_overview"  # names this notebook's record in the run folder
cache_key: str = ""  # set by `ordbruk run`: open that prepared corpus; "": prepare here
excerpt_chars: int = 400  # characters of cleaned text shown per document

# %%
figure_style()
rec = Recorder(output_dir, notebook_name)
corpus = corpus_open(corpus_path, cache_dir, cache_key, validation, cleaning)
rec.corpus_note(corpus)
docs = overview.documents_table(corpus)
by_level = overview.documents_count(docs, ["actor_level"])
n_docs, n_tokens, n_actors = len(docs), int(docs["n_tokens"].sum()), docs["actor"].nunique()
years = docs["year"].dropna()

# %%
rec.prose(
    f"The corpus has **{n_docs:,} documents** from **{n_actors:,} actors** with "
    f"**{n_tokens:,} tokens** after cleaning, dated "
    f"{int(years.min()) if len(years) else 'n/a'}–{int(years.max()) if len(years) else 'n/a'}. "
    f"Levels: "
    + ", ".join(f"{r.actor_level} {r.n_docs} documents" for r in by_level.itertuples())
    + "."
)
rec.summary_set(f"{n_docs:,} documents, {n_actors:,} actors, {n_tokens:,} tokens")

# %% [markdown]
# ## Documents by actor, level and year

# %%
rec.table(
    by_level,
    "documents_by_level",
    "Documents, actors and tokens per actor level",
    "Counts after validation and cleaning. `n_tokens` counts word and number tokens "
    "(punctuation excluded) of the cleaned text; `share_of_tokens` is the level's "
    "percentage of all tokens.",
)
rec.table(
    overview.documents_count(docs, ["actor_level", "actor"]),
    "documents_by_actor",
    "Documents and tokens per actor",
    "One row per actor (the publisher named in the metadata), with its level. "
    "A level represented by one or two actors describes those actors, not the level.",
)
by_year = overview.documents_count(docs, ["year", "actor_level"])
rec.table(
    by_year,
    "documents_by_year",
    "Documents per year and actor level",
    "Year from the `date` metadata field, whatever its precision (day, month or year).",
)
n_undated = int(docs["year"].isna().sum())
rec.figure(
    overview_plots.documents_plot(by_year, "year", "actor_level"),
    "documents_by_year",
    "Documents per year, by actor level",
    "Bars stack the documents of each level in each year. Years without documents are "
    f"absent; {n_undated} undated document(s) are not shown (they are in the tables).",
)

# %% [markdown]
# ## Length and readability

# %%
rec.table(
    docs.drop(columns=["lix_band"]),
    "documents",
    "Documents: size and readability",
    "`n_tokens`: word and number tokens after cleaning; `n_words`: tokens with a letter; "
    "`n_sentences`: sentences as split by the tokeniser (a heading or list line without "
    "a full stop counts as one sentence; abbreviations such as *bl.a.* do not end one); "
    "`n_long_words`: words of more than six letters. "
    "LIX = words / sentences + 100 × long words / words (Björnsson 1968): under 30 very "
    "easy, 40 normal news text, over 50 difficult, over 60 bureaucratic. "
    "`sentence_length_mean` = words / sentences.",
    show=None if n_docs <= 50 else 20,
)
rec.figure(
    overview_plots.tokens_plot(docs, "actor_level"),
    "tokens_per_document",
    "Tokens per document, by actor level",
    "Each dot is one document; boxes show quartiles where a level has enough documents.",
)
rec.table(
    overview.readability_by_group(docs, "actor_level"),
    "readability_by_level",
    "LIX and sentence length per actor level",
    "`lix_pooled` treats the level's documents as one text (long documents weigh more); "
    "`lix_doc_mean`, `lix_doc_min` and `lix_doc_max` summarise the per-document values "
    "(each document weighs the same). With few documents per level these are "
    "descriptions of those documents, not estimates for the level.",
)
rec.figure(
    overview_plots.lix_plot(docs, "actor_level"),
    "lix_by_level",
    "LIX per document, by actor level",
    "Each dot is one document. Shading marks the LIX reading guide: 40 normal news text, "
    "50 difficult, 60 bureaucratic.",
)

# %% [markdown]
# ## What cleaning removed

# %%
log = corpus.cleaning_log
cleaned = overview.cleaning_summary(log, docs)
n_removed = int((log["action"] == "removed").sum()) if len(log) else 0
n_redacted = int((log["action"] == "redacted").sum()) if len(log) else 0
rec.prose(
    f"Cleaning removed **{n_removed:,} lines** and made **{n_redacted:,} redactions** "
    "of personal contact data in the text that was kept (contact lines removed whole are "
    "redacted in the log as well). Every action is listed in `tables/cleaning_log.csv`; "
    "each rule can be switched off in the parameters (`cleaning.disabled_rules`)."
)
rec.table(
    cleaned,
    "cleaning_summary",
    "Cleaning actions per rule",
    "`removed`: whole lines of page furniture (navigation, share buttons, contact "
    "blocks, publisher blurbs, lines repeated across documents of one actor); "
    "`redacted`: phone numbers, e-mail addresses and personal identity numbers replaced "
    "by a placeholder. `n_docs`: documents with at least one action of the rule.",
    show=None,
)
rec.table(
    log,
    "cleaning_log",
    "Cleaning log",
    "One row per removed line or redaction: `line` is the line number in the original "
    "file; `text` is the removed line (itself redacted) or the redacted form. Personal "
    "data never appears in this log.",
)

# %% [markdown]
# ## Excerpts of the cleaned texts

# %%
rec.table(
    overview.excerpts_make(corpus, excerpt_chars),
    "excerpts",
    "The start of each cleaned text",
    f"The first {excerpt_chars} characters of each document after cleaning and "
    "redaction, line breaks folded. Text is shown as data, escaped.",
    show=None if n_docs <= 50 else 20,
)

# %% [markdown]
# ---
# Provenance: the run folder's `provenance.json` records the git commit, package
# versions, parameters, the sha256 of every input file and the cache key of the
# processed corpus used here.
