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
# **Question.** Do national, regional and local actors talk differently about segregation
# and social sustainability, and in what words, frames and voices?
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
from ordbruk.rhetoric import plots as rp
from ordbruk.rhetoric import quotes as qu
from ordbruk.rhetoric.fightin_words import fightin_words_compare
from ordbruk.stats import groups as sg
from ordbruk.text.cache import corpus_open
from ordbruk.text.tokenize import stopwords_load

# %% tags=["parameters"]
corpus_path: str = "data/seeds"  # resolved against the repository root
cache_dir: str = ""  # "": .cache/ordbruk in the repository
output_dir: str = "outputs/interactive"  # the run folder
seed: int = 20261122  # seed of every bootstrap
validation: dict = {}  # params `validation`: allowed_levels, encoding_fallback
cleaning: dict = {}  # params `cleaning`: rules, repeated lines, redaction
notebook_name: str = "03_rhetoric_comparison"  # names the record file
cache_key: str = ""  # set by `ordbruk run`: open that prepared corpus; "": prepare here
group_by: str = "actor_level"  # metadata column that defines the groups
groups: list = []  # groups to compare, in order; empty: every value of group_by
token_level: str = "lemma"  # keyness terms: "form" (lowercased word) or "lemma"
drop_stopwords: bool = True  # drop stop words before keyness and Fightin' Words
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

# %%
figure_style()
rec = Recorder(output_dir, notebook_name)
framing = rh.framing_load(framing_path)
stop = stopwords_load() if drop_stopwords else None
boot = {"n_boot": n_boot, "seed": seed, "ci_level": ci_level}
small = {"min_docs": min_docs, "min_actors": min_actors, "min_tokens": min_tokens}

# %%
corpus = corpus_open(corpus_path, cache_dir, cache_key, validation, cleaning)
note = rec.corpus_note(corpus)
labels = sg.labels_get(corpus.meta, group_by)
actors = corpus.meta["actor"].astype(str).to_numpy()
doc_ids = corpus.meta["doc_id"].astype(str).to_numpy()
tokens = corpus.meta["n_tokens"].to_numpy()

# %% [markdown]
# ## Groups and comparisons

# %%
comps = sg.comparisons_build(labels, groups or None)
sizes = sg.comparisons_adequacy(comps, actors, tokens, **small)
n_descr = int(sizes["descriptive_only"].sum())
small_note = sg.adequacy_rule("A comparison", **small)

# %%
cmp_notes = (
    f"Groups from `{group_by}`: every pair, and each group against the rest when 3+. {small_note}"
)
rec.table(sizes, "comparisons", f"Comparisons by {group_by}", cmp_notes, show=None)
rec.prose(
    f"{len(comps)} comparisons over {note['n_documents']} documents; "
    + (
        f"**{n_descr} of them are descriptive only** ({sg.adequacy_reasons(sizes)}). {small_note}"
        if n_descr
        else "none is too small."
    )
)

# %% [markdown]
# ## Keyness

# %%
X, terms, _ = corpus.dtm(token_level=token_level, unit="document", words_only=True, stopwords=stop)
key = ky.keyness_compare(X, terms, comps, min_freq=min_freq)
top = ky.keywords_top(key, n=top_n, p_max=p_max, log_ratio_min=log_ratio_min)
top = top.merge(sizes[["group_a", "group_b", "descriptive_only"]], on=["group_a", "group_b"])
n_pass = int((top["passes"] & ~top["descriptive_only"]).sum())

# %%
kw_notes = (
    f"Counts of {token_level}s (words only; stop words {'removed' if drop_stopwords else 'kept'}); a, b = "
    "counts in group_a and group_b, c, d = their total tokens. G2: two-term log-likelihood (Rayson and "
    "Garside 2000), signed (+ = more in group_a), p from chi-square, 1 df; p_adj_bh: Benjamini-Hochberg "
    f"within each comparison; terms with a + b < {min_freq} not tested. log_ratio: Log Ratio (Hardie "
    f"2014); pct_diff: %DIFF; a zero count is replaced by 0.5 in both. {small_note}"
)
rec.table(key, "keyness", "Keyness of every tested term, per comparison", kw_notes)

# %%
top_notes = kw_notes + (
    f" Top {top_n} each way by |G2| among terms with |Log Ratio| >= {log_ratio_min}; passes: "
    f"p_adj_bh <= {p_max}; direction: the group that uses the term more."
)
# Every comparison is in the bar charts below and in the CSV; the table shows the first
# ones in full, so a report on many groups stays readable.
rec.table(top, "keywords_top", f"Top {top_n} keywords each way per comparison", top_notes, show=60)

# %%
kw_fig = rp.keywords_plot(top, n=plot_n)
fig_notes = (
    f"Log Ratio of the top {plot_n} terms each way; blue = more in the first group, orange = more in "
    f"the second; pale bars fail p_adj_bh <= {p_max}. {small_note}"
)
rec.figure(kw_fig, "keywords_top", "Top keywords each way (Log Ratio)", fig_notes)

# %% [markdown]
# ## Fightin' Words

# %%
fw = fightin_words_compare(X, terms, comps, fw_prior, fw_prior_size, min_freq)
prior_name = "the whole corpus" if fw_prior == "corpus" else "wordfreq (general Swedish)"
fw_notes = (
    f"Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008), prior from "
    f"{prior_name}, alpha_0 = {fw_prior_size:g}; delta, var, z per term (z > 0: more in group_a); "
    f"a, b, c, d as in keyness; terms with a + b >= {min_freq}. {small_note}"
)
rec.table(fw, "fightin_words", "Fightin' Words per comparison", fw_notes)

# %%
for c in comps:
    sub = fw[(fw["group_a"] == c.group_a) & (fw["group_b"] == c.group_b)]
    fig = rp.fightin_words_plot(sub, label_n=fw_label_n)
    title = f"Fightin' Words: {c.group_a} vs {c.group_b}"
    more = f" Labelled: the {fw_label_n} largest |z| each way; dashed lines at |z| = 1.96."
    rec.figure(fig, f"fightin_words_{c.slug}", title, fw_notes + more)

# %% [markdown]
# ## Do key terms hold across actors?

# %%
rob = ky.actors_bootstrap(X, terms, actors, comps, top, **boot)
rob_notes = (
    "Per top keyword: actors per group and how many use it; top_actor_share = share of the group's uses "
    f"from its most prolific actor; frequencies per 10,000 tokens; diff_per_10k = a minus b with a "
    f"{ci_level:.0%} percentile bootstrap interval from {n_boot} resamples of actors within each group "
    f"(seed {seed}). An interval including 0, or a term used by one actor, is no difference between "
    f"kinds of actors. {small_note}"
)
rec.table(rob, "keyness_actors", "Key terms at the level of actors", rob_notes)

# %% [markdown]
# ## Who is speaking

# %%
quotes = qu.quotes_extract_corpus(corpus.texts, doc_ids)
levels, agree = qu.levels_compare(quotes, corpus.meta, group_by="actor_level")
q_notes = (
    'Direct quotes found by the press-text patterns of `ordbruk.rhetoric.quotes` ("– ..., säger Namn, roll vid '
    'Organisation"; quotes over several paragraphs joined); one row per quote and speaker. '
    "speaker_level is inferred from the organisation, else the role (`resources/organisations.yaml`)."
)
rec.table(quotes[qu.COLUMNS], "quotes", "Direct quotes and their speakers", q_notes)

# %%
lv_notes = "Quote-speaker rows per level of the publishing actor and of the quoted speaker."
rec.table(
    levels, "quotes_levels", "Publisher level against quoted speaker level", lv_notes, show=None
)
rec.prose(qu.levels_prose(agree))

# %% [markdown]
# ## Rhetorical markers

# %%
share = qu.quotes_share(quotes, corpus.texts, doc_ids)
doc_markers = rh.markers_per_document(corpus, quote_share=share, framing=framing)
by_group = rh.markers_by_group(doc_markers, labels, actors, **boot, **small, tokens=tokens)
marker_cols = [c for c in doc_markers.columns if c not in ("doc_id", "n_words")]

# %%
mk_notes = (
    "Per document: LIX, mean sentence length (words), MTLD, MATTR (`ordbruk.stats.readability`); per 10,000 "
    "word tokens: first-person plural, obligation and possibility modals (`resources/markers.yaml`), "
    "framing categories (`resources/framing.yaml`); obligation_share = obligation / (obligation + "
    f"possibility); quote_share = share of characters in direct quotes. Group value: mean over documents, "
    f"{ci_level:.0%} bootstrap interval from {n_boot} resamples of actors (seed {seed}). {small_note}"
)
rec.table(
    by_group.assign(grouping=group_by),
    "rhetoric_markers",
    "Rhetorical markers by group",
    mk_notes,
)

# %%
rec.table(doc_markers, "rhetoric_markers_docs", "Rhetorical markers per document", mk_notes)
mk_fig = rp.markers_plot(by_group, marker_cols)
rec.figure(
    mk_fig,
    "rhetoric_markers",
    f"Rhetorical markers by {group_by}",
    mk_notes + " Hollow: descriptive only.",
)

# %%
by_speaker = rh.markers_by_speaker(quotes, corpus.meta, group_by="actor_level", **boot, **small)
sp_notes = mk_notes + (
    " Each document here is one quote (once per speaker level), grouped by the quoted speaker's level "
    "and, for the same quotes, by the publisher's level; actors = speakers."
)
rec.table(
    by_speaker,
    "rhetoric_markers_speakers",
    "Markers of quoted speech: speaker vs publisher level",
    sp_notes,
)

# %%
X_forms, forms, _ = corpus.dtm(token_level="form", unit="document", words_only=True)
fr_notes = (
    "Every word form counted for a framing category, with its corpus count (edit: `framing_path`)."
)
rec.table(
    rh.framing_matches(X_forms, forms, framing),
    "framing_forms",
    "Framing dictionary matches",
    fr_notes,
)

# %% [markdown]
# ## Provenance

# %%
rec.summary_set(
    f"Comparisons by {group_by}: {sg.adequacy_summary(sizes)}; {n_pass} key terms pass "
    f"in non-descriptive comparisons; {agree['n_quotes']} quotes, {agree['n_differ']} by a speaker "
    "of another level than the publisher"
)
rec.prose(
    f"Corpus cache key `{note['cache_key']}`; bootstrap seed {seed}; groups from `{group_by}`; "
    f"terms at the {token_level} level; Fightin' Words prior: {fw_prior} (alpha_0 = {fw_prior_size:g})."
)
