"""Groups, comparisons between them, and the one adequacy policy that says "descriptive only".

A group is the set of documents sharing a value of a metadata column (``labels_get``); a
comparison sets one group (T) against another or against the rest (R)
(``comparisons_build``). Keyness, Fightin' Words, rhetorical markers and term trends all
compare groups, and all ask the same question first: is a group large enough for its
numbers to say something about a kind of actor, rather than about these few texts?

The adequacy policy answers it in one place, from three sizes of each group: documents,
distinct actors (``ordbruk.stats.actors.actors_key``) and tokens. A group below any
threshold is **descriptive only**. The verdict is one record per group or comparison
(columns ``descriptive_only`` and ``reasons``, e.g. "local: 4,442 tokens < 20,000"), and
the notes (``adequacy_rule``, ``adequacy_reasons``) and the index summary
(``adequacy_summary``) are written from that record, so they cannot drift from it. ``adequacy_check`` is the rule itself,
also used for corpus-level checks with their own thresholds (the topic model's input).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from ordbruk.corpus.inputs import sha256_hex
from ordbruk.errors import ParameterError
from ordbruk.escape import Md, md_escape
from ordbruk.stats.actors import actors_key

REST = "rest"

#: Default thresholds of the adequacy policy (parameters min_docs, min_actors, min_tokens).
MIN_DOCS = 10
MIN_ACTORS = 5
# 20,000 tokens: keyness tests a term only from min_freq (5) uses on both sides, and the
# log-likelihood is unreliable for expected counts below 5 (Rayson, Berridge and Francis
# 2004). A typical content word of a policy text ("bostad", "skola") runs at 2-5 per
# 10,000 tokens, so a group needs about 10,000-25,000 tokens before such words reach
# those counts at all; below that only function words and a few templates are testable.
# 20,000 is also the topic model's minimum of modelled tokens, so one size means the same
# everywhere. 31 press releases of 4,442 tokens are well below it.
MIN_TOKENS = 20_000

_SIZE_WORDS = {"n_docs": "documents", "n_actors": "actors", "n_tokens": "tokens"}


@dataclass
class Comparison:
    """One comparison: documents of ``group_a`` (T) against those of ``group_b`` (R)."""

    group_a: str
    group_b: str
    docs_a: np.ndarray  # bool mask over documents
    docs_b: np.ndarray

    @property
    def slug(self) -> str:
        """A file-name-safe name, e.g. "local_vs_national" (``name_slug`` of each side)."""
        a, b = (name_slug(g, underscore=False) for g in (self.group_a, self.group_b))
        return f"{a}_vs_{b}"  # no "_" in a side: the separator is unambiguous


def name_slug(name: str, underscore: bool = True) -> str:
    """Return a file-name-safe form of a group or column name, distinct for distinct names.

    Args:
        name: e.g. "local", "Borås Stad".
        underscore: whether "_" may stay (not in a side of ``Comparison.slug``).

    Returns:
        The name itself when it is letters A-Z, digits, "_", "." and "-" only ("local",
        "actor_level"), starting with a letter or digit; else its
        ASCII fold followed by "-" and 8 hex digits of its sha256 ("Borås Stad" ->
        "Boras-Stad-<hash>"), so that "Malmö" and "Malmo", or "a b" and "a_b", never
        write to the same file.
    """
    name = str(name)
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    other = r"[^A-Za-z0-9_.-]+" if underscore else r"[^A-Za-z0-9.-]+"
    folded = re.sub(other, "-", folded).strip("-._") or "x"
    if folded == name:
        return name
    return f"{folded[:60]}-{sha256_hex(name.encode('utf-8'))[:8]}"


def labels_get(meta: pd.DataFrame, group_by: str, param: str = "group_by") -> np.ndarray:
    """Return a metadata column as group labels (strings), checking that it exists.

    Args:
        meta: document metadata.
        group_by: the grouping column.
        param: the parameter that named it, for the error message.

    Returns:
        The labels as an object array of str ("" = no group).
    """
    if group_by not in meta.columns:
        raise ParameterError(
            f"{param}: column {group_by!r} is not in the metadata; use one of {list(meta.columns)}"
        )
    col = meta[group_by]
    # Not fillna(""): a nullable integer column (year) refuses a string fill value.
    return np.where(col.isna().to_numpy(), "", col.astype(str).to_numpy()).astype(object)


def comparisons_build(labels, groups=None, vs_rest: bool | None = None) -> list[Comparison]:
    """List the comparisons for a grouping: every pair, and each group against the rest.

    Args:
        labels: group label of each document (a metadata column); "" is left out.
        groups: the groups to compare, in order; default all labels, sorted.
        vs_rest: add group-versus-rest comparisons; default when there are 3+ groups.

    Returns:
        The comparisons, pairs first (in group order), then each group against the rest.
    """
    labels = np.asarray([str(x) for x in labels], dtype=object)
    present = sorted(set(labels) - {""})
    groups = [str(g) for g in groups] if groups else present
    missing = [g for g in groups if g not in present]
    if missing:
        raise ParameterError(f"groups: {missing} not found among the labels {present}")
    if len(groups) < 2:
        raise ParameterError(f"groups: need at least two groups to compare, found {groups}")
    out = []
    for i, ga in enumerate(groups):
        for gb in groups[i + 1 :]:
            out.append(Comparison(ga, gb, labels == ga, labels == gb))
    if vs_rest if vs_rest is not None else len(groups) >= 3:
        in_any = np.isin(labels, groups)
        for g in groups:
            out.append(Comparison(g, REST, labels == g, in_any & (labels != g)))
    return out


def group_counts(dtm, mask: np.ndarray) -> np.ndarray:
    """Sum the rows of a documents x terms matrix selected by a boolean mask (one group)."""
    return np.asarray(sparse.csr_matrix(dtm)[np.flatnonzero(mask)].sum(axis=0)).ravel()


@dataclass(frozen=True)
class Adequacy:
    """The verdict of the adequacy policy on one group, side of a comparison, or corpus.

    Attributes:
        name: what was judged ("local", "rest", "the modelled corpus").
        sizes: the measured sizes, e.g. ``{"n_docs": 31, "n_actors": 26, "n_tokens": 4442}``.
        shortfalls: one phrase per size below its threshold, e.g. "4,442 tokens < 20,000";
            empty when adequate.
    """

    name: str
    sizes: dict = field(default_factory=dict)
    shortfalls: tuple[str, ...] = ()

    @property
    def descriptive_only(self) -> bool:
        """True when any size is below its threshold."""
        return bool(self.shortfalls)

    @property
    def reason(self) -> str:
        """The human-readable reason, e.g. "local: 4,442 tokens < 20,000" ("" if adequate)."""
        return f"{self.name}: {', '.join(self.shortfalls)}" if self.shortfalls else ""


def adequacy_check(name: str, sizes: dict, minimum: dict, words: dict | None = None) -> Adequacy:
    """Apply the rule of the policy: descriptive only when any size is below its minimum.

    Args:
        name: what is judged.
        sizes: measured sizes by key (e.g. n_docs, n_actors, n_tokens).
        minimum: the threshold of each key to check (keys not in ``sizes`` are ignored).
        words: how each key is named in a shortfall (default: documents, actors, tokens).

    Returns:
        The verdict.
    """
    words = {**_SIZE_WORDS, **(words or {})}
    shortfalls = tuple(
        f"{sizes[k]:,} {_noun(words.get(k, k), sizes[k])} < {lim:,}"
        for k, lim in minimum.items()
        if k in sizes and sizes[k] < lim
    )
    return Adequacy(name, dict(sizes), shortfalls)


def _noun(plural: str, n: int) -> str:
    return plural.removesuffix("s") if n == 1 else plural


def _sizes(mask: np.ndarray, actors: np.ndarray, tokens: np.ndarray) -> dict:
    return {
        "n_docs": int(mask.sum()),
        "n_actors": int(np.unique(actors[mask]).size),
        "n_tokens": int(tokens[mask].sum()),
    }


def _thresholds(min_docs: int, min_actors: int, min_tokens: int) -> dict:
    return {"n_docs": min_docs, "n_actors": min_actors, "n_tokens": min_tokens}


def groups_adequacy(
    labels,
    actors,
    tokens,
    min_docs: int = MIN_DOCS,
    min_actors: int = MIN_ACTORS,
    min_tokens: int = MIN_TOKENS,
) -> pd.DataFrame:
    """Judge every group: documents, distinct actors and tokens against the thresholds.

    Args:
        labels: group of each document ("" = in no group).
        actors: actor of each document (keyed by ``actors_key``).
        tokens: tokens of each document (e.g. ``corpus.meta["n_tokens"]``).
        min_docs: fewer documents than this -> descriptive only.
        min_actors: fewer distinct actors than this -> descriptive only.
        min_tokens: fewer tokens than this -> descriptive only.

    Returns:
        The record: group, n_docs, n_actors, n_tokens, descriptive_only, reasons (e.g.
        "local: 3 documents < 10, 4,442 tokens < 20,000"; "" when adequate), one row per
        non-empty group, sorted.
    """
    labels = np.asarray([str(x) for x in labels], dtype=object)
    actors = actors_key(actors)
    tokens = np.asarray(tokens, dtype=np.int64)
    lim = _thresholds(min_docs, min_actors, min_tokens)
    rows = []
    for g in sorted(set(labels) - {""}):
        v = adequacy_check(g, _sizes(labels == g, actors, tokens), lim)
        rows.append({"group": g, **v.sizes, "descriptive_only": v.descriptive_only})
        rows[-1]["reasons"] = v.reason
    cols = ["group", "n_docs", "n_actors", "n_tokens", "descriptive_only", "reasons"]
    return pd.DataFrame(rows, columns=cols)


def comparisons_adequacy(
    comparisons,
    actors,
    tokens,
    min_docs: int = MIN_DOCS,
    min_actors: int = MIN_ACTORS,
    min_tokens: int = MIN_TOKENS,
) -> pd.DataFrame:
    """Judge every comparison: it is descriptive only when either side is.

    Args:
        comparisons: from ``comparisons_build``.
        actors: actor of each document.
        tokens: tokens of each document.
        min_docs: a side with fewer documents makes the comparison descriptive only.
        min_actors: a side with fewer distinct actors makes it descriptive only.
        min_tokens: a side with fewer tokens makes it descriptive only.

    Returns:
        The record: group_a, group_b, n_docs_a, n_docs_b, n_actors_a, n_actors_b,
        n_tokens_a, n_tokens_b, descriptive_only, reasons (each small side's reason,
        "; " between: "local: 4,442 tokens < 20,000; rest: 3 actors < 5").
    """
    actors = actors_key(actors)
    tokens = np.asarray(tokens, dtype=np.int64)
    lim = _thresholds(min_docs, min_actors, min_tokens)
    rows = []
    for c in comparisons:
        a = adequacy_check(c.group_a, _sizes(c.docs_a, actors, tokens), lim)
        b = adequacy_check(c.group_b, _sizes(c.docs_b, actors, tokens), lim)
        row = {"group_a": c.group_a, "group_b": c.group_b}
        for key in _SIZE_WORDS:
            row[f"{key}_a"], row[f"{key}_b"] = a.sizes[key], b.sizes[key]
        row["descriptive_only"] = a.descriptive_only or b.descriptive_only
        row["reasons"] = "; ".join(x.reason for x in (a, b) if x.descriptive_only)
        rows.append(row)
    cols = ["group_a", "group_b"]
    cols += [f"{k}_{s}" for k in _SIZE_WORDS for s in "ab"] + ["descriptive_only", "reasons"]
    return pd.DataFrame(rows, columns=cols)


def adequacy_rule(
    subject: str = "A comparison",
    min_docs: int = MIN_DOCS,
    min_actors: int = MIN_ACTORS,
    min_tokens: int = MIN_TOKENS,
) -> Md:
    """Return the sentence of the method notes that states the policy and its thresholds.

    Args:
        subject: what is judged, as the sentence's subject ("A comparison", "A group").
        min_docs: as in ``groups_adequacy``.
        min_actors: as in ``groups_adequacy``.
        min_tokens: as in ``groups_adequacy``.

    Returns:
        Markdown, e.g. "A comparison is **descriptive only** when a side has fewer than
        10 documents, 5 distinct actors or 20,000 tokens: ...".
    """
    side = "a side has" if subject.lower().endswith("comparison") else "it has"
    return Md(
        f"{subject} is **descriptive only** when {side} fewer than {min_docs:,} documents, "
        f"{min_actors:,} distinct actors or {min_tokens:,} tokens: its results describe "
        "these texts, not kinds of actors."
    )


def _reasons(record: pd.DataFrame) -> list[str]:
    small = record.loc[record["descriptive_only"], "reasons"]
    return list(dict.fromkeys(r for rs in small for r in rs.split("; ") if r))


def adequacy_reasons(record: pd.DataFrame) -> str:
    """Return the distinct reasons of an adequacy record, once each ("" when none is small).

    Args:
        record: from ``groups_adequacy`` or ``comparisons_adequacy``.

    Returns:
        e.g. "local: 4,442 tokens < 20,000; regional: 11,004 tokens < 20,000".
    """
    return "; ".join(_reasons(record))


def adequacy_caveat(record: pd.DataFrame) -> Md:
    """Return the bold sentence a note ends with when a group is small ("" when none is).

    Args:
        record: from ``groups_adequacy`` or ``comparisons_adequacy``.

    Returns:
        Markdown, a paragraph of its own (after a blank line, so that a report shows it
        once per section), e.g. "**Descriptive only: local: 4,442 tokens < 20,000.**"; the
        group names escaped.
    """
    if not record["descriptive_only"].any():
        return Md("")
    return Md(f"\n\n**Descriptive only: {md_escape(adequacy_reasons(record))}.**")


def adequacy_summary(record: pd.DataFrame, noun: str = "comparisons") -> str:
    """Return one line for the index summary: how many rows are descriptive only, and whose.

    Args:
        record: from ``groups_adequacy`` or ``comparisons_adequacy``.
        noun: what the rows are, plural ("comparisons", "groups").

    Returns:
        e.g. "2 of 10 comparisons descriptive only (too small: local, regional)", or
        "none of 10 comparisons descriptive only".
    """
    n_small = int(record["descriptive_only"].sum())
    if not n_small:
        return f"none of {len(record)} {noun} descriptive only"
    # A reason is "<name>: <shortfalls>" and shortfalls never contain ": ".
    names = dict.fromkeys(r.rsplit(": ", 1)[0] for r in _reasons(record))
    return f"{n_small} of {len(record)} {noun} descriptive only (too small: {', '.join(names)})"
