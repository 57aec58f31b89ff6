"""Method notes for the topic-model notebook's tables and figures, built from computed values.

Each result of ``04_topic_model`` carries notes saying what was modelled, how, with which
seeds and thresholds. The notes are assembled here from one context dictionary (sizes,
parameters, the adequacy verdict), so the notebook stays thin and every number in them is
computed, never retyped. When the corpus is below the adequacy threshold every note
starts with the same warning.
"""

from __future__ import annotations

from ordbruk.escape import md_escape
from ordbruk.stats.rates import MIN_CLUSTERS
from ordbruk.topics.coherence import NPMI_EPSILON
from ordbruk.topics.heldout import NMF_SMOOTHING
from ordbruk.topics.key_results import topics_results, topics_summary  # noqa: F401 (re-exported)
from ordbruk.topics.models import SHARES_CHUNK

_TEMPLATES = {
    "selection": (
        "For each k of the grid, {n_seeds} {method_name} fits on {fitted} "
        "(seeds {seeds}).{sample_note} A topic is stable when its top-{n_top} words are matched in the "
        "other runs with a mean Jaccard similarity of at least {threshold} (Greene, "
        "O'Callaghan and Cunningham 2014). `stable_share`: the share of stable topics with each "
        "run in turn as the reference, averaged over the runs (so it does not favour the run "
        "reported); `stability_mean`: the mean topic stability, averaged the same way. The "
        "reported run is the one that agrees most with the others (`reported_seed`); "
        "`n_stable_reported` counts its stable topics. Coherence of the reported run on the "
        "fitted {unit}s from each topic's top {n_top} words: NPMI (Bouma 2009; c_npmi of Röder et "
        "al. 2015) with {unit} co-occurrence and epsilon {eps:g}, mean over word pairs and "
        "topics (higher is better, -1 to 1; `npmi_min` is the least coherent topic), and "
        "UMass (Mimno et al. 2011, +1 smoothing; closer to 0 is better). "
        "`perplexity_heldout`: one more fit on {n_train:,} {unit}s (seed {seed}) scores the "
        "other {n_test:,} by document completion (Wallach et al. 2009): each held-out {unit}'s "
        "topic shares are estimated on a random half of its tokens and the other half is "
        "scored ({n_heldout_tokens:,} tokens); per-word perplexity, lower is better. The "
        "vocabulary (the min_df / max_df filter) was chosen on all {unit}s, held-out ones "
        "included: a small leak in the held-out figure's favour, the same for every k. "
        "{heldout_method} `n_iter_max`, `n_converged`, `n_fits` and `seconds_per_fit` cover "
        "all fits of the k, the held-out one included (one row per fit in `topic_fits`); times "
        "are wall-clock and differ between reruns, every other column is reproduced exactly. "
        "**Rule:** {rule} **Chosen:** {why} {convergence}"
    ),
    "fits": (
        "One row per fit behind the selection table: k, role (`stability`: a seed run on "
        "{fitted}; `held-out`: the fit on the training {unit}s), seed, iterations run "
        "(`n_iter`) against the cap (`max_iter`), whether the stopping rule ended the fit "
        "(`converged`), wall time (`seconds`: differs between reruns, unlike every other "
        "column) and the final training objective ({objective}). "
        "{convergence}"
    ),
    "adjusted": (
        "Difference in mean document share of each topic, each {group_by} group minus "
        "{reference} (documents count once; `share_group`, `share_reference`: the two mean "
        "shares; the differences and their intervals are shown in percentage points, pp, "
        "and kept as differences of shares, 0-1, in the CSV). `diff_pooled`: the raw "
        "difference of means; "
        "`diff_adjusted`: the group coefficient of an OLS regression of the document share "
        "on {adjusted_for}, so the difference is taken within the same genre and period. "
        "Standard errors cluster-robust by actor, 95% t intervals with (actors - 1) degrees "
        "of freedom (statsmodels; ordbruk.stats.adjusted); no interval when a side has "
        "fewer than {min_clusters} actors. {unstable_rule}"
    ),
    "words": (
        "The top {n_words} words of each topic of the reported model with their weight "
        "({weight_meaning}); the number after the topic is its stability (mean matched "
        "Jaccard across seeds). Grey, hatched: unstable topics, not to be interpreted."
    ),
    "stability": (
        "k = {k}: {n_seeds} fits with seeds {seeds}; the reported model is the run that agrees "
        "most with the others (seed {reported_seed}). Each other run's topics are matched "
        "one-to-one to the reported run's with the Hungarian algorithm (scipy "
        "linear_sum_assignment) maximising the Jaccard similarity of top-{n_top} word sets "
        "(Greene, O'Callaghan and Cunningham 2014). `stability_jaccard` is the mean matched "
        "similarity over the other runs, `jaccard_min` the worst run, `cosine_mean` the cosine "
        "of matched topic-word vectors. Topics with stability_jaccard below {threshold} are "
        "flagged `unstable` in every table, drawn grey in every figure, and not compared "
        "between groups in the adjusted comparison: do not interpret them."
    ),
    "terms": (
        "Top {n_top} terms per topic of the reported model (k = {k}, seed {reported_seed}: the "
        "run that agrees most with the others). `weight` is {weight_meaning}. Labels are the topic number and its three top terms, not an "
        "interpretation. {features}"
    ),
    "examples": (
        "The {n_examples} {unit}s with the highest share of each topic (ties: the longer "
        "{unit}), cleaned and redacted corpus text cut to {max_chars} characters. `unit_no` "
        "counts {unit}s within the document; `n_feature_tokens` is the {unit}'s modelled "
        "terms."
    ),
    "doc_topics": (
        "Share of each topic in each document. {aggregation} Documents without any modelled "
        "term are left out ({n_docs_out:,} of {n_docs:,})."
    ),
    "prevalence": (
        "Mean document-topic share per actor level and per year (each document counts "
        "once). {level_pct}% percentile bootstrap intervals from {n_boot:,} replicates that "
        "resample actors within the group (not documents: one actor's documents are not "
        "independent; ordbruk.stats.actors, one generator for all groups in table order); "
        "a group of one actor has no interval (empty cells), as there is no other actor to "
        "draw. Documents without a year or level form no group. "
        "Seed {seed}."
    ),
}


def convergence_sentence(fits, method: str, settings: dict) -> str:
    """Return the sentence on iterations and convergence of every fit, from ``Selection.fits``.

    Args:
        fits: one row per fit (``topics.select.FIT_COLUMNS``).
        method: "lda" or "nmf".
        settings: the fit settings (max_iter, evaluate_every, perp_tol, nmf_tol, ...).
    """
    n, cap = len(fits), int(fits["max_iter"].max())
    secs = f"mean {fits['seconds'].mean():.1f} s per fit, {fits['seconds'].sum():.0f} s in all"
    if method == "lda" and not settings.get("evaluate_every"):
        return (
            f"Convergence was not checked: each of the {n} LDA fits ran {cap} EM passes "
            f"(`evaluate_every` 0); {secs}."
        )
    rule = (
        f"the change in training perplexity between evaluations every "
        f"{settings.get('evaluate_every')} passes fell below {settings.get('perp_tol'):g}"
        if method == "lda"
        else f"scikit-learn's tolerance {settings.get('nmf_tol', 1e-4):g} was met"
    )
    n_conv = int(fits["converged"].astype(bool).sum())
    text = (
        f"{n_conv} of {n} fits converged ({rule}) within the cap of {cap} iterations "
        f"(iterations run: {int(fits['n_iter'].min())} to {int(fits['n_iter'].max())}); {secs}."
    )
    if n_conv < n:
        text += (
            f" **{n - n_conv} fits stopped at the cap without converging**: their topics may "
            "still change with more iterations (raise `max_iter`)."
        )
    return text


def adequacy_sentence(features, adequacy) -> str:
    """Return the one sentence that states the adequacy verdict on the modelled corpus.

    Args:
        features: the ``Features`` modelled.
        adequacy: from ``ordbruk.topics.select.corpus_adequacy``.

    Returns:
        "The modelled corpus is too small ... (4 paragraphs < 200; ...)." or "... above
        the minimum sizes."
    """
    if adequacy.descriptive_only:
        return (
            "The modelled corpus is too small for a meaningful topic model "
            f"({'; '.join(adequacy.shortfalls)})."
        )
    z = adequacy.sizes
    return (
        f"The modelled corpus has {z['n_units']:,} {features.unit}s, {z['n_terms']:,} feature "
        f"terms, {z['n_tokens']:,} modelled tokens, above the minimum sizes."
    )


def notes_context(features, adequacy, family_note: str, **params) -> dict:
    """Collect the values the notes need.

    Args:
        features: the ``Features`` modelled.
        adequacy: the verdict of ``ordbruk.topics.select.corpus_adequacy``.
        family_note: the sentence from ``families_lemma_map`` (or "").
        **params: method, seed, seeds, n_top, k, threshold, n_examples, max_chars,
            n_boot, n_train, n_test, why, n_docs, n_docs_out, ... as used by the templates.

    Returns:
        The context dictionary for ``topics_notes``.
    """
    s = features.settings
    feats = (
        f"Features: lemmas (simplemma), words only, {s['n_stopwords']} Swedish stop words "
        f"removed ({s.get('n_stop_removed', 0):,} tokens, by form or lemma)"
        + (
            f", place names too ({s['n_names_removed']:,} tokens: resources/names_sv.txt)"
            if s.get("n_names_removed") is not None
            else ""
        )
        + f", terms in at least {s['min_df']:g} and at most {s['max_df']:g} of the {features.unit}s "
        f"(count, or share when below 1): {features.X.shape[1]:,} terms, "
        f"{int(features.X.sum()):,} tokens in {features.X.shape[0]:,} {features.unit}s "
        f"({features.n_units_total - features.X.shape[0]:,} {features.unit}s without any "
        f"term dropped). {family_note}"
    ).strip()
    method = params.get("method", "lda")
    ctx = {
        "unit": features.unit,
        "n_units": features.X.shape[0],
        "features": feats,
        "adequate": not adequacy.descriptive_only,
        "why_small": adequacy_sentence(features, adequacy),
        "eps": NPMI_EPSILON,
        "method_name": "LDA (scikit-learn, variational Bayes)"
        if method == "lda"
        else "NMF (scikit-learn, tf-idf, random init)",
        "weight_meaning": "the term's probability in the topic"
        if method == "lda"
        else "the term's share of the topic's NMF weight (tf-idf input)",
        "aggregation": "Paragraph shares are averaged within the document, weighted by each "
        "paragraph's modelled tokens."
        if features.unit == "paragraph"
        else "The model's document-topic distribution.",
        "level_pct": round(100 * params.pop("ci_level", 0.95)),
    }
    ctx.update(params)
    return ctx


def topics_notes(kind: str, ctx: dict) -> str:
    """Return the method notes of one result ("selection", "stability", "terms", ...).

    Args:
        kind: a key of the templates.
        ctx: from ``notes_context``.

    Returns:
        Markdown; prefixed with the too-small warning when the corpus is not adequate.
    """
    text = _TEMPLATES[kind].format(**ctx)
    if kind in ("selection", "stability"):
        text += " " + ctx["features"]
    return _adequacy_prefixed(text, ctx)


def _adequacy_prefixed(text: str, ctx: dict) -> str:
    # Below the adequacy threshold every note starts with the same warning.
    # (a paragraph of its own, so that the report shows it once per section)
    return text if ctx["adequate"] else f"**Descriptive only.** {ctx['why_small']}\n\n{text}"


def adequacy_prose(features, n_docs: int, adequacy) -> str:
    """Return the report's opening sentence on what was modelled and whether it suffices.

    Args:
        features: the ``Features`` modelled.
        n_docs: documents in the corpus.
        adequacy: the verdict of ``ordbruk.topics.select.corpus_adequacy``.

    Returns:
        Markdown; says plainly that results are descriptive only when not adequate.
    """
    text = (
        f"Modelled: {features.X.shape[0]:,} {features.unit}s of {n_docs:,} documents, "
        f"{features.X.shape[1]:,} terms, {int(features.X.sum()):,} tokens. "
        + adequacy_sentence(features, adequacy)
    )
    if adequacy.descriptive_only:
        text += (
            " **The topics below are descriptive only: they show what the method produces on "
            "this input, not themes of the discourse. Do not interpret them.**"
        )
    return text


def stability_prose(stab, k: int, threshold: float) -> str:
    """Return the sentence on how many topics are unstable, from ``topics_stability``."""
    n_unstable = int(stab["unstable"].sum())
    return (
        f"{n_unstable} of {k} topics are unstable (mean matched Jaccard below "
        f"{threshold}); mean stability {stab['stability_jaccard'].mean():.2f}."
    )


def choice_prose(choice) -> str:
    """Return the report's sentence on the chosen k, with its warnings in bold."""
    return " ".join(
        [f"**Chosen k.** {choice.why}"] + [f"**Warning:** {w}" for w in choice.warnings]
    )


def selection_context(
    sel, choice, method: str, fit_kw: dict, min_stable: float, unit: str = "document",
    seed: int = 0,
) -> dict:  # fmt: skip
    """Return the notes' values from a ``Selection`` and its ``Choice``.

    Args:
        sel: ``topics.select.Selection``.
        choice: ``topics.select.Choice``.
        method: "lda" or "nmf" (the method fitted).
        fit_kw: the fit settings (max_iter, evaluate_every, perp_tol, nmf_tol, ...).
        min_stable: the rule's share of stable topics.
        unit: the modelled unit ("document" or "paragraph").
        seed: the study seed (it draws the sample of a large corpus).
    """
    g = sel.grid
    k_row = g[g["k"] == choice.k]
    if sel.sample is None:
        fitted, sample_note = f"all {sel.n_units:,} {unit}s", ""
    else:
        fitted = f"a random sample of {len(sel.sample):,} of the {sel.n_units:,} {unit}s"
        sample_note = (
            f" The corpus has more {unit}s than `fit_max_units` ({len(sel.sample):,}), so every "
            f"fit, score and split of this table uses that sample (drawn with seed {seed}); the "
            f"topic shares of every {unit} come from the reported model of the chosen k, "
            f"inferred in runs of {SHARES_CHUNK:,} {unit}s in order: the same shares on every "
            "engine, but NMF's stopping test covers a whole run, so a share can differ in the "
            "fifth decimal from one inferred in another run. On the 67,681 documents of "
            "policy-sv-bulk, a sample of 20,000 gave topics (top 10 words) as close to a fit on "
            "all documents as two seeds on all documents are to each other "
            "(benchmarks/bench_topics_sample.py)."
        )
    return {
        "fitted": fitted,
        "sample_note": sample_note,
        "k": choice.k,
        "why": choice.why,
        "n_train": int(g["n_train_units"].iloc[0]),
        "n_test": int(g["n_test_units"].iloc[0]),
        "n_heldout_tokens": int(g["n_heldout_tokens"].iloc[0]),
        "reported_seed": int(k_row["reported_seed"].iloc[0]) if len(k_row) else -1,
        "rule": (
            f"the most coherent k (mean NPMI) among those with at least {min_stable:.0%} stable "
            "topics (`min_stable_share`); when none has, the k with the most stable topics; "
            "held-out perplexity is shown, not used (it favours more topics than readers find "
            "coherent: Chang et al. 2009)."
        ),
        "heldout_method": (
            "LDA: topic-word rows are the posterior mean topic-word distributions."
            if method == "lda"
            else "NMF is not a probability model: its normalised factors are read as one, each "
            f"topic mixed with the training term distribution (weight {NMF_SMOOTHING:g}) so "
            "that no scored word has probability 0 (ordbruk.topics.heldout); compare across "
            "k, not with LDA figures."
        ),
        "convergence": convergence_sentence(sel.fits, method, fit_kw),
        "objective": "LDA: the training perplexity bound"
        if method == "lda"
        else "NMF: the Frobenius reconstruction error of the tf-idf matrix",
    }


def provenance_prose(method: str, k: int, seeds, unit: str, cache_hit) -> str:
    """Return the closing sentence: method, k, seeds, unit and whether the cache was hit."""
    return (
        f"Method {method}, k = {k}, seeds {', '.join(map(str, seeds))}, unit {unit}, "
        f"corpus cache {'hit' if cache_hit else 'miss'}."
    )


def adjusted_notes(adj, design, compare_unstable: bool, ctx: dict) -> str:
    """Return the notes of the level comparison adjusted for genre (``prevalence_adjusted``).

    Args:
        adj: the table.
        design: the ``stats.design.Composition`` of actor_level by the stratum column.
        compare_unstable: whether unstable topics are drawn in the figure.
        ctx: from ``notes_context`` (for the too-small warning).
    """
    ref = str(adj["reference"].iloc[0]) if len(adj) else "the largest group"
    text = _TEMPLATES["adjusted"].format(
        group_by=md_escape(design.group_by), reference=md_escape(ref),
        adjusted_for=md_escape(adj["adjusted_for"].iloc[0] if len(adj) else "group + period"),
        min_clusters=MIN_CLUSTERS,
        unstable_rule="Unstable topics (`unstable` in the table) are not compared: the figure "
        "draws them grey, below the others." if not compare_unstable
        else "Unstable topics are drawn among the others (`compare_unstable`): read them with care.",
    )  # fmt: skip
    if design.flagged:
        text += (
            f" The {md_escape(design.group_by)} groups differ in their "
            f"{md_escape(design.strata)} mix (design check "
            "above): read the adjusted differences, not the pooled ones or the heat map."
        )
    return _adequacy_prefixed(text, ctx)


def standardised_result(strata: str, ctx: dict) -> dict[str, str]:
    """Return the title and note of the genre-standardised topic trends table."""
    title = f"Mean topic share by year, standardised to the corpus's {strata or 'genre'} mix"
    name = md_escape(strata or "genre")  # in the notes (Markdown)
    return {
        "title": title,
        "notes": (
            f"`share_mean`: the mean share per year, as in the trends figure. "
            f"`share_standardised`: the mean share of each {name} in that year weighted by "
            f"the {name}'s share of all modelled documents (direct standardisation), so a "
            f"topic does not rise in a year only because the year holds more of the {name} "
            f"that carries it. {name.capitalize()}s absent from a year are left out and the "
            "other weights rescaled (`coverage`). `mix_distance`: total variation distance "
            "between the year's document mix and the corpus's; **`mix_far`** (>= 0.5) marks "
            "years whose composition is far from the rest, where neither figure compares "
            "like with like." + ("" if strata else " No stratum column: nothing was standardised.")
        ),
    }
