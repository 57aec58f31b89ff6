"""Method notes for the topic-model notebook's tables and figures, built from computed values.

Each result of ``04_topic_model`` carries notes saying what was modelled, how, with which
seeds and thresholds. The notes are assembled here from one context dictionary (sizes,
parameters, the adequacy verdict), so the notebook stays thin and every number in them is
computed, never retyped. When the corpus is below the adequacy threshold every note
starts with the same warning.
"""

from __future__ import annotations

from ordbruk.topics.coherence import NPMI_EPSILON

_TEMPLATES = {
    "selection": (
        "One {method_name} model per k in the grid, fitted on {n_train:,} of {n_units:,} "
        "{unit}s (seed {seed}); {n_test:,} {unit}s held out at random for perplexity (LDA "
        "only: scikit-learn's variational bound; lower is better). Coherence on all modelled "
        "{unit}s from each topic's top {n_top} words: NPMI (Bouma 2009; c_npmi of Röder et "
        "al. 2015) with {unit} co-occurrence and epsilon {eps:g}, mean over word pairs and "
        "topics (higher is better, range -1 to 1); UMass (Mimno et al. 2011) with +1 "
        "smoothing, mean over rank-ordered pairs (closer to 0 is better). `npmi_min` is the "
        "least coherent topic. Chosen: {why}"
    ),
    "stability": (
        "k = {k} refitted with {n_seeds} seeds ({seeds}); run 1 (seed {seed}) is the reported "
        "model. Each other run's topics are matched one-to-one to run 1's with the Hungarian "
        "algorithm (scipy linear_sum_assignment) maximising the Jaccard similarity of top-"
        "{n_top} word sets (Greene, O'Callaghan and Cunningham 2014). `stability_jaccard` is "
        "the mean matched similarity over the other runs, `jaccard_min` the worst run, "
        "`cosine_mean` the cosine of matched topic-word vectors. Topics with "
        "stability_jaccard below {threshold} are flagged `unstable` here and in every other "
        "table and figure: do not interpret them."
    ),
    "terms": (
        "Top {n_top} terms per topic of the reported model (k = {k}, seed {seed}). `weight` is "
        "{weight_meaning}. Labels are the topic number and its three top terms, not an "
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
    if not ctx["adequate"]:
        text = f"**Descriptive only.** {ctx['why_small']} {text}"
    return text


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


def topics_summary(method: str, k: int, k_fixed: bool, n_unstable: int, adequacy) -> str:
    """Return the one-line summary for the index page: model, k, unstable topics, adequacy."""
    return (
        f"{method.upper()}, k = {k} ({'fixed' if k_fixed else 'highest NPMI'}); "
        f"{n_unstable} of {k} topics unstable"
        + ("; corpus too small: descriptive only" if adequacy.descriptive_only else "")
    )


def provenance_prose(method: str, k: int, seeds, unit: str, cache_hit) -> str:
    """Return the closing sentence: method, k, seeds, unit and whether the cache was hit."""
    return (
        f"Method {method}, k = {k}, seeds {', '.join(map(str, seeds))}, unit {unit}, "
        f"corpus cache {'hit' if cache_hit else 'miss'}."
    )


def standardised_result(strata: str, ctx: dict) -> dict[str, str]:
    """Return the title and note of the genre-standardised topic trends table."""
    name = strata or "genre"
    return {
        "title": f"Mean topic share by year, standardised to the corpus's {name} mix",
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
