"""Term families: which Swedish word forms count as a use of a concept, and where they occur.

A term family names one concept ("samverkan") and the rules that decide membership
(``docs/architecture.md``; METHODS.md, "Term families"): whole-word forms (inflections),
compound stems that may start a compound ("samverkansformer", "samverkans-"), end one
("regionsamverkan") or sit inside one ("bostadssegregationsfrågor"), explicit inclusions
and exclusions (glob patterns), multi-word phrases ("socialt hållbar") and names to mask
(organisations and offices whose name contains the term, "Delegationen mot segregation",
counted as ``masked_count`` and not as uses).

Matching is done on the corpus vocabulary, not on tokens: every distinct lowercased form
is classified once (literal search in the joined vocabulary finds the few candidates, the
rules run on those only) and the token stream is then scanned with numpy lookup tables.
Phrases and masks are found on id arrays: candidate positions of the first word, then the
following ids are checked. ``terms_locate`` returns one row per hit; counting, aggregation
and dispersion (Gries' DP) are in ``ordbruk.terms.frequency`` (re-exported here).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

import numpy as np
import pandas as pd

from ordbruk.errors import ParameterError
from ordbruk.paths import path_resolve
from ordbruk.resources import resource_path, resource_yaml, yaml_read

# Re-exported: callers written before the split import the counting functions from here.
from ordbruk.terms.frequency import (  # noqa: F401
    dispersion_dp,
    terms_aggregate,
    terms_count,
    terms_forms,
)

FAMILIES_FILE = "term_families.yaml"
#: Endings a plain word gets when it becomes a family without rules of its own.
DEFAULT_ENDINGS = ("", "s", "en", "ens", "et", "ets", "er", "ar", "or", "na", "erna", "arna")
DEFAULT_LINKERS = ("", "s", "-")
_LIST_FIELDS = ("stems", "endings", "forms", "include", "exclude", "phrases", "masks", "linkers")
_KNOWN = set(_LIST_FIELDS) | {
    "prefix_compounds",
    "suffix_compounds",
    "min_head",
    "min_rest",
    "examples",
    "note",
}


@dataclass(frozen=True)
class TermFamily:
    """One concept and the rules deciding which word forms are uses of it.

    All strings are lowercase NFC except masks and phrases, whose capitalised words must
    be capitalised in the text (a name, not a common noun phrase).
    """

    name: str
    stems: tuple[str, ...] = ()
    endings: tuple[str, ...] = ("",)
    forms: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    masks: tuple[str, ...] = ()
    prefix_compounds: bool = True
    suffix_compounds: bool = True
    min_head: int = 3
    min_rest: int = 3
    linkers: tuple[str, ...] = DEFAULT_LINKERS
    examples: dict = field(default_factory=dict, compare=False, hash=False)


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", str(s)).strip()


def family_from_spec(name: str, spec: dict | str | None, source: str = "parameters") -> TermFamily:
    """Build a family from a spec dict (the YAML schema) or a plain word.

    Args:
        name: the family's name.
        spec: a dict with the keys of ``resources/term_families.yaml``; None or a string
            (the word itself) makes a plain-word family: the word as stem, the default
            endings and compounds in both positions.
        source: file or parameter name, for error messages.

    Returns:
        The family.

    Raises:
        ParameterError: an unknown key or a value of the wrong type.
    """
    name = _nfc(name)
    if spec is None or isinstance(spec, str):
        word = _nfc(spec or name).lower()
        if not word or " " in word:
            raise ParameterError(f"{source}: family {name!r}: a plain word must be one word")
        return TermFamily(name=name, stems=(word,), endings=DEFAULT_ENDINGS)
    if not isinstance(spec, dict):
        raise ParameterError(f"{source}: family {name!r}: give a mapping of rules or a word")
    unknown = set(spec) - _KNOWN
    if unknown:
        raise ParameterError(
            f"{source}: family {name!r}: unknown key(s) {sorted(unknown)}; use {sorted(_KNOWN)}"
        )
    kw: dict = {}
    for key in _LIST_FIELDS:
        if key in spec:
            value = spec[key]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ParameterError(f"{source}: family {name!r}: {key} must be a list of strings")
            keep_case = key in ("phrases", "masks")
            kw[key] = tuple(_nfc(v) if keep_case else _nfc(v).lower() for v in value)
            if key == "endings":
                kw[key] = tuple(_nfc(v).lower() for v in value)
    for key in ("prefix_compounds", "suffix_compounds"):
        if key in spec and not isinstance(spec[key], bool):
            raise ParameterError(f"{source}: family {name!r}: {key} must be true or false")
    for key in ("min_head", "min_rest"):
        if key in spec and not isinstance(spec[key], int):
            raise ParameterError(f"{source}: family {name!r}: {key} must be an integer")
    kw.update({k: spec[k] for k in ("prefix_compounds", "suffix_compounds") if k in spec})
    kw.update({k: spec[k] for k in ("min_head", "min_rest") if k in spec})
    if not (kw.get("stems") or kw.get("forms") or kw.get("include") or kw.get("phrases")):
        raise ParameterError(
            f"{source}: family {name!r}: give at least one of stems, forms, include, phrases"
        )
    return TermFamily(name=name, examples=dict(spec.get("examples") or {}), **kw)


def families_load(path: str | Path | None = None) -> dict[str, TermFamily]:
    """Read a family file (YAML: ``families: {name: rules}``); default: the shipped one.

    Args:
        path: a YAML file of the shipped schema (relative paths from the repository root);
            None reads ``resources/term_families.yaml``.

    Returns:
        The families by name, in file order.
    """
    if path:
        p = path_resolve(path)
        data = yaml_read(p)
    else:
        p, data = resource_path(FAMILIES_FILE), resource_yaml(FAMILIES_FILE)
    if not isinstance(data, dict) or not isinstance(data.get("families"), dict):
        raise ParameterError(f"{p}: expected a top-level 'families:' mapping of name -> rules")
    return {_nfc(n): family_from_spec(n, s, source=str(p)) for n, s in data["families"].items()}


def families_resolve(
    names: list[str] | None = None, custom: dict | None = None, path: str | Path | None = None
) -> list[TermFamily]:
    """Select families: shipped or file families by name, plain words, custom specs.

    Args:
        names: family names; a name not in the shipped (or ``path``) file is taken as a
            plain word. None: every family in the file.
        custom: ``{name: rules or None}`` from the notebook parameters; added after
            ``names`` and replacing a family of the same name.
        path: a user's family file used instead of the shipped one.

    Returns:
        The families in order, without duplicates.
    """
    known = families_load(path)
    out = {n: known.get(_nfc(n)) or family_from_spec(n, None) for n in (names or list(known))}
    for n, spec in (custom or {}).items():
        out[_nfc(n)] = family_from_spec(n, spec, source="families_custom")
    return list(out.values())


def _tail_is_compound(fam: TermFamily, tail: str) -> bool:
    for linker in fam.linkers:
        if not tail.startswith(linker):
            continue
        rest = tail[len(linker) :]
        # "samverkans-" (truncated compound, "samverkans- och samordningsformer") counts.
        if rest == "-" or (rest and len(rest.strip("-")) >= fam.min_rest and not rest[0].isdigit()):
            return True
    return False


def form_rule(fam: TermFamily, form: str) -> str | None:
    """Say which rule makes a word form a member of the family, or None.

    Args:
        fam: the family.
        form: one word form (lowercased here).

    Returns:
        "form", "include", "stem", "prefix_compound", "suffix_compound",
        "infix_compound", or None (not a member, or excluded).
    """
    f = _nfc(form).lower()
    if not f or any(fnmatchcase(f, p) for p in fam.exclude):
        return None
    if f in fam.forms:
        return "form"
    if any(fnmatchcase(f, p) for p in fam.include):
        return "include"
    found = None
    for stem in fam.stems:
        i = f.find(stem)
        while i >= 0:
            head, tail = f[:i], f[i + len(stem) :]
            if head == "" or (fam.suffix_compounds and len(head) >= fam.min_head):
                if tail in fam.endings:
                    return "stem" if not head else "suffix_compound"
                if fam.prefix_compounds and _tail_is_compound(fam, tail):
                    found = found or ("prefix_compound" if not head else "infix_compound")
            i = f.find(stem, i + 1)
    return found


class FormIndex:
    """The corpus vocabulary joined into one string, for fast literal and glob lookups."""

    def __init__(self, forms: list[str]):
        """Index lowercase forms (``Corpus.forms``)."""
        self.forms = forms
        self.joined = "\n" + "\n".join(forms) + "\n"
        lengths = np.fromiter(map(len, forms), dtype=np.int64, count=len(forms))
        self.starts = np.cumsum(np.concatenate([[1], lengths + 1]))[:-1]
        self.ids = {f: i for i, f in enumerate(forms)}

    def _at(self, positions: list[int]) -> np.ndarray:
        idx = np.searchsorted(self.starts, np.asarray(positions, dtype=np.int64), "right") - 1
        return np.unique(idx)

    def containing(self, literal: str) -> np.ndarray:
        """Return ids of forms that contain ``literal`` (or start with it after a newline)."""
        if not literal:
            return np.arange(len(self.forms))
        pos = [m.start() for m in re.finditer(re.escape(literal), self.joined)]
        return self._at(pos) if pos else np.zeros(0, dtype=np.int64)

    def glob(self, pattern: str) -> np.ndarray:
        """Return ids of forms matching a lowercase fnmatch pattern ("integrationsminister*")."""
        if not any(c in pattern for c in "*?["):
            i = self.ids.get(pattern)
            return np.array([i] if i is not None else [], dtype=np.int64)
        # Literal runs only: a "[...]" set is one character of a choice, not a literal.
        chunks = [c for c in re.split(r"\[!?\]?[^\]]*\]|[*?]", pattern) if c]
        anchored = not pattern.startswith(("*", "?", "["))
        if anchored and chunks:
            # "\n" + prefix matches at the newline before the form: shift into the form.
            pos = [m.start() + 1 for m in re.finditer(re.escape("\n" + chunks[0]), self.joined)]
            cand = self._at(pos) if pos else []
        else:
            cand = self.containing(max(chunks, key=len, default=""))
        return np.array([i for i in cand if fnmatchcase(self.forms[i], pattern)], dtype=np.int64)


def family_forms(fam: TermFamily, index: FormIndex) -> dict[int, str]:
    """Classify the vocabulary for one family.

    Args:
        fam: the family.
        index: the corpus vocabulary (``FormIndex(corpus.forms)``).

    Returns:
        ``{form id: rule}`` for every member form.
    """
    cand: set[int] = set()
    for stem in fam.stems:
        cand.update(index.containing(stem).tolist())
    for pattern in fam.forms + fam.include:
        cand.update(index.glob(pattern).tolist())
    out = {}
    for i in sorted(cand):
        rule = form_rule(fam, index.forms[i])
        if rule:
            out[i] = rule
    return out


def _sequence_parse(text: str) -> list[tuple[list[str], bool]]:
    """Split "Delegationen mot segregation|segregations" into (alternatives, capital) per word."""
    out = []
    for word in text.split():
        alts = [a for a in word.split("|") if a]
        out.append(([a.lower() for a in alts], alts[0][:1].isupper()))
    return out


def _sequences_find(
    corpus, form_ids: np.ndarray, index: FormIndex, texts: list[str], cap_surface: np.ndarray
) -> list[np.ndarray]:
    """Find each phrase or mask (``texts``) as token start positions inside one sentence.

    Candidate positions of the first word come from one lookup-table scan shared by all
    sequences; the following words are checked on the id array at offset 1, 2, ...
    ``cap_surface`` says per surface id whether the form starts with a capital.
    """
    if not texts:
        return []
    parsed = [_sequence_parse(t) for t in texts]
    n_forms = len(index.forms)
    luts = []
    first_any = np.zeros(n_forms, dtype=bool)
    for seq in parsed:
        word_luts = []
        for alts, _cap in seq:
            lut = np.zeros(n_forms, dtype=bool)
            for a in alts:
                lut[index.glob(a)] = True
            word_luts.append(lut)
        luts.append(word_luts)
        first_any |= word_luts[0]
    cand_all = np.flatnonzero(first_any[form_ids]) if first_any.any() else np.zeros(0, np.int64)
    n = len(form_ids)
    out = []
    for seq, word_luts in zip(parsed, luts, strict=True):
        cand = cand_all[word_luts[0][form_ids[cand_all]]]
        cand = cand[cand + len(seq) <= n]
        for j, ((_alts, cap), lut) in enumerate(zip(seq, word_luts, strict=True)):
            pos = cand + j
            ok = lut[form_ids[pos]]
            if cap:
                ok &= cap_surface[corpus.tokens[pos]]
            cand = cand[ok]
        if len(seq) > 1 and len(cand):
            sent = corpus.sent_starts
            same = np.searchsorted(sent, cand, "right") == np.searchsorted(
                sent, cand + len(seq) - 1, "right"
            )
            cand = cand[same]
        out.append(cand.astype(np.int64))
    return out


def _covered(pos: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Return True where a position lies in one of the [start, end) spans."""
    if not len(starts) or not len(pos):
        return np.zeros(len(pos), dtype=bool)
    order = np.argsort(starts, kind="stable")
    s, e = starts[order], np.maximum.accumulate(ends[order])
    i = np.searchsorted(s, pos, "right") - 1
    return (i >= 0) & (pos < e[np.maximum(i, 0)])


HITS_COLUMNS = ["family", "doc", "start", "length", "form", "rule", "masked"]


def terms_locate(corpus, families: list[TermFamily], index: FormIndex | None = None):
    """Find every use (and every masked mention) of every family in the corpus.

    Masks of all selected families apply to all of them: a name is a name whichever
    family it was listed under. A hit whose first token lies inside a masked name is kept
    with ``masked=True``. Single-word hits inside a phrase hit of the same family are
    dropped (the phrase is the use).

    Args:
        corpus: a ``prepare.Corpus``.
        families: the families to find.
        index: a ``FormIndex`` of ``corpus.forms`` (built here when None; pass it to reuse).

    Returns:
        ``(hits, forms)``: hits has one row per hit with columns family, doc (document
        index), start (token position), length (tokens), form (the lowercase form or
        phrase), rule (which family rule matched) and masked; ``forms`` maps family name
        to ``{form id: rule}``.
    """
    index = index or FormIndex(corpus.forms)
    form_ids = corpus.ids("form")
    n_forms = len(index.forms)
    members = {f.name: family_forms(f, index) for f in families}
    union = np.zeros(n_forms, dtype=bool)
    for m in members.values():
        union[list(m)] = True
    pos_all = np.flatnonzero(union[form_ids]) if union.any() else np.zeros(0, np.int64)
    ids_all = form_ids[pos_all]
    cap = np.fromiter((v[:1].isupper() for v in corpus.vocab), bool, len(corpus.vocab))
    mask_texts = sorted({m for f in families for m in f.masks})
    mask_hits = _sequences_find(corpus, form_ids, index, mask_texts, cap)
    m_start = np.concatenate([np.zeros(0, np.int64), *mask_hits])
    m_len = [len(t.split()) for t, h in zip(mask_texts, mask_hits, strict=True) for _ in h]
    m_end = m_start + np.asarray(m_len, dtype=np.int64)
    parts = []
    for fam in families:
        lut = np.zeros(n_forms, dtype=bool)
        lut[list(members[fam.name])] = True
        pos = pos_all[lut[ids_all]]
        rules = members[fam.name]
        labels = [index.forms[i] for i in form_ids[pos]]
        df = pd.DataFrame({"start": pos, "length": 1, "form": labels})
        df["rule"] = [rules[i] for i in form_ids[pos]]
        p_hits = _sequences_find(corpus, form_ids, index, list(fam.phrases), cap)
        p_start = np.concatenate([np.zeros(0, np.int64), *p_hits])
        p_len = np.asarray(
            [len(t.split()) for t, h in zip(fam.phrases, p_hits, strict=True) for _ in h],
            dtype=np.int64,
        )
        if len(p_start):
            df = df[~_covered(df["start"].to_numpy(), p_start, p_start + p_len)]
            phr = [
                " ".join(index.forms[i] for i in form_ids[s : s + k])
                for s, k in zip(p_start, p_len, strict=True)
            ]
            df = pd.concat(
                [
                    df,
                    pd.DataFrame(
                        {"start": p_start, "length": p_len, "form": phr, "rule": "phrase"}
                    ),
                ]
            )
        df = df.drop_duplicates("start").sort_values("start", kind="stable")
        df.insert(0, "family", fam.name)
        df["masked"] = _covered(df["start"].to_numpy(), m_start, m_end)
        parts.append(df)
    if not parts:
        empty = {"family": [], "start": np.zeros(0, np.int64), "length": np.zeros(0, np.int64)}
        parts = [pd.DataFrame(empty | {"form": [], "rule": [], "masked": np.zeros(0, bool)})]
    hits = pd.concat(parts, ignore_index=True)
    starts = hits["start"].to_numpy(dtype=np.int64)
    hits.insert(1, "doc", (np.searchsorted(corpus.doc_starts, starts, "right") - 1).astype(int))
    hits["length"] = hits["length"].astype(np.int64)
    return hits[HITS_COLUMNS].reset_index(drop=True), members
