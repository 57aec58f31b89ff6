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
# # Term frequency: who says "samverkan", "segregation" and related terms, where and with what
#
# **Question.** How often, where and in what company do actors use "samverkan",
# "segregation" and related terms, and how does that differ between national, regional and
# local actors and over time?
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
import inspect

from ordbruk.report.recorder import Recorder, figure_style
from ordbruk.stats import groups as sg
from ordbruk.terms import collocations, concordance
from ordbruk.terms import families as terms
from ordbruk.terms import frequency as terms_frequency
from ordbruk.terms import plots as terms_plots
from ordbruk.terms.locate import terms_locate
from ordbruk.terms.trends import terms_trend
from ordbruk.text.cache import corpus_open
from ordbruk.text.tokenize import stopwords_load

# %% tags=["parameters"]
corpus_path: str = "data/seeds"  # folder, .jsonl(.gz) or .csv; relative to the repository root
cache_dir: str = ""  # "": .cache/ordbruk in the repository
output_dir: str = "outputs/interactive"  # where tables/ and figures/ are written
seed: int = 20261122  # seeds the KWIC sample
validation: dict = {}  # params `validation`: allowed_levels, encoding_fallback
cleaning: dict = {}  # params `cleaning`: rules, repeated lines, redaction
notebook_name: str = "02_term_frequency"  # names this notebook's record in the run folder
cache_key: str = ""  # set by `ordbruk run`: open that prepared corpus; "": prepare here
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
kwic_sample_size: int = 8  # KWIC lines shown per family in the report (all in kwic.csv)
kwic_width: int = 60  # characters of context on each side of a match
kwic_sort_by: str = "right"  # sort the full KWIC table by the word "left" or "right" of the match
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
corpus = corpus_open(corpus_path, cache_dir, cache_key, validation, cleaning)
rec.corpus_note(corpus)
n_docs, n_tokens = corpus.n_docs, int(corpus.meta["n_tokens"].sum())
labels = sg.labels_get(corpus.meta, group_by, "group_by")
adequacy = sg.groups_adequacy(
    labels, corpus.meta["actor"], corpus.meta["n_tokens"], min_docs, min_actors, min_tokens
)
small = bool(adequacy["descriptive_only"].any())
caveat = f" **Descriptive only: {sg.adequacy_reasons(adequacy)}.**" if small else ""

# %% [markdown]
# ## Which forms were counted
#
# Every word form (and phrase) that matched a family, with the rule that admitted it. Read
# this first: a family is only as good as its forms.

# %%
hits, members = terms_locate(corpus, fams)
forms = terms_frequency.terms_forms(hits)
rec.table(
    forms,
    "term_forms",
    "Word forms counted in each family",
    "One row per family and lowercased form or phrase found in the corpus. `rule`: how the "
    "form was admitted (form = listed whole-word form; stem = stem plus an inflectional "
    "ending; prefix/suffix/infix_compound = the stem first, last or inside a compound, "
    "with an optional linking -s or hyphen; phrase = multi-word pattern). `count`: uses; "
    "`masked_count`: occurrences inside a masked name (organisations, offices, named "
    "programmes), not counted as uses; `n_docs`: documents with at least one use. Excluded "
    "forms and the masks are listed in `term_families.yaml`.",
    show=40,
)

# %% [markdown]
# ## Counts per document and by actor, level and year

# %%
counts = terms_frequency.terms_count(corpus, hits, names, unit=unit)
doc_counts = counts if unit == "document" else terms_frequency.terms_count(corpus, hits, names)
rec.table(
    counts,
    "term_counts",
    f"Uses of each family per {unit}",
    f"One row per {unit} and family, zeros included. `count`: uses (masked names excluded); "
    "`masked_count`: mentions inside masked names; `n_tokens`: all word and number tokens "
    f"of the {unit} (punctuation is not a token; stop words are kept); `freq_per_10k` = "
    "10,000 × count / n_tokens.",
)

# %%
overall = terms_frequency.terms_aggregate(doc_counts, corpus.meta)
dp_note = (
    "`dp_docs` / `dp_actors`: Gries' DP (2008) over the documents / actors of the row, "
    "part sizes in tokens: 0 = spread in proportion to text size, near 1 = concentrated in "
    "one part; empty when there are no uses. `n_docs_with_term` and `n_actors_with_term` "
    "show whether a figure rests on many writers or on one prolific actor."
)
rec.table(overall, "term_totals", "Uses per family in the whole corpus", dp_note)
rec.prose(
    f"{n_docs:,} documents, {n_tokens:,} tokens. "
    + ", ".join(f"*{r.family}* {r.count:,} uses" for r in overall.itertuples())
    + "."
    + caveat
)

# %%
for col in ("actor_level", "actor", "year"):
    rec.table(
        terms_frequency.terms_aggregate(doc_counts, corpus.meta, col),
        f"term_counts_by_{col}",
        f"Uses per family by {col}",
        f"Sums over the documents of each {col}; `freq_per_10k` = 10,000 × count / n_tokens "
        f"of the group. {dp_note}{caveat}",
    )

# %% [markdown]
# ## Trends over time

# %%
trend = terms_trend(doc_counts, corpus.meta, group_by, min_docs_per_point)
trend_note = (
    f"Uses per 10,000 tokens per year and {group_by}; `n_docs`: documents behind the point. "
    f"Points resting on fewer than {min_docs_per_point} documents are flagged `sparse` and "
    "drawn hollow; documents without a year are left out. Year is taken from `date` at "
    f"whatever precision it has.{caveat}"
)
rec.table(trend, "term_trends", f"Uses per year and {group_by}", trend_note)
rec.figure(
    terms_plots.trends_plot(trend, names, group_by),
    "term_trends",
    f"Uses per 10,000 tokens per year, by {group_by}",
    trend_note
    + " Lines join only the solid points and break at missing years; a sparse point above "
    "the highest solid point is drawn at the top edge as a hollow triangle (its value is in "
    "`tables/term_trends.csv`). The bottom panel shows the documents per year (log scale).",
)

# %% [markdown]
# ## Keyword in context

# %%
kwic = concordance.kwic_sort(concordance.kwic_build(corpus, hits, kwic_width), kwic_sort_by)
kwic_note = (
    f"Context: {kwic_width} characters each side of the match, cut to whole words, from the "
    "cleaned text with contact data redacted. `left_word` / `right_word`: the neighbouring "
    f"tokens; the full table (`tables/kwic.csv`) is sorted by the {kwic_sort_by} word and "
    "includes masked mentions (`masked`)."
)
rec.table(kwic, "kwic", "Keyword in context: every use and masked mention", kwic_note, show=10)
sample = concordance.kwic_sample(kwic, kwic_sample_size, seed)
rec.table(
    sample,
    "kwic_sample",
    f"Keyword in context: up to {kwic_sample_size} random uses per family",
    kwic_note + f" Sample drawn with numpy's default_rng({seed}), uses only, ordered by date.",
    show=None,
)

# %% [markdown]
# ## Collocates

# %%
coll = collocations.collocates_by_group(
    corpus, hits, group_by, window=window, min_count=min_collocate_count, unit=unit, stopwords=stop
)
coll_note = (
    f"Words within {window} tokens left or right of a use (the use itself excluded), windows "
    f"kept inside one {unit}. O: observed co-occurrences; E = f(node) × f(collocate) × "
    f"{2 * window} / N, N = all tokens of the group; MI = log2(O/E); t = (O − E)/√O; "
    "logDice = 14 + log2(2O / (f(node) + f(collocate))); log-likelihood: Dunning's G2 on "
    "the 2×2 table of window slots. Only collocates with O ≥ "
    f"{min_collocate_count}"
    + (", stop words left out" if drop_stopwords else "")
    + f". Top {collocates_top_n} per family and group by log-likelihood in the report; "
    "every row in `tables/collocates.csv`. MI favours rare words: read it with O." + caveat
)
rec.table(
    coll, "collocates", f"Collocates per family, overall and per {group_by}", coll_note, show=10
)
rec.table(
    collocations.collocates_top(coll, collocates_top_n),
    "collocates_top",
    f"Strongest collocates per family and {group_by}",
    coll_note,
    show=60,
)

# %% [markdown]
# ## Where in the documents

# %%
positions = concordance.dispersion_positions(corpus, hits)
n_with = positions["doc_rank"].nunique()
rec.figure(
    terms_plots.dispersion_plot(positions, names, dispersion_max_docs),
    "dispersion",
    "Where each family occurs within documents (documents by date, earliest at top)",
    f"One tick per use at its relative position in the document (0 = first token, 1 = "
    f"last). {min(n_with, dispersion_max_docs)} of the {n_with} documents with a use are "
    "shown, earliest first; undated documents last. Masked mentions are left out.",
)

# %% [markdown]
# ## How a form is matched
#
# The rule that decides whether a word form belongs to a family:

# %% tags=["show-input"]
print(inspect.getsource(terms.form_rule))

# %%
rec.summary_set(
    f"{len(names)} term families over {n_docs:,} documents; "
    + ", ".join(
        f"{r.family} {r.freq_per_10k:.1f}" for r in overall.nlargest(3, "freq_per_10k").itertuples()
    )
    + " per 10k tokens"
    + (f"; {sg.adequacy_summary(adequacy, f'{group_by} groups')}" if small else "")
)
rec.prose(
    f"*Provenance.* Corpus `{corpus_path}` (cache key `{corpus.manifest.get('key')}`); "
    f"families from `{families_file or 'term_families.yaml (shipped)'}`; seed {seed}; "
    f"unit {unit}, window {window}, minimum collocate count {min_collocate_count}. The "
    "run folder's `provenance.json` has the package versions and input checksums."
)
