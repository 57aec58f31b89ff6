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
# # Rhetoric comparison: keyness, Fightin' Words, rhetorical markers and who is quoted
#
# **Question.** Do the groups of `group_by` (by default national, regional and local
# actors; the title names the grouping run) talk differently about segregation and social
# sustainability, and in what words, frames and voices?
#
# **Data.** The processed corpus (cleaned, redacted); groups come from a metadata column
# (by default the publisher's `actor_level`), and, for quoted speech, from the level of
# the quoted speaker.
#
# **Method.** Keyness per comparison (every pair of groups, and each group against the
# rest when there are three or more): log-likelihood G2 with Benjamini-Hochberg adjusted
# p, Log Ratio and %DIFF; Fightin' Words (log-odds with an informative Dirichlet prior);
# a bootstrap over actors for each key term; rhetorical markers per document (LIX, mean
# sentence length, MTLD, MATTR, "we", modal verbs, quoted speech, a framing dictionary)
# summarised per group with bootstrap intervals over actors. Definitions: METHODS.md.

# %%
from ordbruk.report.recorder import Recorder, figure_style
from ordbruk.rhetoric import keyness as ky
from ordbruk.rhetoric import markers as rh
from ordbruk.rhetoric import notes
from ordbruk.rhetoric import plots as rp
from ordbruk.rhetoric import quotes as qu
from ordbruk.rhetoric import strata as rs
from ordbruk.rhetoric.fightin_words import fightin_words_compare
from ordbruk.stats import groups as sg
from ordbruk.stats.design import design_show
from ordbruk.text.cache import corpus_open
from ordbruk.text.tokenize import names_load, stoplist_make

# %% tags=["parameters"]
corpus_path: str = "data/seeds"  # resolved against the repository root
cache_dir: str = ""  # "": .cache/ordbruk in the repository
output_dir: str = "outputs/interactive"  # the run folder
seed: int = 20261122  # seed of every bootstrap
validation: dict = {}  # params `validation`: allowed_levels, encoding_fallback
cleaning: dict = {}  # params `cleaning`: rules, repeated lines, redaction
subset: dict = {}  # params `subset`: which documents to analyse (keep, drop, date, min_words)
strata: str = ""  # params `strata`: column of genres for the design table ("": doc_type or genre)
notebook_name: str = "03_rhetoric_comparison"  # names the record file
cache_key: str = ""  # set by `ordbruk run`: open that prepared corpus; "": prepare here
engine: str = ""  # params `engine`: where the shards are counted ("": local)
group_by: str = "actor_level"  # metadata column that defines the groups
groups: list = []  # groups to compare, in order; empty: every value of group_by
token_level: str = "lemma"  # keyness terms: "form" (lowercased word) or "lemma"
drop_stopwords: bool = True  # drop stop words before keyness and Fightin' Words
drop_names: bool = True  # leave place names (resources/names_sv.txt) out of the comparisons
min_freq: int = 5  # minimum a + b for a term to be tested
top_n: int = 20  # keywords each way per comparison in the table
plot_n: int = 10  # keywords each way per comparison in the bar chart
p_max: float = 0.05  # threshold on the BH-adjusted p for a key term
log_ratio_min: float = 1.0  # minimum absolute Log Ratio (1: twice as frequent)
fw_prior: str = "corpus"  # Fightin' Words prior: "corpus" or "wordfreq" (general Swedish)
fw_prior_size: float = 1000.0  # alpha_0, the total prior count
fw_label_n: int = 10  # words labelled each way in the Fightin' Words plot
n_boot: int = 1000  # bootstrap replicates (actors resampled)
ci_level: float = 0.95  # confidence level of the bootstrap intervals
min_docs: int = 10  # groups with fewer documents: descriptive only
min_actors: int = 5  # groups with fewer distinct actors: descriptive only
min_tokens: int = 20000  # groups with fewer tokens: descriptive only
framing_path: str = ""  # own framing dictionary (YAML file); empty: the shipped one
quote_skip_doc_types: list = ["interpellation", "parliamentary_speech"]  # genres not quoted from

# %%
figure_style()
rec = Recorder(output_dir, notebook_name)
framing = rh.framing_load(framing_path)
stop = stoplist_make(drop_stopwords, drop_names)
boot = {"n_boot": n_boot, "seed": seed, "ci_level": ci_level}
small = {"min_docs": min_docs, "min_actors": min_actors, "min_tokens": min_tokens}

# %%
corpus = corpus_open(corpus_path, cache_dir, cache_key, validation, cleaning, subset, engine)
note = rec.corpus_note(corpus)
design = design_show(rec, corpus.meta, group_by, strata)
labels = sg.labels_get(corpus.meta, group_by)
actors = corpus.meta["actor"].fillna("").astype(str).to_numpy()  # "": its own actor
doc_ids = corpus.meta["doc_id"].astype(str).to_numpy()
tokens = corpus.meta["n_tokens"].to_numpy()

# %% [markdown]
# ## Groups and comparisons

# %%
comps = sg.comparisons_build(labels, groups or None)
sizes = sg.comparisons_adequacy(comps, actors, tokens, **small)
small_note = sg.adequacy_rule("A comparison", **small)

# %%
# The settings every note below is built from (ordbruk.rhetoric.notes).
v = {k: globals()[k] for k in notes.SETTINGS} | {"small": small_note}  # parameters the notes name
v["n_stop_removed"] = corpus.stopword_count(stoplist_make(drop_stopwords))  # names apart
v["n_names_removed"] = corpus.stopword_count(names_load()) if drop_names else None
rec.table(sizes, "comparisons", **notes.rhetoric_result("comparisons", **v), show=None)
rec.prose(notes.comparisons_prose(len(comps), note["n_documents"], sizes, small_note))

# %% [markdown]
# ## Keyness

# %%
X, terms, _ = corpus.dtm(token_level=token_level, unit="document", words_only=True, stopwords=stop)
key = ky.keyness_compare(X, terms, comps, min_freq=min_freq)
top = ky.keywords_top(key, n=top_n, p_max=p_max, log_ratio_min=log_ratio_min)
top = top.merge(sizes[["group_a", "group_b", "descriptive_only"]], on=["group_a", "group_b"])
rob = ky.actors_bootstrap(X, terms, actors, comps, top, **boot)
top = ky.keywords_pass(top, rob, min_actors)  # the one rule: test, size and actors
within, w_sizes = rs.keyness_within_strata(X, terms, comps, corpus.meta, design.strata, v, **small)
top = rs.keywords_consistent(top, within, p_max, log_ratio_min, design.flagged)

# %%
rec.table(key, "keyness", **notes.rhetoric_result("keyness", **v))
# Every comparison is in the bar charts below and in the CSV; the table shows the first
# ones in full, so a report on many groups stays readable.
rec.table(top, "keywords_top", **notes.rhetoric_result("keywords_top", **v), show=60)
rec.table(within, "keyness_within_strata", **notes.within_result(w_sizes, within, design.strata, v))
kw_figs = rp.keywords_plot(top, n=plot_n)  # pages of six comparisons
rec.figures(kw_figs, "keywords_top", **notes.rhetoric_result("keywords_top_figure", **v))

# %% [markdown]
# ## Fightin' Words

# %%
fw = fightin_words_compare(X, terms, comps, fw_prior, fw_prior_size, min_freq)
rec.table(fw, "fightin_words", **notes.rhetoric_result("fightin_words", **v))

# %%
for c in comps:
    sub = fw[(fw["group_a"] == c.group_a) & (fw["group_b"] == c.group_b)]
    fig = rp.fightin_words_plot(sub, label_n=fw_label_n)
    fig_notes = notes.rhetoric_result(
        "fightin_words_figure", group_a=c.group_a, group_b=c.group_b, **v
    )
    rec.figure(fig, f"fightin_words_{c.slug}", **fig_notes)

# %% [markdown]
# ## Do key terms hold across actors?

# %%
rec.table(rob, "keyness_actors", **notes.rhetoric_result("keyness_actors", **v))

# %% [markdown]
# ## Who is speaking

# %%
quotes, genres, levels, agree = qu.quotes_find(corpus, strata, quote_skip_doc_types)
q_notes = notes.quotes_result("quotes", quote_skip_doc_types)
rec.table(quotes[qu.COLUMNS], "quotes", **q_notes, groups="speaker_level")  # every level shown
rec.table(genres, "quotes_genres", **notes.quotes_result("quotes_genres", quote_skip_doc_types))
rec.table(levels, "quotes_levels", **notes.rhetoric_result("quotes_levels", **v), show=None)
rec.prose(qu.levels_prose(agree))

# %% [markdown]
# ## Rhetorical markers

# %%
share = qu.quotes_share(quotes, corpus.texts, doc_ids)
doc_markers = rh.markers_per_document(corpus, quote_share=share, framing=framing)
by_group = rh.markers_by_group(doc_markers, labels, actors, **boot, **small, tokens=tokens)

# %%
mk_table = by_group.assign(grouping=group_by)
rec.table(mk_table, "rhetoric_markers", **notes.rhetoric_result("rhetoric_markers", **v))
mk_docs = notes.rhetoric_result("rhetoric_markers_docs", **v)
rec.table(doc_markers, "rhetoric_markers_docs", **mk_docs)
mk_figs = rp.markers_plot(by_group)  # pages that fit a page
rec.figures(mk_figs, "rhetoric_markers", **notes.rhetoric_result("rhetoric_markers_figure", **v))

# %%
by_speaker = rh.markers_by_speaker(quotes, corpus.meta, group_by="actor_level", **boot, **small)
sp_notes = notes.rhetoric_result("rhetoric_markers_speakers", **v)
rec.table(by_speaker, "rhetoric_markers_speakers", **sp_notes)

# %%
X_forms, forms, _ = corpus.dtm(token_level="form", unit="document", words_only=True)
framing_forms = rh.framing_matches(X_forms, forms, framing)
rec.table(framing_forms, "framing_forms", **notes.rhetoric_result("framing_forms", **v))

# %% [markdown]
# ## Provenance

# %%
rec.summary_set(*notes.rhetoric_results(group_by, sizes, top, rob, agree))
rec.title_set(notes.rhetoric_title(group_by))
rec.prose(notes.provenance_prose(note["cache_key"], **v))
