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
# # Topic model: themes, their stability, and who carries them
#
# **Question.** Which themes structure the discourse, and which actors (national,
# regional, local) and periods carry which themes?
#
# **Data.** The processed corpus (cleaned, redacted), modelled as documents or paragraphs;
# features are lemmas without stop words, filtered by how many units contain them.
#
# **Method.** LDA or NMF (scikit-learn) with fixed seeds. The number of topics k is chosen
# from a grid by NPMI coherence (UMass and held-out perplexity shown alongside); the
# chosen k is refitted with several seeds and topics matched one-to-one across runs to
# measure stability, and unstable topics are flagged everywhere. Topic prevalence by actor
# level and year comes with bootstrap intervals that resample actors. Definitions:
# METHODS.md, "Topic models".

# %%
import inspect

import numpy as np

from ordbruk.report.recorder import Recorder, figure_style
from ordbruk.stats.design import design_show
from ordbruk.text.cache import corpus_open
from ordbruk.topics import coherence
from ordbruk.topics import models as topics
from ordbruk.topics import notes as tn
from ordbruk.topics import plots as topics_plot
from ordbruk.topics import select as topics_select
from ordbruk.topics.features import families_lemma_map, topics_features
from ordbruk.topics.prevalence import prevalence_standardised, topics_prevalence

# %% tags=["parameters"]
corpus_path: str = "data/seeds"  # resolved against the repository root
cache_dir: str = ""  # "": .cache/ordbruk in the repository
output_dir: str = "outputs/interactive"  # the run folder
seed: int = 20261122  # seed of the split, every fit and the bootstrap
validation: dict = {}  # params `validation`: allowed_levels, encoding_fallback
cleaning: dict = {}  # params `cleaning`: rules, repeated lines, redaction
subset: dict = {}  # params `subset`: which documents to analyse (keep, drop, date, min_words)
strata: str = ""  # params `strata`: column of genres for the design table ("": doc_type or genre)
notebook_name: str = "04_topic_model"  # names the record file
cache_key: str = ""  # set by `ordbruk run`: open that prepared corpus; "": prepare here
unit: str = "paragraph"  # "document" or "paragraph" (short texts need paragraphs)
method: str = "lda"  # "lda" or "nmf"
k_grid: list = [2, 3, 4]  # numbers of topics to compare (keep small for small corpora)
k: int = 0  # fix k, or 0 to choose the best NPMI in k_grid
n_seeds: int = 3  # fits of the chosen k for the stability check, at least 2
drop_names: bool = True  # leave place names (resources/names_sv.txt) out of the topics
min_df: float = 2.0  # keep terms in at least this many units (a share of units if < 1)
max_df: float = 0.5  # ... and at most this share of units (a count if > 1)
merge_families: list = []  # term families (names as in 02) merged into one feature each; []: none
n_top: int = 10  # top words per topic for coherence, stability and the terms table
stability_threshold: float = 0.5  # topics with mean matched Jaccard below this are unstable
test_share: float = 0.1  # share of units held out for perplexity
max_iter: int = 50  # EM iterations per fit
learning_method: str = "batch"  # LDA: "batch" or "online"
batch_size: int = 512  # LDA online: documents per mini-batch
mean_change_tol: float = 0.001  # LDA E-step tolerance (0.01 is about twice as fast)
max_doc_update_iter: int = 100  # LDA E-step iteration cap per unit
n_boot: int = 1000  # bootstrap replicates per group
trend_min_docs: int = 1  # years with fewer documents are left out of the trend figure
n_examples: int = 3  # representative units shown per topic
example_chars: int = 300  # characters of each representative unit shown
min_units: int = 200  # fewer modelled units: the topics are descriptive only
min_terms: int = 300  # fewer feature terms: descriptive only
min_tokens: int = 20000  # fewer modelled tokens: descriptive only

# %%
fit_kw = {"max_iter": max_iter, "learning_method": learning_method, "batch_size": batch_size}
fit_kw |= {"mean_change_tol": mean_change_tol, "max_doc_update_iter": max_doc_update_iter}
seeds = topics_select.seeds_derive(seed, n_seeds)
figure_style()
rec = Recorder(output_dir, notebook_name)

# %%
corpus = corpus_open(corpus_path, cache_dir, cache_key, validation, cleaning, subset)
rec.corpus_note(corpus)
design = design_show(rec, corpus.meta, "actor_level", strata)

# %%
family_of, family_note = families_lemma_map(corpus, merge_families) if merge_families else ({}, "")
features = topics_features(corpus, unit, min_df, max_df, None, family_of, drop_names)
adequacy = topics_select.corpus_adequacy(features, min_units, min_terms, min_tokens)
rec.prose(tn.adequacy_prose(features, corpus.n_docs, adequacy))

# %% [markdown]
# ## Choosing k
#
# Coherence is computed by `ordbruk.topics.coherence` (the NPMI function is shown below).

# %% tags=["show-input"]
print(inspect.getsource(coherence.coherence_npmi))

# %%
grid = topics_select.topics_grid(
    features.X, k_grid, method, seed=seed, test_share=test_share, n_top=n_top, **fit_kw
)
k_used, why = topics_select.k_choose(grid, k or None)
grid["chosen"] = grid["k"] == k_used

# %%
n_train, n_test = int(grid["n_train_units"].iloc[0]), int(grid["n_test_units"].iloc[0])
ctx = tn.notes_context(features, adequacy, family_note, method=method, seed=seed)
ctx.update(n_top=n_top, k=k_used, why=why, n_train=n_train, n_test=n_test)
notes = tn.topics_notes("selection", ctx)
rec.table(grid, "topic_selection", "Coherence and held-out perplexity by k", notes)

# %%
fig = topics_plot.selection_plot(grid, k_used)
rec.figure(fig, "topic_selection", "Coherence and perplexity by k (dashed: chosen k)", notes)

# %% [markdown]
# ## Stability across seeds

# %%
models = [topics.topics_fit(features.X, k_used, method, s, **fit_kw) for s in seeds]
stab = topics_select.topics_stability(models, n_top=n_top, threshold=stability_threshold)
model = models[0]
labels = topics.topics_label(model.topic_word, features.terms)
unstable = stab["unstable"].to_numpy()
stab.insert(1, "label", labels)
ctx.update(n_seeds=n_seeds, seeds=", ".join(map(str, seeds)), threshold=stability_threshold)

# %%
notes = tn.topics_notes("stability", ctx)
rec.table(stab, "topic_stability", "Stability of each topic across seeds", notes, show=0)
fig = topics_plot.stability_plot(stab, labels, stability_threshold)
rec.figure(fig, "topic_stability", "Topic stability across seeds (hatched: unstable)", notes)

# %%
rec.prose(tn.stability_prose(stab, k_used, stability_threshold))
rec.summary_set(tn.topics_summary(method, k_used, bool(k), int(unstable.sum()), adequacy))

# %% [markdown]
# ## Topics

# %%
terms_tab = topics.topics_terms_table(model, features.terms, labels, unstable, n_top=n_top)
notes = tn.topics_notes("terms", ctx)
rec.table(terms_tab, "topic_terms", "Top terms of each topic", notes, show=0)

# %%
examples = topics.topics_examples(
    model, features, corpus, labels, unstable, n=n_examples, max_chars=example_chars
)
ctx.update(n_examples=n_examples, max_chars=example_chars)
notes = tn.topics_notes("examples", ctx)
rec.table(examples, "topic_examples", "Representative text units per topic", notes, show=0)

# %%
doc_shares = topics.topics_doc_shares(model, features, corpus.n_docs)
doc_tab = topics.doc_topics_table(doc_shares, corpus.meta, labels, unstable)
ctx.update(n_docs=corpus.n_docs, n_docs_out=int(np.isnan(doc_shares).any(axis=1).sum()))
rec.table(doc_tab, "doc_topics", "Topic shares per document", tn.topics_notes("doc_topics", ctx))

# %% [markdown]
# ## Prevalence by actor level and over time

# %%
prev = topics_prevalence(
    doc_shares, corpus.meta, ("actor_level", "year"), labels, unstable, n_boot, seed
)
ctx.update(n_boot=n_boot)
notes = tn.topics_notes("prevalence", ctx)
rec.table(prev, "topic_prevalence", "Topic prevalence by actor level and year", notes)

# %%
fig = topics_plot.prevalence_heatmap(prev, "actor_level")
rec.figure(fig, "topic_by_level", "Mean topic share by actor level", notes)
fig = topics_plot.prevalence_trends(prev, "year", min_docs=trend_min_docs)
notes += f" Years with fewer than {trend_min_docs} documents are not drawn (they are in the table)."
rec.figure(fig, "topic_trends", "Mean topic share by year (band: interval over actors)", notes)
std = prevalence_standardised(doc_shares, corpus.meta, design.strata, labels)
rec.table(std, "topic_trends_standardised", **tn.standardised_result(design.strata, ctx))

# %% [markdown]
# ## Provenance
#
# The model code is `ordbruk.topics.models` (features, fitting, tables), `ordbruk.topics.select`
# (grid, choice of k, stability), `ordbruk.topics.prevalence` (bootstrap) and
# `ordbruk.topics.coherence` (NPMI, UMass); the run folder's provenance records the parameters,
# package versions and input checksums.

# %%
rec.prose(tn.provenance_prose(method, k_used, seeds, unit, corpus.manifest.get("cache_hit")))
