"""Cleaning as a map over shards of documents plus a merge, equal to one ``corpus_clean`` run.

Cleaning has corpus-wide state: the lines an actor repeats across its documents, and the
joined forms of broken words written unbroken somewhere in the corpus. It runs in phases:

1. ``clean_plan`` (whole corpus, from one key per document): which documents count toward
   the repeated-lines counter (the first of each distinct (actor, text) pair, for actors
   with at least ``repeated_min_docs`` documents).
2. ``clean_scan`` (one shard): the per-document work, giving a ``CleanScan`` (stays with the
   shard; ``clean_scan_dump`` / ``clean_scan_load`` store it as JSON, never pickle) and
   ``CleanStats`` (small, mergeable).
3. ``clean_stats_merge`` (all shards' stats) -> ``CleanMerged``, then ``clean_apply`` (one
   shard): the cleaned texts and log of the shard's documents.

Concatenating the shards' texts and logs in input order gives ``corpus_clean`` exactly.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from itertools import compress, count
from operator import eq

import pandas as pd

from ordbruk.errors import CorpusError
from ordbruk.progress import steps
from ordbruk.text import repair
from ordbruk.text.cleaning import (
    _BLANK_RUNS,
    _QUOTE_START,
    LOG_COLUMNS,
    LOG_LINE_MAX,
    LOG_WINDOW,
    REPEATED_RULE,
    _block_extend,
    _rules_active,
    _text_normalise,
    settings_check,
)
from ordbruk.text.redaction import text_redact_logged, text_window

_SCAN_FORMAT = "ordbruk-clean-scan-1"
_RUNS = re.compile(r"[^\W\d_]+")


@dataclass
class CleanScan:
    """One shard after ``clean_scan``: per document its id, actor, lines, hits and events.

    ``docs`` holds ``(doc_id, actor, lines, hits, events)``: the stripped, redacted,
    markup-repaired lines; ``{line index: rule}`` of the line rules; and
    ``(line index, rule, action, log text or None)`` of redactions and markup repairs.
    """

    docs: list[tuple[str, str, list[str], dict[int, str], list[tuple]]] = field(
        default_factory=list
    )


@dataclass
class CleanStats:
    """What one shard contributes to the corpus-wide state; merge with ``clean_stats_merge``.

    Attributes:
        counts: per actor, in how many counted documents each line occurs.
        wanted: lowercase joined forms of broken words that the dictionary does not know.
        words: lowercase maximal letter runs (4 letters or more) of the shard's texts.
        odd: lowercase whitespace-free pieces holding a character that is a word character
            but not a letter (e.g. "²", or the dot of a lowercased "İ"), searched in full.
    """

    counts: dict[str, Counter] = field(default_factory=dict)
    wanted: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    odd: set[str] = field(default_factory=set)


@dataclass
class CleanMerged:
    """The corpus-wide state ``clean_apply`` needs, from ``clean_stats_merge``."""

    boiler: dict[str, set[str]]  # actor -> its repeated (boilerplate) lines
    content: set[str]  # repeated lines kept because they carry content
    vocabulary: frozenset[str]  # joined forms written unbroken in some document
    join: bool  # the hyphen_join rule is on


def meta_check(meta: pd.DataFrame, texts: list) -> None:
    """Raise CorpusError unless ``meta`` has doc_id and actor and one row per text."""
    missing = [c for c in ("doc_id", "actor") if c not in getattr(meta, "columns", [])]
    if missing or len(meta) != len(texts):
        raise CorpusError(
            f"metadata: needs columns doc_id and actor and one row per text "
            f"(missing: {missing or 'none'}; {len(meta)} rows for {len(texts)} texts)"
        )


def clean_key(text: str) -> str:
    """Return a document's key for ``clean_plan``: a hash of its normalised text."""
    data = _text_normalise(text).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def clean_plan(keys: list, actors: list[str], settings: dict | None) -> tuple[list[bool], set]:
    """Decide, for the whole corpus, which documents count toward repeated lines.

    Args:
        keys: one value per document, in input order, equal exactly when the normalised
            texts are equal: ``clean_key(text)``, or the normalised texts themselves.
        actors: the documents' actors ("" for none), in the same order.
        settings: the cleaning settings.

    Returns:
        ``counted`` (one bool per document: the first of each distinct (actor, key) pair
        among actors with at least ``repeated_min_docs`` documents; all False when repeated
        lines are off) and ``big_actors``, the set of those actors.
    """
    cfg = settings_check(settings)
    big = {a for a, n in Counter(actors).items() if n >= cfg["repeated_min_docs"]}
    on = cfg["repeated_lines"] and REPEATED_RULE not in cfg["disabled_rules"]
    seen: set = set()
    counted = []
    for key, actor in zip(keys, actors, strict=True):
        first = on and actor in big and (actor, key) not in seen
        if first:
            seen.add((actor, key))
        counted.append(first)
    return counted, big


@cache
def _lower_marks() -> frozenset[str]:
    # The non-word characters that lowercasing a word character adds ("İ" -> "i" + U+0307).
    every = "".join(map(chr, [*range(0xD800), *range(0xE000, 0x110000)]))
    low = {d for c in re.findall(r"[^\W\d_]", every) for d in c.lower()}
    return frozenset(d for d in low if not d.isalnum() and d != "_")


def _odd_pieces(blob: str, runs: set[str]) -> set[str]:
    # The space-free pieces of ``blob`` that hold a character a lowercased joined form can
    # hold but that is not a letter: a word character that is not a letter ("²", "½"), in
    # a run that is not all letters, or a mark that lowercasing adds.
    marks = {r for r in runs if not r.isalpha()} | {c for c in _lower_marks() if c in blob}
    pieces = set()
    for mark in marks:
        i = blob.find(mark)
        while i >= 0:
            end = blob.find(" ", i)
            pieces.add(blob[blob.rfind(" ", 0, i) + 1 : None if end < 0 else end])
            i = blob.find(mark, i + 1)
    return pieces


def clean_scan(
    texts: list[str],
    meta: pd.DataFrame,
    settings: dict | None,
    counted: list[bool],
    big_actors: set,
    normalised: bool = False,
) -> tuple[CleanScan, CleanStats]:
    """Do the per-document cleaning work of one shard.

    Args:
        texts: the shard's raw texts.
        meta: one row per text with ``doc_id`` and ``actor``.
        settings: the cleaning settings.
        counted: per text, whether its lines count toward repeated lines (``clean_plan``).
        big_actors: the actors with at least ``repeated_min_docs`` documents (``clean_plan``).
        normalised: the texts are already normalised (``corpus_clean``'s own call).

    Returns:
        The shard's scan (for ``clean_apply``) and stats (for ``clean_stats_merge``).

    Raises:
        CorpusError: ``meta`` does not match ``texts`` or a text is not a string.
        ParameterError: bad settings.
    """
    cfg = settings_check(settings)
    meta_check(meta, texts)
    rules = _rules_active(cfg)
    line_rules = [r for r in rules if r.type != "duplicate"]
    # Block headings come first so that a heading is never taken by a line rule.
    line_rules.sort(key=lambda r: r.type != "block")
    # One regex of all rules finds the (few) boilerplate lines; which rule matched is then
    # looked up rule by rule. "(?=.)": blank lines are never boilerplate.
    body = "|".join(r.source() for r in line_rules)
    match = re.compile(f"(?=.)(?:{body})").fullmatch if body else None
    matchers = [(r.name, re.compile(r.source()).fullmatch) for r in line_rules]
    block_names = {r.name for r in line_rules if r.type == "block"}
    duplicate = next((r.name for r in rules if r.type == "duplicate"), None)
    redact = (cfg["redact_phone"], cfg["redact_email"], cfg["redact_personnummer"])
    doc_ids = meta["doc_id"].astype(str).tolist()
    actors = meta["actor"].fillna("").astype(str).tolist()
    on = frozenset(repair.REPAIR_RULES) - set(cfg["disabled_rules"])
    markup = on & {repair.WORD_CONDITIONAL_RULE, repair.MARKUP_RULE}
    join = repair.HYPHEN_RULE in on
    scan, stats, tokens = CleanScan(), CleanStats(), set()
    counts = stats.counts
    # Per-line work goes through map/compress so that the loops over ~1 M lines run in C.
    rows = steps(zip(texts, actors, counted, strict=True), len(texts), "clean", "doc")
    for row, (text, actor, first) in enumerate(rows):
        if not isinstance(text, str):
            raise CorpusError(f"texts[{row}] ({doc_ids[row]}): text: expected a string")
        if not normalised:
            text = _text_normalise(text)
        redacted, events = text_redact_logged(text, *redact)
        lines = list(map(str.strip, redacted.split("\n")))
        hits: dict[int, str] = {}
        fixes: list[tuple] = []  # (line, rule, action, log text or None) of in-line repairs
        if markup and ("<" in redacted or "&" in redacted):
            for i in [i for i, ln in enumerate(lines) if "<" in ln or "&" in ln]:
                lines[i], found = repair.markup_strip(lines[i], markup)
                fixes += [(i, rule, "repaired", None) for rule in found]
        if match:
            for i in compress(count(), map(match, lines)):
                hits[i] = next(name for name, m in matchers if m(lines[i]))
            for i in [i for i, rule in hits.items() if rule in block_names]:
                _block_extend(lines, i, hits, hits[i])
        if duplicate:
            for i in compress(count(1), map(eq, lines[1:], lines)):
                if lines[i] and i not in hits:
                    hits[i] = duplicate
        if first and actor in big_actors:
            if actor not in counts:
                counts[actor] = Counter()
            counts[actor].update(set(lines))
        events = [
            (i, f"redact_{kind}", "redacted", text_window(redacted, a, b, LOG_WINDOW))
            for i, kind, a, b in events
        ]
        if join:
            if "- " in redacted:
                stats.wanted.update(c for ln in lines for c in repair.hyphen_candidates(ln))
            # What the vocabulary of joined forms is decided on after the merge: every
            # whitespace-free piece of the lowercased lines (a form written whole lies in one).
            tokens.update(" ".join(lines).lower().split())
        scan.docs.append((doc_ids[row], actor, lines, hits, events + fixes))
    if tokens:
        blob = " ".join(tokens)
        runs = set(_RUNS.findall(blob))
        stats.words = {r for r in runs if len(r) >= 4}  # a joined form has 2 + 2 letters or more
        stats.odd = _odd_pieces(blob, runs)
    return scan, stats


def clean_stats_merge(stats: list[CleanStats], settings: dict | None) -> CleanMerged:
    """Merge the stats of every shard of a corpus into the corpus-wide cleaning state.

    Args:
        stats: one ``CleanStats`` per shard (any order).
        settings: the cleaning settings.

    Returns:
        Per actor its boilerplate lines, the repeated lines kept for content, and the
        joined forms written unbroken in some document.
    """
    cfg = settings_check(settings)
    on = frozenset(repair.REPAIR_RULES) - set(cfg["disabled_rules"])
    counts: dict[str, Counter] = {}
    for s in stats:
        for actor, c in s.counts.items():
            counts.setdefault(actor, Counter()).update(c)
    min_docs, min_chars = cfg["repeated_min_docs"], cfg["repeated_min_chars"]
    boiler = {}
    for actor, c in counts.items():
        common = {ln for ln, n in c.items() if n >= min_docs and len(ln) >= min_chars}
        boiler[actor] = {ln for ln in common if not ln.startswith(_QUOTE_START)}
    # A repeated line that carries content (a question, a sentence with a verb) is kept.
    content = (
        {ln for lines in boiler.values() for ln in lines if repair.line_has_content(ln)}
        if repair.CONTENT_RULE in on
        else set()
    )
    # Joined forms written unbroken in some document count as known words. A form of
    # letters only is written whole exactly when it is a maximal letter run; any other form
    # lies inside one of the odd pieces.
    wanted = set().union(*(s.wanted for s in stats))
    words = set().union(*(s.words for s in stats))
    odd = set().union(*(s.odd for s in stats))
    vocabulary = frozenset(
        w
        for w in wanted
        if (w.isalpha() and w in words) or any(repair.written_whole(t, w) for t in odd)
    )
    return CleanMerged(boiler, content, vocabulary, repair.HYPHEN_RULE in on)


def clean_apply(scan: CleanScan, merged: CleanMerged) -> tuple[list[str], pd.DataFrame]:
    """Finish cleaning one shard: repeated lines, rejoined words, the texts and the log.

    Args:
        scan: the shard's ``clean_scan`` (left unchanged).
        merged: ``clean_stats_merge`` of every shard's stats.

    Returns:
        The cleaned texts and the log of the shard's documents, as ``corpus_clean``.
    """
    cleaned, log = [], {c: [] for c in LOG_COLUMNS}
    boiler, content, vocabulary = merged.boiler, merged.content, merged.vocabulary
    for doc_id, actor, lines, hits, events in scan.docs:
        lines, hits = list(lines), dict(hits)
        common = boiler.get(actor)
        rows = []
        if common:
            for i in compress(count(), map(common.__contains__, lines)):
                if i in hits:
                    continue
                if lines[i] in content:
                    rows.append((i, repair.CONTENT_RULE, "kept", None))
                else:
                    hits[i] = REPEATED_RULE
        if merged.join:
            for i in [i for i, ln in enumerate(lines) if "- " in ln and i not in hits]:
                lines[i], joined = repair.hyphens_join(lines[i], vocabulary)
                rows += [
                    (i, repair.HYPHEN_RULE, "repaired", w)
                    for w in repair.joined_windows(lines[i], joined, LOG_WINDOW)
                ]
        rows += [(i, rule, "removed", None) for i, rule in hits.items()]
        rows += [event for event in events if event[0] not in hits]
        for i, rule, action, text in sorted(rows, key=lambda r: r[0]):
            if text is None:  # the line, cut at LOG_LINE_MAX characters
                text = lines[i][:LOG_LINE_MAX] + "…" * (len(lines[i]) > LOG_LINE_MAX)
            for col, value in zip(LOG_COLUMNS, (doc_id, i + 1, rule, action, text), strict=True):
                log[col].append(value)
        kept = [ln for i, ln in enumerate(lines) if i not in hits] if hits else lines
        out = "\n".join(kept)
        cleaned.append((_BLANK_RUNS.sub("\n\n", out) if "\n\n\n" in out else out).strip("\n"))
    # The same dtypes with rows or without (a shard's log may be empty).
    types = {c: "int64" if c == "line" else "str" for c in LOG_COLUMNS}
    frame = pd.DataFrame({c: pd.Series(log[c], dtype=types[c]) for c in LOG_COLUMNS})
    return cleaned, frame


def clean_scan_dump(scan: CleanScan) -> bytes:
    """Return a shard's scan as JSON bytes (safe to keep in a shared cache: no pickle)."""
    docs = [[d, a, lines, list(hits.items()), events] for d, a, lines, hits, events in scan.docs]
    return json.dumps({"format": _SCAN_FORMAT, "docs": docs}).encode()


def clean_scan_load(data: bytes) -> CleanScan:
    """Read a scan written by ``clean_scan_dump``.

    Raises:
        CorpusError: the bytes are not a scan of this format.
    """
    try:
        raw = json.loads(data)
        if raw.get("format") != _SCAN_FORMAT:
            raise ValueError("unknown format")
        docs = [
            (str(d), str(a), lines, {int(i): str(r) for i, r in hits}, [tuple(e) for e in ev])
            for d, a, lines, hits, ev in raw["docs"]
        ]
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        raise CorpusError(f"cleaning scan: not a stored scan ({exc})") from None
    return CleanScan(docs)


def corpus_clean(
    texts: list[str], meta: pd.DataFrame, settings: dict | None = None
) -> tuple[list[str], pd.DataFrame]:
    """Remove boilerplate lines and redact personal contact data, logging every change.

    Lines go by the rules of ``resources/boilerplate.yaml`` and, with ``repeated_lines``,
    when one actor repeats them across documents; contact data is redacted
    (``text_redact``); texts are normalised as ``cleaning`` says (NFC, no invisible format
    characters, whitespace collapsed, one blank line between paragraphs).

    Args:
        texts: raw document texts.
        meta: one row per text, in the same order, with at least ``doc_id`` and ``actor``.
        settings: the ``cleaning:`` block of the params file; None = ``CLEANING_DEFAULTS``.

    Returns:
        The cleaned texts and the log (``LOG_COLUMNS``): per removed line, redaction or
        repair its doc_id, line (1-based), rule, action and redacted text (a window of
        ``LOG_WINDOW`` characters either side, or the line cut at ``LOG_LINE_MAX``).

    Raises:
        CorpusError: ``meta`` does not match ``texts``.
        ParameterError: bad settings.
    """
    cfg = settings_check(settings)
    meta_check(meta, texts)
    for row, text in enumerate(texts):
        if not isinstance(text, str):
            raise CorpusError(f"texts[{row}] ({meta['doc_id'].iloc[row]}): text: expected a string")
    normal = [_text_normalise(t) for t in texts]
    counted, big_actors = clean_plan(normal, meta["actor"].fillna("").astype(str).tolist(), cfg)
    scan, stats = clean_scan(normal, meta, cfg, counted, big_actors, normalised=True)
    return clean_apply(scan, clean_stats_merge([stats], cfg))
