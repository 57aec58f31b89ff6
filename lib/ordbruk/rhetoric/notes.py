"""Method notes and prose of the rhetoric-comparison notebook, built from computed values.

Each table and figure of ``03_rhetoric_comparison`` carries a note naming the statistic, its
source, the correction, the thresholds and the seeds. The notes live here, beside keyness,
Fightin' Words and the markers, and take every setting as an argument, so the notebook
only says which note goes where. ``small`` is the adequacy policy's sentence on what makes
a comparison descriptive only (``ordbruk.stats.groups``).
"""

from __future__ import annotations

from ordbruk.escape import Md, md_code, md_escape, md_format
from ordbruk.numbers import count_format
from ordbruk.rhetoric.key_results import rhetoric_results, rhetoric_summary, rhetoric_title  # noqa: F401 (re-exported)
from ordbruk.stats.groups import adequacy_reasons

# Measured on a hand-coded sample of policy-sv (tests/fixtures/quotes_coded_policy_sv.csv:
# 70 documents, seeded and stratified by doc_type; every true quote and its speaker coded by
# reading the documents). The test of that sample checks these figures; update both together.
QUOTES_VALIDATION = {
    "n_documents": 70,
    "n_coded": 64,
    "n_extracted": 52,
    "n_correct": 52,
    "precision": 1.0,
    "recall": 0.81,
    "genres": "pressmeddelanden 35, artiklar 19, debattartiklar 8, tal 2",
}
_QV = QUOTES_VALIDATION
_QUOTE_QUALITY = (
    f"Measured (on raw texts) on a hand-coded sample of policy-sv ({_QV['n_documents']} documents drawn by "
    f"a seeded sample stratified by doc_type; {_QV['n_coded']} true quote-speaker pairs: "
    f"{_QV['genres']}): precision {_QV['precision']:.2f} ({_QV['n_correct']} of "
    f"{_QV['n_extracted']} rows right), recall {_QV['recall']:.2f}. A quote is text marked "
    "as a named person's words by a dash, quotation marks or an attribution verb (op-ed leads "
    '"..., skriver X" included; unmarked interview answers and organisations as authors '
    "not); a row is right when the quote is real and the speaker is the person coded. Missed "
    "most: interview answers after a question, several authors of an op-ed, quotes introduced "
    'in narrative ("hon uttalade: ...").'
)

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

#: The notebook parameters the templates name (the notebook passes their values).
SETTINGS = (
    "group_by", "token_level", "drop_stopwords", "seed", "min_freq", "top_n", "log_ratio_min",
    "p_max", "plot_n", "fw_prior", "fw_prior_size", "fw_label_n", "ci_level", "n_boot",
    "min_actors",
)  # fmt: skip

# result name -> (title, note); both are format strings over the settings and values.
_NOTES = {
    "comparisons": (
        "Comparisons by {group_by}",
        "Groups from `{group_by}`: every pair, and each group against the rest when 3+. {small}",
    ),
    "keyness": ("Keyness of every tested term, per comparison, pooled over genres", _KEYNESS),
    "keywords_top": (
        "Top {top_n} keywords each way per comparison, pooled over genres",
        _KEYNESS + " Top {top_n} each way by |G2| among terms with |Log Ratio| >= {log_ratio_min}; "
        "direction: the group that uses the term more. **passes** (the one rule, used by the "
        "bar charts and the index count too): p_adj_bh <= {p_max} (`passes_test`), the "
        "comparison is not descriptive only, the actor-bootstrap interval of the difference "
        "excludes 0 on the term's side (`ci_excludes_0`, see keyness_actors), and at least "
        "{min_actors} actors of that side use it (`n_actors_using`), and it is not key the other "
        "way inside a genre (`consistent`; when the design warns that the groups differ in "
        "genre, it must be key the same way inside every genre that can test it).",
    ),
    "keywords_top_figure": (
        "Top keywords each way (Log Ratio)",
        "Log Ratio of the top {plot_n} terms each way by G2 (the table above), drawn in the "
        "order of their Log Ratio; blue = more in the first group, orange = more in the "
        "second; pale bars do not pass (the rule of the table above); six comparisons a "
        "figure. {small}",
    ),
    "fightin_words": ("Fightin' Words per comparison, pooled over genres", _FIGHTIN),
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
        "role (`resources/organisations.yaml`). A speaker must look like a person (no "
        'all-capitals word: "Posten AB", "SVT Nyheter"); a phrase after the name that cannot '
        "open a role is no role. Genres without quotation conventions are not searched "
        "(`quote_skip_doc_types`: {quote_skip}; see the table of quotes by genre). "
        + _QUOTE_QUALITY.replace("{", "{{").replace("}", "}}"),
    ),
    "quotes_genres": (
        "Quotes by genre",
        "Documents, documents with quotes and distinct quotes per genre (doc_type); searched "
        "= False: the genre is in `quote_skip_doc_types` ({quote_skip}) and was not searched, "
        "because its texts (OCR'd interpellations, debate speeches) have no press convention "
        "of quotation and the patterns found OCR noise and cited organisations there. The "
        "quotes describe the genres they come from, not the corpus.",
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
    values.setdefault("small", Md(""))  # Markdown: stats.groups.adequacy_rule
    values.setdefault("quote_skip", "none")  # set by quotes_result
    stop = "removed" if values.get("drop_stopwords") else "kept"
    if values.get("drop_stopwords") and values.get("n_stop_removed") is not None:
        stop += f" ({values['n_stop_removed']:,} tokens, by form or lemma)"
    if values.get("n_names_removed") is not None:
        stop += (
            f"; place names left out too ({values['n_names_removed']:,} tokens: the "
            "municipalities, counties and provinces of `resources/names_sv.txt`, since a "
            "comparison of kinds of actor would otherwise find the places each writes about)"
        )
    values["stop"] = Md(stop)
    if "ci_level" in values:
        values["ci_pct"] = f"{values['ci_level']:.0%}"
    if "fw_prior" in values:
        values["prior_name"] = _PRIORS.get(values["fw_prior"], values["fw_prior"])
    title, notes = _NOTES[kind]
    # Values are escaped in the notes (Markdown), not in the title (plain text).
    return {"title": title.format(**values), "notes": md_format(notes, **values)}


def quotes_result(kind: str, skip_doc_types) -> dict[str, str]:
    """Return the title and note of the quotes table or the quotes-by-genre table.

    Args:
        kind: "quotes" or "quotes_genres".
        skip_doc_types: the genres not searched (notebook parameter ``quote_skip_doc_types``).

    Returns:
        ``{"title": ..., "notes": ...}`` for ``Recorder.table``.
    """
    skip = ", ".join(skip_doc_types or ()) or "none"
    return rhetoric_result(kind, quote_skip=skip)


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
    reasons = md_escape(adequacy_reasons(sizes))
    verdict = (
        f"**{count_format(n_descriptive)} of them are descriptive only** ({reasons}). {small}"
        if n_descriptive
        else "none is too small."
    )
    return (
        f"{count_format(n_comparisons)} comparisons over {count_format(n_documents)} "
        f"documents; {verdict}"
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
        f"Corpus cache key {md_code(cache_key)}; bootstrap seed {seed}; groups from "
        f"{md_code(group_by)}; terms at the {md_escape(token_level)} level; Fightin' Words "
        f"prior: {md_escape(fw_prior)} (alpha_0 = "
        f"{fw_prior_size:g})."
    )


def within_result(sizes, within, strata: str, values: dict) -> dict[str, str]:
    """Return the title and note of the within-genre keyness record (``rhetoric.strata``).

    Args:
        sizes: the adequacy record of every within-stratum comparison tried.
        within: the keyness rows of the adequate ones.
        strata: the stratum column ("" when the corpus has none).
        values: the notebook's settings (``p_max``, ``log_ratio_min``, ``small``).
    """
    if not strata:
        return {
            "title": "Keyness within genres: not run",
            "notes": "No stratum (genre) column: keyness is pooled over whatever genres the "
            "corpus holds; set `strata` to compare within genres.",
        }
    ok = sizes[~sizes["descriptive_only"].astype(bool)] if len(sizes) else sizes
    e = md_escape
    made = (
        "; ".join(f"{e(r.group_a)} vs {e(r.group_b)} in {e(r.stratum)}" for r in ok.itertuples())
        or "none"
    )
    title = f"Keyness within each {strata} (comparisons large enough inside one {strata})"
    strata = e(strata)  # from here on in Markdown
    return {
        "title": title,
        "notes": (
            f"Every comparison was run again inside each {strata} that both sides write: "
            f"{len(sizes)} within-{strata} comparisons, {len(ok)} of them large enough by the "
            f"same adequacy rule as the pooled ones ({values.get('small', '')}): {made}. This "
            "table has their keyness rows, columns as in the pooled keyness, and `fw_z`, the "
            "term's Fightin' Words z inside the genre (prior as for the pooled one). In "
            "`keywords_top`, "
            f"`consistent` says whether a pooled key term is key (p_adj_bh <= {values['p_max']}, "
            f"|Log Ratio| >= {values['log_ratio_min']}) the same way in every adequate {strata} "
            "that tests it (`n_strata_tested`, `n_strata_key`); empty where no adequate "
            f"{strata} tests it. A pooled key term that is not consistent describes the genre "
            "mix. The pooled tables above are pooled over genres."
        ),
    }
