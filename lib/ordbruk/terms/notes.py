"""Method notes and prose of the term-frequency notebook, built from computed values.

Each table and figure of ``02_term_frequency`` carries a note saying what was counted, how
it was normalised and what was left out. The notes live here, beside the counting code, and
take every number and setting as an argument from the values that made the choice, so the
notebook only says which note goes where. ``caveat`` is the adequacy verdict's sentence
(empty when the corpus is large enough to compare groups and years).
"""

from __future__ import annotations

import pandas as pd

from ordbruk.escape import Md, md_code, md_escape, md_format
from ordbruk.paths import path_report
from ordbruk.terms.key_results import terms_results, terms_summary, terms_title  # noqa: F401 (re-exported)

_DP = (
    "`dp_docs` / `dp_actors`: Gries' DP (2008) over the documents / actors of the row, "
    "part sizes in tokens: 0 = spread in proportion to text size, near 1 = concentrated in "
    "one part; empty when there are no uses. `n_docs_with_term` and `n_actors_with_term` "
    "show whether a figure rests on many writers or on one prolific actor."
)

_TRENDS = (
    "Uses per 10,000 tokens per year and {group_by}; `n_docs`: documents behind the point. "
    "Points resting on fewer than {min_docs_per_point} documents are flagged `sparse` and "
    "drawn hollow; documents without a year are left out. Year is taken from `date` at "
    "whatever precision it has. `ci_low`/`ci_high`: {ci_pct}% percentile interval of the rate "
    "over {n_boot} resamples of the point's actors (seed {seed}); empty where a point rests "
    "on one actor.{caveat}"
)

_KWIC = (
    "Context: {kwic_width} characters each side of the match, cut to whole words, from the "
    "cleaned text with contact data redacted. `left_word` / `right_word`: the neighbouring "
    "tokens; the full table (`tables/kwic.csv`) is sorted by the {kwic_sort_by} word and "
    "includes masked mentions (`masked`)."
)

_COLLOCATES = (
    "Words within {window} tokens left or right of a use (the use itself excluded), windows "
    "kept inside one {unit}. O: observed co-occurrences; E = f(node) × f(collocate) × "
    "{span} / N, N = all tokens of the group; MI = log2(O/E); t = (O − E)/√O; "
    "logDice = 14 + log2(2O / (f(node) + f(collocate))); log-likelihood: Dunning's G2 on "
    "the 2×2 table of window slots. Only collocates with O ≥ "
    "{min_collocate_count}{stop}. Top {collocates_top_n} per family and group by "
    "log-likelihood in the report; every row in `tables/collocates.csv`. MI favours rare "
    "words: read it with O.{caveat}"
)

#: The notebook parameters the templates name (the notebook passes their values).
SETTINGS = (
    "unit", "group_by", "min_docs_per_point", "seed", "kwic_width", "kwic_sort_by",
    "kwic_sample_size", "window", "min_collocate_count", "collocates_top_n", "drop_stopwords",
    "n_boot",
)  # fmt: skip

# result name -> (title, note); both are format strings over the settings and values.
_NOTES = {
    "term_forms": (
        "Word forms counted in each family",
        "One row per family and lowercased form or phrase found in the corpus. `rule`: how the form was admitted (form = listed whole-word form; stem = stem plus an inflectional ending; lemma = a form the corpus's lemma table gives the plain word's lemma, which its stem does not reach (bostäder for bostad); prefix/suffix/infix_compound = the stem, or a lemma form, first, last or inside a compound, with an optional linking -s or hyphen; phrase = multi-word pattern); `admitted_by` groups it as form, include, stem, lemma, compound or phrase. When several rules apply the first of excluded, form, include, stem, lemma, compound names the form, so every `lemma` row is a form only the lemma table brought in. The lemma route is for plain words only (a family name not in `term_families.yaml`, or rules `null`); it skips stop words and forms not starting with the word's first letter, so a homograph lemma (ska as `skola`) adds no function word. `count`: uses; `masked_count`: occurrences inside a masked name (organisations, offices, named programmes), not counted as uses; `n_docs`: documents with at least one use. Excluded forms and the masks are listed in `term_families.yaml`.",
    ),
    "term_counts": (
        "Uses of each family per {unit}",
        "One row per {unit} and family, zeros included. `count`: uses (masked names excluded); `masked_count`: mentions inside masked names; `n_tokens`: all word and number tokens of the {unit} (punctuation is not a token; stop words are kept); `freq_per_10k` = 10,000 × count / n_tokens.",
    ),
    "term_totals": ("Uses per family in the whole corpus", _DP),
    "term_counts_by": (
        "Uses per family by {column}",
        "Sums over the documents of each {column}; `freq_per_10k` = 10,000 × count / n_tokens of the group. `dp_docs` / `dp_actors`: Gries' DP (2008) over the documents / actors of the row, part sizes in tokens: 0 = spread in proportion to text size, near 1 = concentrated in one part; empty when there are no uses. `n_docs_with_term` and `n_actors_with_term` show whether a figure rests on many writers or on one prolific actor.{caveat}",
    ),
    "term_trends": ("Uses per year and {group_by}", _TRENDS),
    "term_trends_standardised": (
        "Uses per year and {group_by}, standardised to the corpus's {strata_name} mix",
        "Beside the raw rate (`freq_per_10k`, as in the trends above), `freq_per_10k_standardised` weights each {strata_name}'s rate in that year and group by the {strata_name}'s share of all tokens of the corpus analysed (direct standardisation), so a year that holds more of one genre does not move for that reason alone. Genres absent from a year and group are left out and the other weights rescaled (`coverage`: the share of the corpus mix that remained). `mix_distance`: total variation distance between the year's token mix and the corpus's; **`mix_far`** (>= 0.5) marks years whose composition is far from the rest, where neither figure compares like with like.{caveat}",
    ),
    "rates_by_stratum": (
        "Uses per family by {group_by} within each {strata_name}",
        "Like with like: uses per 10,000 tokens of each {group_by} group inside each {strata_name}, so a group is compared with another on the same kind of text; the rows with stratum `(all)` are the group pooled over {strata_name}s, with the same kind of interval. `n_actors`: distinct actors (a document without an actor is its own). `ci_low`/`ci_high`: {ci_pct}% percentile interval of the rate over {n_boot} resamples of the cell's actors (the one bootstrap over actors, seed {seed}); empty where the cell rests on one actor, since resampling one actor says nothing about variation between actors.{caveat}",
    ),
    "rate_ratios": (
        "Rate ratios by {group_by}: pooled over genres, and adjusted for {adjusted}",
        "Each group against `reference`. `ratio_pooled`: its rate over the reference's, all documents pooled, as the frequency tables show it. `ratio_adjusted`: the group effect of a Poisson regression of each document's uses with log(tokens) as offset and {adjusted} as covariates (statsmodels GLM), i.e. the ratio within the same {strata_name} and period; documents of a {strata_name} or period without a single use are left out of that fit (their fixed effect would be minus infinity), and the contrast is identified by the {strata_name}s both sides write (`n_strata_shared`; `n_docs_adjusted`: the documents of both sides there). Intervals: 95% Wald with t on (actors − 1) degrees of freedom, standard errors clustered by actor (robust to over-dispersion: the quasi-Poisson reading); no adjusted interval when a side has fewer than 5 actors in the shared {strata_name}s. `note` says why a figure is missing (fewer than 5 actors on a side, no use on a side, no shared {strata_name}, a fit that failed). Where pooled and adjusted disagree, the pooled figure describes the genre mix, not the groups.{caveat}",
    ),
    "term_trends_figure": (
        "Uses per 10,000 tokens per year, by {group_by}",
        _TRENDS
        + " Lines join only the solid points and break at missing years; a sparse point above the highest solid point is drawn at the top edge as a hollow triangle (its value is in `tables/term_trends.csv`). The bottom panel shows the documents per year (log scale).",
    ),
    "kwic": ("Keyword in context: every use and masked mention", _KWIC),
    "kwic_sample": (
        "Keyword in context: up to {kwic_sample_size} random uses per family",
        _KWIC + " Sample drawn with numpy's default_rng({seed}), uses only, ordered by date.",
    ),
    "kwic_coding": (
        "Uses to hand-code for precision: up to {kwic_coding_size} per family and {group_by}",
        "{n_lines} uses (masked mentions left out), up to {kwic_coding_size} per family and {group_by} group, drawn with numpy's default_rng({seed}). **How to code:** copy `tables/kwic_coding.csv` outside the repository, read each line and write in `relevant` 1 (or yes) when the match means the family's concept, 0 (or no) when it does not (another sense, a name, part of another word); leave it blank when you cannot tell (blank = uncoded). Keep `line_id` (`family|doc_id|token_pos`, token_pos = the match's first token in its document) and `match` as they are; other columns are for reading. Name the copy in the study's params (`notebooks: 02_term_frequency: kwic_coded: <path>`) and run again: the report then shows precision per family and group. A change of corpus, cleaning, seed, sample size or family rules draws other lines: code the new file.",
    ),
    "kwic_precision": (
        "Precision of each family, from hand-coded uses",
        "From `{coded}`: {n_file} lines, {n_coded} coded, {n_blank} blank (uncoded); {n_missing} lines of the current sample are not in the file; {n_old} lines from an older sample (uses of this corpus not drawn now, or whose match reads differently) are left out. `precision` = n_relevant / n_coded with a Wilson 95 % score interval (Wilson 1927; `precision_low`, `precision_high`; statsmodels proportion_confint, method wilson); empty when no line is coded. `raw_count`: uses of the family in the group (masked mentions left out). `adjusted_count` = precision × raw_count of the family and group, the interval carried (`adjusted_low` = precision_low × raw_count, `adjusted_high` = precision_high × raw_count). Row `(all)`: precision pools the family's coded lines (the sample is stratified, so groups weigh by their coded lines, not by their uses); its adjusted counts and bounds are the sums over the groups (summed bounds are wider than a joint interval), empty when a group with uses has no coded line; adjusted_count / raw_count is the use-weighted precision.",
    ),
    "collocates": ("Collocates per family, overall and per {group_by}", _COLLOCATES),
    "collocates_top": ("Strongest collocates per family and {group_by}", _COLLOCATES),
    "dispersion": (
        "Where each family occurs within documents (documents by date, earliest at top)",
        "One tick per use at its relative position in the document (0 = first token, 1 = last). {n_shown} of the {n_with} documents with a use are shown, earliest first; undated documents last. Masked mentions are left out.",
    ),
}


def terms_result(kind: str, **values) -> dict[str, str]:
    """Return the title and method note of one table or figure of the term-frequency notebook.

    Args:
        kind: a key of the templates ("term_forms", "term_counts", "kwic", ...); a figure
            shown beside a table of the same name is "<name>_figure".
        **values: the settings and computed values the templates name; ``caveat``
            defaults to "", ``window`` also fills ``span`` (2 × window), and
            ``drop_stopwords`` says whether collocate lists left stop words out and
            ``n_stop_removed`` how many tokens are stop words.

    Returns:
        ``{"title": ..., "notes": ...}``, the keyword arguments of ``Recorder.table`` and
        ``Recorder.figure``.
    """
    values.setdefault("caveat", "")
    if "window" in values:
        values.setdefault("span", 2 * values["window"])
    values["stop"] = Md("")
    if values.get("drop_stopwords"):
        n = values.get("n_stop_removed")
        values["stop"] = Md(", stop words left out" + (f" ({n:,} tokens)" if n is not None else ""))
    title, notes = _NOTES[kind]
    # Values are escaped in the notes (Markdown); caveat is Markdown (adequacy_caveat).
    return {"title": title.format(**values), "notes": md_format(notes, **values)}


def totals_prose(n_docs: int, n_tokens: int, totals: pd.DataFrame, caveat: str = "") -> str:
    """Return the sentence giving the corpus size and the uses of every family."""
    uses = ", ".join(f"*{md_escape(r.family)}* {r.count:,} uses" for r in totals.itertuples())
    return f"{n_docs:,} documents, {n_tokens:,} tokens. {uses}.{caveat}"


def provenance_prose(corpus_path: str, cache_key: str | None, families_file: str, **values) -> str:
    """Return the closing provenance sentence: corpus, cache key, family file and settings.

    Args:
        corpus_path: the corpus the notebook read.
        cache_key: the key of its prepared corpus.
        families_file: the family YAML given ("": the shipped one).
        **values: ``seed``, ``unit``, ``window``, ``min_collocate_count``.
    """
    return (
        f"*Provenance.* Corpus {md_code(path_report(corpus_path))} (cache key "
        f"{md_code(cache_key)}); families from "
        f"{md_code(path_report(families_file) if families_file else 'term_families.yaml (shipped)')}; seed "
        f"{values['seed']}; unit {md_escape(values['unit'])}, window {values['window']}, minimum collocate count "
        f"{values['min_collocate_count']}. The run folder's `provenance.json` has the "
        "package versions and input checksums."
    )


def coding_prose(table: pd.DataFrame, n_coded: int, n_old: int, coded: str, **_values) -> str:
    """Return the sentence giving each family's precision and how many lines it rests on."""
    fam = table[table["group"] == "(all)"]
    parts = [
        f"*{md_escape(r.family)}* {r.precision:.2f} [{r.precision_low:.2f}, {r.precision_high:.2f}] "
        f"({r.n_relevant} of {r.n_coded})"
        for r in fam.itertuples()
        if r.n_coded > 0
    ]
    old = f" {n_old:,} lines from an older sample were left out." if n_old else ""
    return (
        f"Precision from {n_coded:,} hand-coded lines in {md_code(coded)} (Wilson 95 % intervals): "
        + ("; ".join(parts) or "no line coded")
        + f".{old}"
    )
