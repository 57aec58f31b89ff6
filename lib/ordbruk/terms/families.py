"""Term families: which Swedish word forms count as a use of a concept.

A term family names one concept ("samverkan") and the rules that decide membership
(``docs/architecture.md``; METHODS.md, "Term families"): whole-word forms (inflections),
compound stems that may start a compound ("samverkansformer", "samverkans-"), end one
("regionsamverkan") or sit inside one ("bostadssegregationsfrågor"), explicit inclusions
and exclusions (glob patterns), multi-word phrases ("socialt hållbar") and names to mask
(organisations and offices whose name contains the term, "Delegationen mot segregation",
counted as ``masked_count`` and not as uses).

A plain word given as a family (a name not in the family file, or ``null`` rules) also
gets the lemma route: every corpus form whose lemma (the prepared corpus's own form ->
lemma table, ``FormIndex.of_corpus``; nothing is re-lemmatised) is the word's lemma joins
("bostäder", "bostäderna" for "bostad", which the written stem cannot reach), and so do
compounds ending in such a form ("hyresbostäder"). A form reached only through the lemma
must look like the word: it starts with the word's first letter and is not a stop word,
so a homograph lemma ("ska" -> "skola", "är" -> "vara") does not pull in a function word (a stop word by
``Corpus.stop_forms``, the one stop-word test).
Families with rules of their own (the shipped file) keep exactly those rules.

Membership is decided on the corpus vocabulary, not on tokens: every distinct lowercased
form is classified once (literal search in the joined vocabulary, ``FormIndex``, finds the
few candidates; the rules run on those only). Finding the uses in the token stream is
``ordbruk.terms.locate``; counting, aggregation and dispersion (Gries' DP) are in
``ordbruk.terms.frequency``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

import numpy as np

from ordbruk.errors import ParameterError
from ordbruk.paths import path_resolve
from ordbruk.resources import resource_path, resource_yaml, yaml_read
from ordbruk.text.tokenize import stopwords_load

FAMILIES_FILE = "term_families.yaml"
#: Endings a plain word gets when it becomes a family without rules of its own.
DEFAULT_ENDINGS = ("", "s", "en", "ens", "et", "ets", "er", "ar", "or", "na", "erna", "arna")
DEFAULT_LINKERS = ("", "s", "-")
#: ``admitted_by`` of each rule (the forms table); a form takes its first rule in
#: ``form_rule`` order: excluded, form, include, stem, lemma, compound.
ADMITTED_BY = {
    "form": "form",
    "include": "include",
    "stem": "stem",
    "lemma": "lemma",
    "prefix_compound": "compound",
    "suffix_compound": "compound",
    "infix_compound": "compound",
    "phrase": "phrase",
}
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
    #: a plain word: its corpus lemma admits every form with that lemma ("" : no lemma route)
    lemma_word: str = ""
    examples: dict = field(default_factory=dict, compare=False, hash=False)


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", str(s)).strip()


def family_from_spec(name: str, spec: dict | str | None, source: str = "parameters") -> TermFamily:
    """Build a family from a spec dict (the YAML schema) or a plain word.

    Args:
        name: the family's name.
        spec: a dict with the keys of ``resources/term_families.yaml``; None or a string
            (the word itself) makes a plain-word family: the word as stem, the default
            endings, compounds in both positions and the lemma route (``family_forms``).
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
        return TermFamily(name=name, stems=(word,), endings=DEFAULT_ENDINGS, lemma_word=word)
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


def _excluded(fam: TermFamily, form: str) -> bool:
    return any(fnmatchcase(form, p) for p in fam.exclude)


def form_rule(fam: TermFamily, form: str, lemma_ok: bool = False) -> str | None:
    """Say which rule makes a word form a member of the family, or None.

    Rules are tried in order and the first that applies names the form: excluded (None),
    form, include, stem, lemma, then the compounds. So a `lemma` row in the forms table is
    a form only the lemma table brought in.

    Args:
        fam: the family.
        form: one word form (lowercased here).
        lemma_ok: the form has the family's lemma and passes the homograph checks
            (``family_forms`` decides it; only plain-word families have a lemma route).

    Returns:
        "form", "include", "stem", "lemma", "prefix_compound", "suffix_compound",
        "infix_compound", or None (not a member, or excluded).
    """
    f = _nfc(form).lower()
    if not f or _excluded(fam, f):
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
                    if not head:
                        return "stem"
                    found = "suffix_compound"  # as the stem plus an ending, it outranks the others
                elif fam.prefix_compounds and _tail_is_compound(fam, tail):
                    found = found or ("prefix_compound" if not head else "infix_compound")
            i = f.find(stem, i + 1)
    return "lemma" if lemma_ok else found


class FormIndex:
    """The corpus vocabulary joined into one string, for fast literal and glob lookups."""

    def __init__(self, forms: list[str], lemmas: list[str] | None = None, stop=None):
        """Index lowercase forms (``Corpus.forms``), optionally their lemmas and stop flags.

        ``stop`` is a boolean per form, True for a stop word (``Corpus.stop_forms``).
        """
        self.forms = forms
        self.lemmas = lemmas
        self.stop = np.zeros(len(forms), bool) if stop is None else np.asarray(stop, bool)
        self.joined = "\n" + "\n".join(forms) + "\n"
        lengths = np.fromiter(map(len, forms), dtype=np.int64, count=len(forms))
        self.starts = np.cumsum(np.concatenate([[1], lengths + 1]))[:-1]
        self.ids = {f: i for i, f in enumerate(forms)}

    @classmethod
    def of_corpus(cls, corpus) -> FormIndex:
        """Index a prepared corpus's forms with their lemmas (its own form -> lemma table)."""
        lemmas = [corpus.lemmas[j] for j in corpus.lemma]
        return cls(corpus.forms, lemmas, corpus.stop_forms(stopwords_load()))

    def with_lemma(self, lemma: str) -> np.ndarray:
        """Return ids of forms whose lemma is ``lemma`` (none when no lemmas were given)."""
        if self.lemmas is None:
            return np.zeros(0, dtype=np.int64)
        if not hasattr(self, "_by_lemma"):
            by: dict[str, list[int]] = {}
            for i, lem in enumerate(self.lemmas):
                by.setdefault(lem, []).append(i)
            self._by_lemma = by
        return np.asarray(self._by_lemma.get(lemma, []), dtype=np.int64)

    def lemma_of(self, form: str) -> str:
        """Return the lemma of ``form`` in the corpus, or the form itself when absent."""
        i = self.ids.get(form)
        return self.lemmas[i] if i is not None and self.lemmas is not None else form

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


def _lemma_forms(fam: TermFamily, index: FormIndex) -> set[int]:
    """Forms the lemma route admits for a plain word: its corpus lemma, homographs kept out.

    A form with the word's lemma joins when it starts with the word's first letter (so
    "är" does not join "vara" (goods) through the verb) and is not a stop word (so "ska"
    does not join "skola" where the lemmatiser maps the modal onto the noun).
    """
    if not fam.lemma_word:
        return set()
    word = fam.lemma_word
    out = set()
    for i in index.with_lemma(index.lemma_of(word)).tolist():
        f = index.forms[i]
        if f[:1] == word[:1] and not index.stop[i] and not any(c.isdigit() for c in f):
            out.add(i)
    return out


def _lemma_compounds(fam: TermFamily, index: FormIndex, lemma_ids: set[int]) -> set[int]:
    """Forms ending in a lemma-route form after a head of ``min_head`` letters ("hyresbostäder")."""
    if not fam.suffix_compounds:
        return set()
    out = set()
    for i in lemma_ids:
        x = index.forms[i]
        for j in index.containing(x).tolist():
            f = index.forms[j]
            if f.endswith(x) and len(f) - len(x) >= fam.min_head and f[-len(x) - 1] != "-":
                out.add(j)
    return out - lemma_ids


def family_forms(fam: TermFamily, index: FormIndex) -> dict[int, str]:
    """Classify the vocabulary for one family.

    Args:
        fam: the family.
        index: the corpus vocabulary; ``FormIndex.of_corpus(corpus)`` carries the lemmas
            the lemma route of a plain word needs (without them, spelling rules only).

    Returns:
        ``{form id: rule}`` for every member form.
    """
    cand: set[int] = set()
    for stem in fam.stems:
        cand.update(index.containing(stem).tolist())
    for pattern in fam.forms + fam.include:
        cand.update(index.glob(pattern).tolist())
    lemma_ids = _lemma_forms(fam, index)
    compounds = _lemma_compounds(fam, index, lemma_ids)
    out = {}
    for i in sorted(cand | lemma_ids | compounds):
        f = index.forms[i]
        rule = form_rule(fam, f, lemma_ok=i in lemma_ids)
        if rule is None and i in compounds and not _excluded(fam, f):
            rule = "suffix_compound"
        if rule:
            out[i] = rule
    return out
