"""Method notes and prose of the rhetoric-comparison notebook, built from computed values.

Each table and figure of ``03_rhetoric_comparison`` carries a note naming the statistic, its
source, the correction, the thresholds and the seeds. The notes live here, beside keyness,
Fightin' Words and the markers, and take every setting as an argument, so the notebook
only says which note goes where. ``small`` is the adequacy policy's sentence on what makes
a comparison descriptive only (``ordbruk.stats.groups``).
"""

from __future__ import annotations

from ordbruk.stats.groups import adequacy_reasons

_KEYNESS = (
    "Counts of {token_level}s (words only; stop words {stop}); a, b = "
    "counts in group_a and group_b, c, d = their total tokens. G2: two-term log-likelihood "
    "(Rayson and Garside 2000), signed (+ = more in group_a), p from chi-square, 1 df; "
    "p_adj_bh: Benjamini-Hochberg within each comparison; terms with a + b < {min_freq} not "
    "tested. log_ratio: Log Ratio (Hardie 2014); pct_diff: %DIFF; a zero count is replaced by "
    "0.5 in both. {small}"
)

_MARKERS = (
    "Per document: LIX, mean sentence length (words), MTLD, MATTR (`ordbruk.stats.readability`); "
    "per 10,000 word tokens: first-person plural, obligation and possibility modals "
    "(`resources/markers.yaml`), framing categories (`resources/framing.yaml`); "
    "obligation_share = obligation / (obligation + possibility); quote_share = share of "
    "characters in direct quotes. Group value: mean over documents, {ci_pct} bootstrap "
    "interval from {n_boot} resamples of actors (seed {seed}). {small}"
)

_FIGHTIN = (
    "Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008), "
    "prior from {prior_name}, alpha_0 = {fw_prior_size:g}; delta, var, z per term (z > 0: "
    "more in group_a); a, b, c, d as in keyness (stop words {stop}); terms with a + b >= "
    "{min_freq}. {small}"
)

# result name -> (title, note); both are format strings over the settings and values.
_NOTES = {
    "comparisons": (
        "Comparisons by {group_by}",
        "Groups from `{group_by}`: every pair, and each group against the rest when 3+. {small}",
    ),
    "keyness": ("Keyness of every tested term, per comparison", _KEYNESS),
    "keywords_top": (
        "Top {top_n} keywords each way per comparison",
        _KEYNESS + " Top {top_n} each way by |G2| among terms with |Log Ratio| >= {log_ratio_min}; "
        "direction: the group that uses the term more. **passes** (the one rule, used by the "
        "bar charts and the index count too): p_adj_bh <= {p_max} (`passes_test`), the "
        "comparison is not descriptive only, the actor-bootstrap interval of the difference "
        "excludes 0 on the term's side (`ci_excludes_0`, see keyness_actors), and at least "
        "{min_actors} actors of that side use it (`n_actors_using`).",
    ),
    "keywords_top_figure": (
        "Top keywords each way (Log Ratio)",
        "Log Ratio of the top {plot_n} terms each way; blue = more in the first group, orange "
        "= more in the second; pale bars do not pass (the rule of the table above). {small}",
    ),
    "fightin_words": ("Fightin' Words per comparison", _FIGHTIN),
    "fightin_words_figure": (
        "Fightin' Words: {group_a} vs {group_b}",
        _FIGHTIN + " Labelled: the {fw_label_n} largest |z| each way; dashed lines at |z| = 1.96.",
    ),
    "keyness_actors": (
        "Key terms at the level of actors",
        "Per top keyword (counted as in keyness, stop words {stop}): actors per group and how "
        "many use it; top_actor_share = share of the "
        "group's uses from its most prolific actor; frequencies per 10,000 tokens; "
        "diff_per_10k = a minus b with a {ci_pct} percentile bootstrap interval from "
        "{n_boot} resamples of actors within each group (seed {seed}). An interval including "
        "0, or a term used by one actor, is no difference between kinds of actors. {small}",
    ),
    "quotes": (
        "Direct quotes and their speakers",
        'Direct quotes found by the press-text patterns of `ordbruk.rhetoric.quotes` ("– ..., '
        'säger Namn, roll vid Organisation"; quotes over several paragraphs joined); one row '
        "per quote and speaker. speaker_level is inferred from the organisation, else the "
        "role (`resources/organisations.yaml`).",
    ),
    "quotes_levels": (
        "Publisher level against quoted speaker level",
        "Quote-speaker rows per level of the publishing actor and of the quoted speaker.",
    ),
    "rhetoric_markers": ("Rhetorical markers by group", _MARKERS),
    "rhetoric_markers_docs": ("Rhetorical markers per document", _MARKERS),
    "rhetoric_markers_figure": (
        "Rhetorical markers by {group_by}",
        _MARKERS + " Hollow: descriptive only.",
    ),
    "rhetoric_markers_speakers": (
        "Markers of quoted speech: speaker vs publisher level",
        _MARKERS + " Each document here is one quote (once per speaker level), grouped by the "
        "quoted speaker's level and, for the same quotes, by the publisher's level; actors = "
        "speakers.",
    ),
    "framing_forms": (
        "Framing dictionary matches",
        "Every word form counted for a framing category, with its corpus count (edit: "
        "`framing_path`).",
    ),
}

_PRIORS = {"corpus": "the whole corpus", "wordfreq": "wordfreq (general Swedish)"}


def rhetoric_result(kind: str, **values) -> dict[str, str]:
    """Return the title and method note of one table or figure of the rhetoric notebook.

    Args:
        kind: a key of the templates ("keyness", "fightin_words", "rhetoric_markers", ...);
            a figure shown beside a table of the same name is "<name>_figure".
        **values: the settings the templates name; ``small`` defaults to "";
            ``drop_stopwords`` and ``n_stop_removed`` fill ``stop``, ``ci_level`` fills ``ci_pct`` and
            ``fw_prior`` fills ``prior_name``.

    Returns:
        ``{"title": ..., "notes": ...}``, the keyword arguments of ``Recorder.table`` and
        ``Recorder.figure``.
    """
    values.setdefault("small", "")
    values["stop"] = "removed" if values.get("drop_stopwords") else "kept"
    if values.get("drop_stopwords") and values.get("n_stop_removed") is not None:
        values["stop"] += f" ({values['n_stop_removed']:,} tokens, by form or lemma)"
    if values.get("n_names_removed") is not None:
        values["stop"] += (
            f"; place names left out too ({values['n_names_removed']:,} tokens: the "
            "municipalities, counties and provinces of `resources/names_sv.txt`, since a "
            "comparison of kinds of actor would otherwise find the places each writes about)"
        )
    if "ci_level" in values:
        values["ci_pct"] = f"{values['ci_level']:.0%}"
    if "fw_prior" in values:
        values["prior_name"] = _PRIORS.get(values["fw_prior"], values["fw_prior"])
    title, notes = _NOTES[kind]
    return {"title": title.format(**values), "notes": notes.format(**values)}


def comparisons_prose(n_comparisons: int, n_documents: int, sizes, small: str) -> str:
    """Return the sentence on how many comparisons were made and how many are too small.

    Args:
        n_comparisons: comparisons made.
        n_documents: documents in the corpus.
        sizes: ``stats.groups.comparisons_adequacy``, the adequacy record of the comparisons.
        small: ``stats.groups.adequacy_rule``, the rule itself.

    Returns:
        Markdown.
    """
    n_descriptive = int(sizes["descriptive_only"].sum())
    reasons = adequacy_reasons(sizes)
    verdict = (
        f"**{n_descriptive} of them are descriptive only** ({reasons}). {small}"
        if n_descriptive
        else "none is too small."
    )
    return f"{n_comparisons} comparisons over {n_documents} documents; {verdict}"


def rhetoric_summary(group_by: str, adequacy: str, n_pass: int, agree: dict) -> str:
    """Return the one-line summary for the index page.

    Args:
        group_by: the grouping column.
        adequacy: ``stats.groups.adequacy_summary`` of the comparisons.
        n_pass: key terms that pass in comparisons that are not descriptive only.
        agree: the quote summary of ``quotes.levels_compare``.

    Returns:
        One line of text.
    """
    return (
        f"Comparisons by {group_by}: {adequacy}; {n_pass} key terms pass "
        f"in non-descriptive comparisons; {agree['n_quotes']} quotes, {agree['n_differ']} by a "
        "speaker of another level than the publisher"
    )


def provenance_prose(cache_key: str, **values) -> str:
    """Return the closing sentence: cache key, seed, grouping, token level and prior.

    Args:
        cache_key: the key of the prepared corpus.
        **values: the notebook's settings (``seed``, ``group_by``, ``token_level``,
            ``fw_prior``, ``fw_prior_size``; others are ignored).
    """
    seed, group_by, token_level = values["seed"], values["group_by"], values["token_level"]
    fw_prior, fw_prior_size = values["fw_prior"], values["fw_prior_size"]
    return (
        f"Corpus cache key `{cache_key}`; bootstrap seed {seed}; groups from `{group_by}`; "
        f"terms at the {token_level} level; Fightin' Words prior: {fw_prior} (alpha_0 = "
        f"{fw_prior_size:g})."
    )
