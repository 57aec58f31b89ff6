"""Rhetorical markers per document and per group, with bootstrap confidence intervals.

Markers of how a text speaks, not only what about: readability (LIX, mean sentence
length; from ``ordbruk.stats.readability``), lexical diversity (MTLD, MATTR), the collective
"we" (first-person plural), modal verbs of obligation against possibility, the share of
text in direct quotes (``ordbruk.rhetoric.quotes``), and a framing dictionary
(``resources/framing.yaml``) counted per 10,000 word tokens. Group summaries are means of
document values with a percentile bootstrap over actors, so a group with one prolific
actor gets an honest, wide interval (``ordbruk.stats.actors``); groups below the size
thresholds of ``ordbruk.stats.groups`` are flagged as descriptive only.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from ordbruk.errors import ParameterError
from ordbruk.paths import path_resolve
from ordbruk.resources import resource_path, resource_yaml, yaml_read
from ordbruk.stats import actors as sa
from ordbruk.stats import groups, readability
from ordbruk.text.corpus import corpus_from_texts

PER = 1e4  # rates per 10,000 word tokens
READABILITY = ["lix", "sentence_length_mean", "mtld", "mattr"]


def markers_load() -> dict:
    """Load the word lists of ``resources/markers.yaml`` (pronouns, modals, speech verbs)."""
    return resource_yaml("markers.yaml")


def framing_load(path: str | Path | None = None) -> dict[str, dict]:
    """Load and check a framing dictionary.

    Args:
        path: a YAML file like ``resources/framing.yaml`` (relative paths against the
            repository root); None or "" = the shipped one.

    Returns:
        ``{category: {"label": str, "include": [...], "exclude": [...]}}`` in file order.
    """
    if path:
        path = path_resolve(path)
        data = yaml_read(path)
    else:
        path, data = resource_path("framing.yaml"), resource_yaml("framing.yaml")
    if not isinstance(data, dict):
        raise ParameterError(f"{path}: expected a mapping at the top level")
    cats = data.get("categories")
    if not isinstance(cats, dict) or not cats:
        raise ParameterError(f"{path}: categories: expected a non-empty mapping of categories")
    out = {}
    for name, spec in cats.items():
        if not isinstance(spec, dict) or not spec.get("include"):
            raise ParameterError(f"{path}: categories.{name}.include: give at least one pattern")
        out[name] = {
            "label": str(spec.get("label", name)),
            "include": [str(p).lower() for p in spec["include"]],
            "exclude": [str(p).lower() for p in spec.get("exclude") or []],
        }
    return out


def _glob_regex(patterns: list[str]) -> re.Pattern | None:
    if not patterns:
        return None
    parts = [".*".join(re.escape(x) for x in p.split("*")) for p in patterns]
    return re.compile("^(?:" + "|".join(parts) + ")$")


def forms_match(forms: list[str], include: list[str], exclude: list[str] = ()) -> np.ndarray:
    """Say which word forms a set of glob patterns selects ("samverk*", "*segregation*").

    Args:
        forms: lowercased word forms.
        include: patterns whose match selects a form.
        exclude: patterns whose match deselects it (exclusions win).

    Returns:
        Boolean array aligned with ``forms``.
    """
    inc, exc = _glob_regex(list(include)), _glob_regex(list(exclude))
    return np.fromiter(
        (bool(inc.match(f)) and not (exc and exc.match(f)) for f in forms), bool, len(forms)
    )


def framing_matches(dtm, terms: list[str], framing: dict) -> pd.DataFrame:
    """List the word forms each framing category matched, with counts, for auditing.

    Args:
        dtm: documents x forms counts.
        terms: the forms (columns of ``dtm``).
        framing: from ``framing_load``.

    Returns:
        category, label, form, count (sorted by category, count descending).
    """
    totals = np.asarray(sparse.csr_matrix(dtm).sum(axis=0)).ravel()
    rows = []
    for cat, spec in framing.items():
        mask = forms_match(terms, spec["include"], spec["exclude"])
        for i in np.flatnonzero(mask):
            rows.append((cat, spec["label"], terms[i], int(totals[i])))
    df = pd.DataFrame(rows, columns=["category", "label", "form", "count"])
    return df.sort_values(
        ["category", "count", "form"], ascending=[True, False, True], ignore_index=True
    )


def markers_per_document(corpus, quote_share=None, framing: dict | None = None) -> pd.DataFrame:
    """Compute every rhetorical marker for each document of a processed corpus.

    Args:
        corpus: an ``ordbruk.text.corpus.Corpus``.
        quote_share: share of each document's characters in direct quotes (from
            ``ordbruk.rhetoric.quotes.quotes_share``); None leaves the column NaN.
        framing: from ``framing_load``; None = the shipped dictionary.

    Returns:
        One row per document: doc_id, n_words, lix, sentence_length_mean, mtld, mattr,
        we_per_10k, obligation_per_10k, possibility_per_10k, obligation_share
        (obligation / (obligation + possibility)), quote_share, and
        ``frame_<category>_per_10k`` per framing category. Rates are per 10,000 word
        tokens (numbers excluded, stop words kept); NaN where a document has no words.
    """
    framing = framing or framing_load()
    lists = markers_load()
    dtm, terms, _ = corpus.dtm(token_level="form", unit="document", words_only=True)
    dtm = sparse.csr_matrix(dtm)
    n_words = np.asarray(dtm.sum(axis=1)).ravel().astype(float)
    denom = np.where(n_words > 0, n_words, np.nan)

    def count(mask: np.ndarray) -> np.ndarray:
        return np.asarray(dtm[:, np.flatnonzero(mask)].sum(axis=1)).ravel().astype(float)

    def listed(key: str) -> np.ndarray:
        words = {w.lower() for w in lists[key]}
        return count(np.fromiter((t in words for t in terms), bool, len(terms)))

    out = pd.DataFrame(
        {"doc_id": corpus.meta["doc_id"].astype(str).to_numpy(), "n_words": n_words.astype(int)}
    )
    rd = readability.readability_documents(corpus)
    rd = rd[READABILITY]
    out = pd.concat([out, rd], axis=1)
    obl, pos = listed("obligation"), listed("possibility")
    out["we_per_10k"] = listed("first_person_plural") / denom * PER
    out["obligation_per_10k"] = obl / denom * PER
    out["possibility_per_10k"] = pos / denom * PER
    with np.errstate(divide="ignore", invalid="ignore"):
        out["obligation_share"] = np.where(obl + pos > 0, obl / (obl + pos), np.nan)
    out["quote_share"] = np.nan if quote_share is None else np.asarray(quote_share, dtype=float)
    for cat, spec in framing.items():
        out[f"frame_{cat}_per_10k"] = (
            count(forms_match(terms, spec["include"], spec["exclude"])) / denom * PER
        )
    return out


def markers_by_group(
    doc_markers: pd.DataFrame,
    labels,
    actors,
    markers: list[str] | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    ci_level: float = 0.95,
    min_docs: int = groups.MIN_DOCS,
    min_actors: int = groups.MIN_ACTORS,
    min_tokens: int = groups.MIN_TOKENS,
    tokens=None,
) -> pd.DataFrame:
    """Summarise document markers per group: mean with a bootstrap CI over actors.

    Args:
        doc_markers: from ``markers_per_document`` (rows aligned with ``labels``).
        labels: group of each document ("" = left out).
        actors: actor of each document; resampled with replacement within each group.
        markers: marker columns; default every numeric column except n_words.
        n_boot: bootstrap replicates.
        seed: the study seed; one Generator for all groups, in order
            (``ordbruk.stats.actors.rng_make``).
        ci_level: confidence level of the percentile interval.
        min_docs: groups with fewer documents are ``descriptive_only``.
        min_actors: groups with fewer actors are ``descriptive_only``.
        min_tokens: groups with fewer tokens are ``descriptive_only``.
        tokens: tokens of each document for the adequacy policy (e.g.
            ``corpus.meta["n_tokens"]``); default the ``n_words`` column.

    Returns:
        Long table: group, marker, n_docs (with a value), n_actors, mean, ci_low, ci_high,
        descriptive_only (``ordbruk.stats.groups.groups_adequacy``). The mean is over
        documents (each document counts once).
    """
    if markers is None:
        markers = [c for c in doc_markers.select_dtypes("number").columns if c != "n_words"]
    labels = np.asarray([str(x) for x in labels], dtype=object)
    actors = sa.actors_key(actors)
    tokens = doc_markers["n_words"] if tokens is None else tokens
    verdict = groups.groups_adequacy(labels, actors, tokens, min_docs, min_actors, min_tokens)
    values = doc_markers[markers].to_numpy(dtype=float)
    rng = sa.rng_make(seed)
    rows = []
    for g in verdict.itertuples(index=False):
        docs = np.flatnonzero(labels == g.group)
        mean, lo, hi, n = sa.actors_mean(values[docs], actors[docs], rng, n_boot, ci_level)
        for j, m in enumerate(markers):
            rows.append(
                {
                    "group": g.group,
                    "marker": m,
                    "n_docs": int(n[j]),
                    "n_actors": int(g.n_actors),
                    "mean": mean[j],
                    "ci_low": lo[j],
                    "ci_high": hi[j],
                    "descriptive_only": bool(g.descriptive_only),
                }
            )
    return pd.DataFrame(rows)


def markers_by_speaker(
    quotes: pd.DataFrame, meta: pd.DataFrame, group_by: str = "actor_level", **kwargs
) -> pd.DataFrame:
    """Markers of the quoted speech itself, grouped by speaker level and by publisher level.

    Each quote (and speaker level) counts once; its text becomes a small document whose
    markers are summarised per ``speaker_level`` and, for the same quotes, per publisher
    level, so the two views can be set side by side.

    Args:
        quotes: from ``ordbruk.rhetoric.quotes.quotes_extract_corpus``.
        meta: corpus metadata with doc_id and ``group_by``.
        group_by: the publisher level column.
        **kwargs: passed to ``markers_by_group`` (n_boot, seed, ci_level, min_docs,
            min_actors, min_tokens); the tokens of a quote are its own.

    Returns:
        The ``markers_by_group`` table with a first column ``grouping``
        ("speaker_level" or "publisher_level"); empty when there are no quotes.
    """
    q = quotes.drop_duplicates(["doc_id", "quote_id", "speaker_level"]).reset_index(drop=True)
    if q.empty:
        return pd.DataFrame()
    pub = meta.set_index(meta["doc_id"].astype(str))[group_by].astype(str)
    q_meta = pd.DataFrame(
        {"doc_id": [f"{d}#{i}" for d, i in zip(q["doc_id"], q["quote_id"], strict=True)]}
    )
    q_corpus = corpus_from_texts(list(q["quote"]), q_meta)
    dm = markers_per_document(q_corpus).drop(columns=["quote_share"])
    kwargs.setdefault("tokens", q_corpus.meta["n_tokens"].to_numpy())
    frames = []
    for grouping, labels in (
        ("speaker_level", q["speaker_level"]),
        ("publisher_level", q["doc_id"].map(pub)),
    ):
        out = markers_by_group(dm, labels.fillna(""), q["speaker"], **kwargs)
        frames.append(out.assign(grouping=grouping))
    out = pd.concat(frames, ignore_index=True)
    return out[["grouping", *[c for c in out.columns if c != "grouping"]]]
