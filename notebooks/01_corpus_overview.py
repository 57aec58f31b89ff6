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
from ordbruk.overview import notes
from ordbruk.overview import plots as overview_plots
from ordbruk.overview import tables as overview
from ordbruk.overview.lemmas import lemma_joins
from ordbruk.report.recorder import Recorder, figure_style
from ordbruk.stats.design import design_show
from ordbruk.text.cache import corpus_open

# %% tags=["parameters"]
corpus_path: str = "data/seeds"  # folder, .jsonl(.gz) or .csv; relative to the repository root
cache_dir: str = ""  # "": .cache/ordbruk in the repository
output_dir: str = "outputs/interactive"  # where tables/ and figures/ are written
seed: int = 20261122  # not used here: nothing in this notebook is random
validation: dict = {}  # params `validation`: allowed_levels, encoding_fallback
cleaning: dict = {}  # params `cleaning`: rules, repeated lines, redaction
subset: dict = {}  # params `subset`: which documents to analyse (keep, drop, date, min_words)
strata: str = ""  # params `strata`: column of genres for the design table ("": doc_type or genre)
notebook_name: str = "01_corpus_overview"  # names this notebook's record in the run folder
cache_key: str = ""  # set by `ordbruk run`: open that prepared corpus; "": prepare here
engine: str = ""  # params `engine`: where the shards are counted ("": local)
excerpt_chars: int = 400  # characters of cleaned text shown per document
lemma_min_count: int = 20  # tokens a form needs to count in "lemmas that join different words"

# %%
figure_style()
rec = Recorder(output_dir, notebook_name)
corpus = corpus_open(corpus_path, cache_dir, cache_key, validation, cleaning, subset, engine)
rec.corpus_note(corpus)
design_show(rec, corpus.meta, "actor_level", strata, standing=False)
docs = overview.documents_table(corpus)
by_level = overview.documents_count(docs, ["actor_level"])
by_year = overview.documents_count(docs, ["year", "actor_level"])
n_docs = len(docs)
show_docs = None if n_docs <= 50 else 20

# %%
rec.prose(notes.corpus_prose(docs, by_level))
rec.summary_set(*notes.corpus_results(docs, by_level, corpus.cleaning_log))

# %% [markdown]
# ## Documents by actor, level and year

# %%
rec.table(by_level, "documents_by_level", **notes.overview_result("documents_by_level"))
by_actor = overview.documents_count(docs, ["actor_level", "actor"])
rec.table(by_actor, "documents_by_actor", **notes.overview_result("documents_by_actor"))
rec.table(by_year, "documents_by_year", **notes.overview_result("documents_by_year"))
n_undated = int(docs["year"].isna().sum())
rec.figure(
    overview_plots.documents_plot(by_year, "year", "actor_level"),
    "documents_by_year",
    **notes.overview_result("documents_by_year_figure", n_undated=n_undated),
)

# %% [markdown]
# ## Length and readability

# %%
doc_note = notes.overview_result("documents", sentence_length_col="sentence_length_mean")
rec.table(docs.drop(columns=["lix_band"]), "documents", **doc_note, show=show_docs)
rec.figure(
    overview_plots.tokens_plot(docs, "actor_level"),
    "tokens_per_document",
    **notes.overview_result("tokens_per_document"),
)
rec.table(
    overview.readability_by_group(docs, "actor_level"),
    "readability_by_level",
    **notes.overview_result("readability_by_level"),
)
rec.figure(
    overview_plots.lix_plot(docs, "actor_level"),
    "lix_by_level",
    **notes.overview_result("lix_by_level"),
)

# %% [markdown]
# ## What cleaning removed

# %%
log = corpus.cleaning_log
rec.prose(notes.cleaning_prose(log))
cleaned = overview.cleaning_summary(log, docs)
rec.table(cleaned, "cleaning_summary", **notes.overview_result("cleaning_summary"), show=None)
rec.table(log, "cleaning_log", **notes.overview_result("cleaning_log"))

# %% [markdown]
# ## Lemmas that join different words

# %%
joins = lemma_joins(corpus, lemma_min_count)
n_joins = joins["lemma"].nunique()
kw = dict(lemma_min_count=lemma_min_count, n_lemmas=n_joins)
rec.table(joins, "lemma_joins", **notes.overview_result("lemma_joins", **kw), show=40)

# %% [markdown]
# ## Excerpts of the cleaned texts

# %%
rec.table(
    overview.excerpts_make(corpus, excerpt_chars),
    "excerpts",
    **notes.overview_result("excerpts", excerpt_chars=excerpt_chars),
    show=show_docs,
)

# %% [markdown]
# ---
# Provenance: the run folder's `provenance.json` records the git commit, package
# versions, parameters, the sha256 of every input file and the cache key of the
# processed corpus used here.
