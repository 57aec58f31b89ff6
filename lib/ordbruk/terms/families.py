"""Term families: which Swedish word forms count as a use of a concept.

A term family names one concept ("samverkan") and the rules that decide membership
(``docs/architecture.md``; METHODS.md, "Term families"): whole-word forms (inflections),
compound stems that may start a compound ("samverkansformer", "samverkans-"), end one
("regionsamverkan") or sit inside one ("bostadssegregationsfrågor"), explicit inclusions
and exclusions (glob patterns), multi-word phrases ("socialt hållbar") and names to mask
(organisations and offices whose name contains the term, "Delegationen mot segregation",
counted as ``masked_count`` and not as uses).

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
