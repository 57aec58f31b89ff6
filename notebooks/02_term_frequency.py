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
# # Term frequency: who says the study's terms, where and with what
#
# **Question.** How often, where and in what company do actors use the study's term
# families (by default "samverkan", "segregation" and related terms; the title names the
# families run, the table of word forms lists them all), and how does that differ between
# the `group_by` groups (by default national, regional and local actors) and over time?
#
# **Data.** The corpus named in the parameters (default: the five seed texts in
# `data/seeds/`), validated, cleaned and redacted.
#
# **Method.** Each concept is a *term family*: the word forms, compounds ("bostadssegregation",
# "samverkansformer", "samverkans-"), phrases ("socialt hållbar") and exclusions listed in
# `lib/ordbruk/resources/term_families.yaml`. Names of organisations and offices that
# contain a term ("Delegationen mot segregation") are masked and counted apart. Counts per
# document are normalised per 10,000 tokens and aggregated by actor, level and year with
# Gries' DP dispersion; keyword-in-context lines, collocates within a window (MI, logDice,
# t-score, log-likelihood) and a dispersion plot show how and where the terms are used.

# %%
from ordbruk.report.recorder import Recorder, figure_style
from ordbruk.stats import groups as sg
from ordbruk.stats.design import design_show
from ordbruk.terms import coding, collocations, compare, concordance, frequency, notes, plots
from ordbruk.terms import families as terms
from ordbruk.terms.locate import terms_locate
from ordbruk.terms.trends import terms_trend, terms_trend_standardised
from ordbruk.text.cache import corpus_open
from ordbruk.text.tokenize import stopwords_load

# %% tags=["parameters"]
corpus_path: str = "data/seeds"  # folder, .jsonl(.gz) or .csv; relative to the repository root
cache_dir: str = ""  # "": .cache/ordbruk in the repository
output_dir: str = "outputs/interactive"  # where tables/ and figures/ are written
seed: int = 20261122  # seeds the KWIC sample
validation: dict = {}  # params `validation`: allowed_levels, encoding_fallback
cleaning: dict = {}  # params `cleaning`: rules, repeated lines, redaction
subset: dict = {}  # params `subset`: which documents to analyse (keep, drop, date, min_words)
strata: str = ""  # params `strata`: column of genres for the design table ("": doc_type or genre)
notebook_name: str = "02_term_frequency"  # names this notebook's record in the run folder
cache_key: str = ""  # set by `ordbruk run`: open that prepared corpus; "": prepare here
engine: str = ""  # params `engine`: where the shards are counted ("": local)
families: list = [
    "samverkan",
    "segregation",
    "integration",
    "utanförskap",
    "social hållbarhet",
    "trygghet",
    "delaktighet",
    "jämlikhet",
    "områdesutveckling",
    "arbetsmarknad",
]  # family names from the family file; an unknown name is counted as a plain word
families_custom: dict = {}  # extra or replaced families: {name: rules as in the YAML, or null}
families_file: str = ""  # a family YAML of your own; "": the shipped one
group_by: str = "actor_level"  # metadata column for trends and collocates per group
unit: str = "document"  # counting unit of term_counts.csv and collocate windows: document|paragraph
window: int = 5  # collocate window: tokens left and right of a use
min_collocate_count: int = 3  # collocates observed fewer times are not reported
collocates_top_n: int = 10  # collocates shown per family (and group) in the report
drop_stopwords: bool = True  # leave stop words out of the collocate lists
n_boot: int = 1000  # actor-bootstrap resamples of the rates by group and stratum
ci_level: float = 0.95  # coverage of the bootstrap intervals
kwic_sample_size: int = 8  # KWIC lines shown per family in the report (all in kwic.csv)
kwic_width: int = 60  # characters of context on each side of a match
kwic_sort_by: str = "right"  # sort the full KWIC table by the word "left" or "right" of the match
kwic_coding_size: int = 10  # uses per family and group_by group in kwic_coding.csv (to hand-code)
kwic_coded: str = ""  # a hand-coded copy of kwic_coding.csv: precision per family; "": none
min_docs_per_point: int = 5  # trend points resting on fewer documents are drawn hollow
dispersion_max_docs: int = 300  # documents shown in the dispersion plot (earliest first)
min_docs: int = 10  # group_by groups with fewer documents: descriptive only
min_actors: int = 5  # ... with fewer distinct actors: descriptive only
min_tokens: int = 20000  # ... with fewer tokens: descriptive only

# %%
figure_style()
rec = Recorder(output_dir, notebook_name)
fams = terms.families_resolve(families, families_custom, families_file)
names = [f.name for f in fams]
stop = stopwords_load() if drop_stopwords else None

# %%
corpus = corpus_open(corpus_path, cache_dir, cache_key, validation, cleaning, subset, engine)
rec.corpus_note(corpus)
design = design_show(rec, corpus.meta, group_by, strata)
n_docs, n_tokens = corpus.n_docs, int(corpus.meta["n_tokens"].sum())
labels = sg.labels_get(corpus.meta, group_by, "group_by")
adequacy = sg.groups_adequacy(
    labels, corpus.meta["actor"], corpus.meta["n_tokens"], min_docs, min_actors, min_tokens
)
caveat = sg.adequacy_caveat(adequacy)  # Markdown, group names escaped

# %%
# The settings and values every note below is built from (ordbruk.terms.notes).
v = {k: globals()[k] for k in notes.SETTINGS}  # the parameters the notes name
v |= dict(caveat=caveat, strata_name=design.strata or "corpus", ci_pct=round(ci_level * 100))
v["n_stop_removed"] = corpus.stopword_count(stop)  # tokens removed, by form or lemma

# %% [markdown]
# ## Which forms were counted
#
# Every word form (and phrase) that matched a family, with the rule that admitted it. Read
# this first: a family is only as good as its forms.

# %%
hits, members = terms_locate(corpus, fams)
forms = frequency.terms_forms(hits)
rec.table(forms, "term_forms", **notes.terms_result("term_forms", **v), show=40)

# %% [markdown]
# ## Counts per document and by actor, level and year

# %%
counts = frequency.terms_count(corpus, hits, names, unit=unit)
doc_counts = counts if unit == "document" else frequency.terms_count(corpus, hits, names)
rec.table(counts, "term_counts", **notes.terms_result("term_counts", **v))

# %%
overall = frequency.terms_aggregate(doc_counts, corpus.meta)
rec.table(overall, "term_totals", **notes.terms_result("term_totals", **v))
rec.prose(notes.totals_prose(n_docs, n_tokens, overall, caveat))

# %%
for col in ("actor_level", "actor", "year"):
    by_col = frequency.terms_aggregate(doc_counts, corpus.meta, col)
    rec.table(
        by_col, f"term_counts_by_{col}", **notes.terms_result("term_counts_by", column=col, **v)
    )

# %% [markdown]
# ## Like with like: within each genre, and adjusted for genre and period

# %%
args = (doc_counts, corpus.meta, names, group_by, design.strata)
strat = compare.rates_by_stratum(*args, n_boot, seed, ci_level)
rec.table(strat, "term_rates_by_stratum", **notes.terms_result("rates_by_stratum", **v), show=40)
ratios = compare.family_rate_ratios(*args)
v["adjusted"] = ratios["adjusted_for"].iloc[0].removeprefix("group + ") if len(ratios) else "-"
rec.table(ratios, "term_rate_ratios", **notes.terms_result("rate_ratios", **v), show=None)

# %% [markdown]
# ## Trends over time

# %%
trend = terms_trend(doc_counts, corpus.meta, group_by, min_docs_per_point, n_boot, seed, ci_level)
rec.table(trend, "term_trends", **notes.terms_result("term_trends", **v))
trend_fig = plots.trends_plot(trend, names, group_by, min_docs_per_point)
rec.figure(trend_fig, "term_trends", **notes.terms_result("term_trends_figure", **v))
std = terms_trend_standardised(doc_counts, corpus.meta, names, group_by, design.strata)
rec.table(std, "term_trends_standardised", **notes.terms_result("term_trends_standardised", **v))

# %% [markdown]
# ## Keyword in context

# %%
kwic = concordance.kwic_sort(concordance.kwic_build(corpus, hits, kwic_width), kwic_sort_by)
rec.table(kwic, "kwic", **notes.terms_result("kwic", **v), show=10)
sample = concordance.kwic_sample(kwic, kwic_sample_size, seed)
rec.table(sample, "kwic_sample", **notes.terms_result("kwic_sample", **v), show=None)
coding.coding_record(rec, corpus, kwic, group_by, kwic_coding_size, seed, kwic_coded)

# %% [markdown]
# ## Collocates

# %%
coll = collocations.collocates_by_group(
    corpus, hits, group_by, window=window, min_count=min_collocate_count, unit=unit, stopwords=stop
)
rec.table(coll, "collocates", **notes.terms_result("collocates", **v), show=10)
coll_top = collocations.collocates_top(coll, collocates_top_n)
rec.table(coll_top, "collocates_top", **notes.terms_result("collocates_top", **v), show=60)

# %% [markdown]
# ## Where in the documents

# %%
positions = concordance.dispersion_positions(corpus, hits)
n_shown = min(n_with := positions["doc_rank"].nunique(), dispersion_max_docs)
disp_fig = plots.dispersion_plot(positions, names, dispersion_max_docs)
rec.figure(
    disp_fig, "dispersion", **notes.terms_result("dispersion", n_shown=n_shown, n_with=n_with)
)

# %% [markdown]
# ## How a form is matched
#
# The rule that decides whether a word form belongs to a family:

# %%
rec.source_show(terms.form_rule)

# %%
rec.summary_set(*notes.terms_results(names, n_docs, overall, ratios, adequacy, group_by, ci_level))  # fmt: skip
rec.title_set(notes.terms_title(names, group_by))
rec.prose(notes.provenance_prose(corpus_path, corpus.manifest.get("key"), families_file, **v))
