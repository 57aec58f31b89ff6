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
# features are lemmas without stop words (and place names), filtered by how many units
# contain them.
#
# **Method.** LDA or NMF (scikit-learn) with fixed seeds; `method: auto` takes NMF above a
# measured corpus size. Every k of a grid is fitted with several seeds: k is the most
# coherent (NPMI) among those whose topics are mostly stable across seeds, with a held-out
# perplexity by document completion beside. The reported model is the seed run that agrees
# most with the others; unstable topics are flagged, greyed and left out of comparisons.
# Topic prevalence by actor level and year comes with intervals that resample actors, and
# level differences are also shown adjusted for genre. Definitions: METHODS.md, "Topic
# models".

# %%
from ordbruk.report.recorder import Recorder, figure_style
from ordbruk.stats.design import design_show
from ordbruk.text.cache import corpus_open
from ordbruk.topics import models as topics
from ordbruk.topics import notes as tn
from ordbruk.topics import plots as topics_plot
from ordbruk.topics import select as topics_select
from ordbruk.topics.features import families_lemma_map, topics_features
from ordbruk.topics.prevalence import (
    prevalence_adjusted,
    prevalence_standardised,
    topics_prevalence,
)
from ordbruk.topics.stability import stability_attach
from ordbruk.topics.tables import topics_tables

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
engine: str = ""  # params `engine`: where the shards are counted ("": local)
unit: str = "paragraph"  # "document" or "paragraph" (short texts need paragraphs)
method: str = "auto"  # "lda", "nmf" or "auto" (LDA up to 100,000 modelled tokens, NMF above)
k_grid: list = [2, 3, 4]  # numbers of topics to compare (keep small for small corpora)
k: int = 0  # fix k, or 0 to choose by the rule below
n_seeds: int = 3  # fits of every k for the stability check, at least 2
min_stable_share: float = 0.75  # the rule: most coherent k with at least this share stable
drop_names: bool = True  # leave place names (resources/names_sv.txt) out of the topics
min_df: float = 2.0  # keep terms in at least this many units (a share of units if < 1)
max_df: float = 0.5  # ... and at most this share of units (a count if > 1)
merge_families: list = []  # term families (names as in 02) merged into one feature each; []: none
n_top: int = 10  # top words per topic for coherence, stability and the terms table
stability_threshold: float = 0.5  # topics with mean matched Jaccard below this are unstable
compare_unstable: bool = False  # compare unstable topics too (default: drawn grey, apart)
test_share: float = 0.1  # share of units held out for the held-out perplexity
max_iter: int = 200  # iteration cap per fit (LDA: EM passes; NMF: coordinate descent)
evaluate_every: int = 5  # LDA: check convergence every this many passes (0: never)
perp_tol: float = 0.1  # LDA: converged when the training perplexity changes less than this
nmf_tol: float = 1e-4  # NMF: scikit-learn's stopping tolerance
learning_method: str = "batch"  # LDA: "batch" or "online"
batch_size: int = 512  # LDA online: documents per mini-batch
mean_change_tol: float = 0.001  # LDA E-step tolerance (0.01 is about twice as fast)
max_doc_update_iter: int = 100  # LDA E-step iteration cap per unit
n_jobs: int = 0  # fits run at once in separate processes (0: one per core); same results
fit_max_units: int = 20000  # more units: fit on a seeded sample this size, shares of all inferred
n_boot: int = 1000  # bootstrap replicates per group
trend_min_docs: int = 1  # years with fewer documents are left out of the trend figure
n_examples: int = 3  # representative units shown per topic
example_chars: int = 300  # characters of each representative unit shown
min_units: int = 200  # fewer modelled units: the topics are descriptive only
min_terms: int = 300  # fewer feature terms: descriptive only
min_tokens: int = 20000  # fewer modelled tokens: descriptive only

# %%
fit_kw = {name: globals()[name] for name in topics.FIT_SETTINGS}
seeds = topics_select.seeds_derive(seed, n_seeds)
figure_style()
rec = Recorder(output_dir, notebook_name)

# %%
corpus = corpus_open(corpus_path, cache_dir, cache_key, validation, cleaning, subset, engine)
_ = rec.corpus_note(corpus)
design = design_show(rec, corpus.meta, "actor_level", strata)

# %%
family_of, family_note = families_lemma_map(corpus, merge_families) if merge_families else ({}, "")
features = topics_features(corpus, unit, min_df, max_df, None, family_of, drop_names)
adequacy = topics_select.corpus_adequacy(features, min_units, min_terms, min_tokens)
method_used, method_why = topics.method_resolve(method, features)
rec.prose(tn.adequacy_prose(features, corpus.n_docs, adequacy) + " " + method_why)

# %% [markdown]
# ## Choosing k
#
# Coherence (`ordbruk.topics.coherence`), stability (`ordbruk.topics.stability`) and the
# held-out fit (`ordbruk.topics.heldout`) are computed for every k; the rule is
# `ordbruk.topics.select.k_choose`.

# %%
sel = topics_select.topics_grid(features.X, k_grid, method_used, seeds, seed, test_share, n_top,
    stability_threshold, n_jobs, k_fixed=k, fit_max_units=fit_max_units, engine=engine, **fit_kw)  # fmt: skip
choice = topics_select.k_choose(sel.grid, k or None, min_stable_share, sel.skipped, sel.k_max)
grid = sel.grid.assign(chosen=sel.grid["k"] == choice.k)
ctx = tn.notes_context(features, adequacy, family_note, method=method_used, seed=seed, n_top=n_top,
    n_seeds=n_seeds, seeds=", ".join(map(str, seeds)), threshold=stability_threshold,
    n_examples=n_examples, max_chars=example_chars, n_words=min(8, n_top), n_boot=n_boot)  # fmt: skip
ctx.update(tn.selection_context(sel, choice, method_used, fit_kw, min_stable_share, unit, seed))
rec.prose(tn.choice_prose(choice))

# %%
notes = tn.topics_notes("selection", ctx)
rec.table(grid, "topic_selection", "Stability, coherence and held-out fit by k", notes)
fig = topics_plot.selection_plot(grid, choice.k, min_stable_share)
rec.figure(fig, "topic_selection", "Stable share, coherence and held-out perplexity by k "
           "(dashed: chosen k; dotted: the stable share asked for)", notes)  # fmt: skip
rec.table(sel.fits, "topic_fits", "Every fit: iterations, convergence, time",
          tn.topics_notes("fits", ctx), show=0)  # fmt: skip

# %% [markdown]
# ## Stability across seeds

# %%
model, stab = sel.reported(choice.k)
tabs = topics_tables(model, features, corpus, stab, n_top, n_examples, example_chars)
stab = tabs.stability  # with labels
notes = tn.topics_notes("stability", ctx)
rec.table(stab, "topic_stability", "Stability of each topic across seeds", notes, show=0)
fig = topics_plot.stability_plot(stab, tabs.labels, stability_threshold)
rec.figure(fig, "topic_stability", "Topic stability across seeds (hatched: unstable)", notes)

# %%
rec.prose(tn.stability_prose(stab, choice.k, stability_threshold))

# %% [markdown]
# ## Topics

# %%
rec.table(tabs.terms, "topic_terms", "Top terms of each topic", tn.topics_notes("terms", ctx),
          show=0)  # fmt: skip
fig = topics_plot.topic_words_plot(tabs.terms, n_words=min(8, n_top))
rec.figure(fig, "topic_words", "Top words of each topic with their weights (number: stability)",
           tn.topics_notes("words", ctx))  # fmt: skip
notes = tn.topics_notes("examples", ctx)
rec.table(tabs.examples, "topic_examples", "Representative text units per topic", notes, show=0)

# %%
ctx.update(n_docs=corpus.n_docs, n_docs_out=tabs.n_docs_out)
rec.table(tabs.doc_topics, "doc_topics", "Topic shares per document", tn.topics_notes("doc_topics", ctx))  # fmt: skip

# %% [markdown]
# ## Prevalence by actor level and over time

# %%
prev = stability_attach(topics_prevalence(tabs.doc_shares, corpus.meta, ("actor_level", "year"),
                        tabs.labels, tabs.unstable, n_boot, seed), stab)  # fmt: skip
notes = tn.topics_notes("prevalence", ctx)
rec.table(prev, "topic_prevalence", "Topic prevalence by actor level and year", notes)

# %%
fig = topics_plot.prevalence_heatmap(prev, "actor_level")
rec.figure(fig, "topic_by_level", "Mean topic share by actor level (grey: unstable)", notes)
fig = topics_plot.prevalence_trends(prev, "year", min_docs=trend_min_docs)
notes += f" Years with fewer than {trend_min_docs} documents are not drawn (they are in the table)."
rec.figure(fig, "topic_trends", "Mean topic share by year (band: interval over actors)", notes)
std = prevalence_standardised(tabs.doc_shares, corpus.meta, design.strata, tabs.labels)
rec.table(std, "topic_trends_standardised", **tn.standardised_result(design.strata, ctx))

# %%
adj = prevalence_adjusted(tabs.doc_shares, corpus.meta, design.group_by, design.strata, stab)
notes = tn.adjusted_notes(adj, design, compare_unstable, ctx)
rec.table(adj, "topic_by_level_adjusted", "Topic share by actor level, pooled and adjusted for "
          f"{design.strata or 'period'}", notes)  # fmt: skip
fig = topics_plot.adjusted_plot(adj, compare_unstable)
rec.figure(fig, "topic_by_level_adjusted", "Difference in mean topic share by actor level, "
           f"adjusted for {design.strata or 'period'} (open: pooled)", notes)  # fmt: skip
rec.summary_set(*tn.topics_results(method_used, choice, bool(k), stab, adequacy, adj, stability_threshold, design))  # fmt: skip

# %% [markdown]
# ## Provenance
#
# The model code is `ordbruk.topics`: `features`, `models` (fitting), `select` (grid and
# choice of k), `stability`, `heldout`, `tables`, `prevalence` and `coherence`; the run
# folder's provenance records the parameters, package versions and input checksums.

# %%
rec.prose(tn.provenance_prose(method_used, choice.k, seeds, unit, corpus.manifest.get("cache_hit")))
