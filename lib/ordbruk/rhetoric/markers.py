"""Rhetorical markers per document and per group, with bootstrap confidence intervals.

Markers of how a text speaks, not only what about: readability (LIX, mean sentence
length; from ``ordbruk.stats.readability``), lexical diversity (MTLD, MATTR), the collective
"we" (first-person plural), modal verbs of obligation against possibility, the share of
text in direct quotes (``ordbruk.rhetoric.quotes``), and a framing dictionary
(``resources/framing.yaml``) counted per 10,000 word tokens. Group summaries are means of
document values with a percentile bootstrap over actors, so a group with one prolific
actor gets an honest, wide interval; groups below a size threshold are flagged as
descriptive only.
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import sparse

from ordbruk.errors import ParameterError
from ordbruk.paths import path_resolve, resource_path
from ordbruk.text.cache import actors_key
from ordbruk.text.corpus import corpus_from_texts

PER = 1e4  # rates per 10,000 word tokens
READABILITY = ["lix", "mean_sentence_length", "mtld", "mattr"]


@lru_cache(maxsize=4)
def _yaml_load(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise ParameterError(
            f"{path}: cannot read the YAML file ({e.__class__.__name__}); fix or remove it"
        ) from e
    if not isinstance(data, dict):
        raise ParameterError(f"{path}: expected a mapping at the top level")
    return data


def markers_load() -> dict:
    """Load the word lists of ``resources/markers.yaml`` (pronouns, modals, speech verbs)."""
    return _yaml_load(str(resource_path("markers.yaml")))


def framing_load(path: str | Path | None = None) -> dict[str, dict]:
    """Load and check a framing dictionary.

    Args:
        path: a YAML file like ``resources/framing.yaml`` (relative paths against the
            repository root); None or "" = the shipped one.

    Returns:
        ``{category: {"label": str, "include": [...], "exclude": [...]}}`` in file order.
    """
    path = str(path_resolve(path) if path else resource_path("framing.yaml"))
    cats = _yaml_load(path).get("categories")
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


def _readability_table(corpus) -> pd.DataFrame:
    from ordbruk.stats import readability as rd

    forms = np.asarray(corpus.forms, dtype=object)
    ids = corpus.ids("form")
    word = corpus.form_is_word[ids]
    # Words per sentence from a running count of word tokens at sentence boundaries.
    run = np.concatenate([[0], np.cumsum(word)])
    s_starts, s_doc = corpus.units("sentence")
    s_words = run[s_starts[1:]] - run[s_starts[:-1]]
    s_bounds = np.searchsorted(s_doc, np.arange(corpus.n_docs + 1))
    rows = []
    for i in range(corpus.n_docs):
        s, e = corpus.doc_starts[i], corpus.doc_starts[i + 1]
        words = list(forms[ids[s:e][word[s:e]]])
        lengths = s_words[s_bounds[i] : s_bounds[i + 1]]
        rows.append(
            (
                rd.lix_text(words, len(lengths)),
                rd.sentence_length_mean(lengths.tolist()),
                rd.mtld(words),
                rd.mattr(words),
            )
        )
    return pd.DataFrame(rows, columns=READABILITY, dtype=float)


def markers_per_document(corpus, quote_share=None, framing: dict | None = None) -> pd.DataFrame:
    """Compute every rhetorical marker for each document of a processed corpus.

    Args:
        corpus: an ``ordbruk.text.cache.Corpus``.
        quote_share: share of each document's characters in direct quotes (from
            ``ordbruk.rhetoric.quotes.quotes_share``); None leaves the column NaN.
        framing: from ``framing_load``; None = the shipped dictionary.

    Returns:
        One row per document: doc_id, n_words, lix, mean_sentence_length, mtld, mattr,
        we_per_10k, obligation_per_10k, possibility_per_10k, obligation_share
        (obligation / (obligation + possibility)), quote_share, and
        ``frame_<category>_per_10k`` per framing category. Rates are per 10,000 word
        tokens (numbers excluded, stop words kept); NaN where a document has no words.
    """
    framing = framing or framing_load()
    lists = markers_load()
    dtm, terms, _ = corpus.dtm(level="form", unit="document", words_only=True)
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
    out = pd.concat([out, _readability_table(corpus)], axis=1)
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


def groups_flag(labels, actors, min_docs: int, min_actors: int) -> pd.DataFrame:
    """Count documents and actors per group and flag groups too small for inference.

    Args:
        labels: group of each document.
        actors: actor of each document.
        min_docs: fewer documents than this -> descriptive only.
        min_actors: fewer distinct actors than this -> descriptive only.

    Returns:
        group, n_docs, n_actors, descriptive_only (one row per non-empty group, sorted).
    """
    df = pd.DataFrame({"group": [str(x) for x in labels], "actor": [str(a) for a in actors]})
    df = df[df["group"] != ""]
    g = (
        df.groupby("group")
        .agg(n_docs=("actor", "size"), n_actors=("actor", "nunique"))
        .reset_index()
    )
    g["descriptive_only"] = (g["n_docs"] < min_docs) | (g["n_actors"] < min_actors)
    return g


def markers_by_group(
    doc_markers: pd.DataFrame,
    labels,
    actors,
    markers: list[str] | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    level: float = 0.95,
    min_docs: int = 5,
    min_actors: int = 3,
) -> pd.DataFrame:
    """Summarise document markers per group: mean with a bootstrap CI over actors.

    Args:
        doc_markers: from ``markers_per_document`` (rows aligned with ``labels``).
        labels: group of each document ("" = left out).
        actors: actor of each document; resampled with replacement within each group.
        markers: marker columns; default every numeric column except n_words.
        n_boot: bootstrap replicates.
        seed: seed of the numpy Generator (one for all groups and markers).
        level: confidence level of the percentile interval.
        min_docs: groups with fewer documents are ``descriptive_only``.
        min_actors: groups with fewer actors are ``descriptive_only``.

    Returns:
        Long table: group, marker, n_docs (with a value), n_actors, mean, ci_low, ci_high,
        descriptive_only. The mean is over documents (each document counts once).
    """
    if markers is None:
        markers = [c for c in doc_markers.select_dtypes("number").columns if c != "n_words"]
    labels = np.asarray([str(x) for x in labels], dtype=object)
    actors = actors_key(actors)
    flags = groups_flag(labels, actors, min_docs, min_actors).set_index("group")
    values = doc_markers[markers].to_numpy(dtype=float)
    rng = np.random.default_rng(seed)
    q = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]
    rows = []
    for group in flags.index:
        docs = np.flatnonzero(labels == group)
        names, idx = np.unique(actors[docs], return_inverse=True)
        v = values[docs]
        ok = ~np.isnan(v)
        # Per actor: sum of document values and number of documents with a value.
        sums = np.zeros((names.size, len(markers)))
        cnts = np.zeros((names.size, len(markers)))
        np.add.at(sums, idx, np.where(ok, v, 0.0))
        np.add.at(cnts, idx, ok.astype(float))
        w = rng.multinomial(names.size, np.full(names.size, 1.0 / names.size), size=n_boot)
        with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN markers give NaN CIs
            boot = (w @ sums) / (w @ cnts)
            mean = sums.sum(0) / cnts.sum(0)
            lo, hi = np.nanpercentile(boot, q, axis=0)
        for j, m in enumerate(markers):
            rows.append(
                {
                    "group": group,
                    "marker": m,
                    "n_docs": int(cnts[:, j].sum()),
                    "n_actors": int(flags.at[group, "n_actors"]),
                    "mean": mean[j],
                    "ci_low": lo[j],
                    "ci_high": hi[j],
                    "descriptive_only": bool(flags.at[group, "descriptive_only"]),
                }
            )
    return pd.DataFrame(rows)


def markers_by_speaker(
    quotes: pd.DataFrame, meta: pd.DataFrame, level_col: str = "actor_level", **kwargs
) -> pd.DataFrame:
    """Markers of the quoted speech itself, grouped by speaker level and by publisher level.

    Each quote (and speaker level) counts once; its text becomes a small document whose
    markers are summarised per ``speaker_level`` and, for the same quotes, per publisher
    level, so the two views can be set side by side.

    Args:
        quotes: from ``ordbruk.rhetoric.quotes.quotes_extract_corpus``.
        meta: corpus metadata with doc_id and ``level_col``.
        level_col: the publisher level column.
        **kwargs: passed to ``markers_by_group`` (n_boot, seed, min_docs, min_actors, ...).

    Returns:
        The ``markers_by_group`` table with a first column ``grouping``
        ("speaker_level" or "publisher_level"); empty when there are no quotes.
    """
    q = quotes.drop_duplicates(["doc_id", "quote_id", "speaker_level"]).reset_index(drop=True)
    if q.empty:
        return pd.DataFrame()
    pub = meta.set_index(meta["doc_id"].astype(str))[level_col].astype(str)
    q_meta = pd.DataFrame(
        {"doc_id": [f"{d}#{i}" for d, i in zip(q["doc_id"], q["quote_id"], strict=True)]}
    )
    dm = markers_per_document(corpus_from_texts(list(q["quote"]), q_meta))
    dm = dm.drop(columns=["quote_share"])
    frames = []
    for grouping, labels in (
        ("speaker_level", q["speaker_level"]),
        ("publisher_level", q["doc_id"].map(pub)),
    ):
        out = markers_by_group(dm, labels.fillna(""), q["speaker"], **kwargs)
        frames.append(out.assign(grouping=grouping))
    out = pd.concat(frames, ignore_index=True)
    return out[["grouping", *[c for c in out.columns if c != "grouping"]]]


def comparisons_flag(comparisons, actors, min_docs: int, min_actors: int) -> pd.DataFrame:
    """Size of both sides of every comparison and whether it is descriptive only.

    Args:
        comparisons: from ``ordbruk.rhetoric.keyness.comparisons_build``.
        actors: actor of each document.
        min_docs: a side with fewer documents makes the comparison descriptive only.
        min_actors: a side with fewer distinct actors makes it descriptive only.

    Returns:
        group_a, group_b, n_docs_a, n_docs_b, n_actors_a, n_actors_b, descriptive_only.
    """
    actors = actors_key(actors)
    rows = []
    for c in comparisons:
        sizes = {}
        for side, mask in (("a", c.docs_a), ("b", c.docs_b)):
            sizes[f"n_docs_{side}"] = int(mask.sum())
            sizes[f"n_actors_{side}"] = int(np.unique(actors[mask]).size)
        small = (
            min(sizes["n_docs_a"], sizes["n_docs_b"]) < min_docs
            or min(sizes["n_actors_a"], sizes["n_actors_b"]) < min_actors
        )
        rows.append(
            {"group_a": c.group_a, "group_b": c.group_b, **sizes, "descriptive_only": small}
        )
    cols = [
        "group_a",
        "group_b",
        "n_docs_a",
        "n_docs_b",
        "n_actors_a",
        "n_actors_b",
        "descriptive_only",
    ]
    return pd.DataFrame(rows)[cols]
