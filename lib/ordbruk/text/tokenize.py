"""Swedish tokens, sentence and paragraph markers, and lemmas: the tokeniser itself.

The tokeniser is one regular expression from the standard ``re`` module run once per
document (nltk's RegexpTokenizer wraps every call in a regex timeout and is about four
times slower in this loop). It returns words, numbers and Swedish abbreviations
("bl.a.", "t.ex.") as tokens, keeps the hyphen of a truncated compound ("Gymnasie-" in
"Gymnasie- och vuxenutbildningsförvaltningen") and also returns three kinds of markers:
sentence-final punctuation (only where a new sentence starts: followed by a capital,
digit, quote or dash, or at the end of a line), line breaks, and paragraph breaks (a
blank line, ``PARAGRAPH_BREAK``). Markers never become tokens; ``ordbruk.text.tables``
turns them into sentence and paragraph offsets for the whole corpus at once, and the
lengths of the text between matches into each token's character offset.

Each distinct lowercased form is lemmatised once with simplemma (Swedish data shipped
inside the package, so nothing downloads), then corrected by
``resources/lemma_corrections_sv.txt`` where simplemma joins two words (the modal "ska"
is not the noun "skola"). Stop words are a ``StopList``: forms from
``resources/stopwords_sv.txt`` and lemmas from ``resources/stopwords_lemmas_sv.txt``;
removing them is an analysis choice made later (``Corpus.stop_forms``).
"""

from __future__ import annotations

import re
from array import array
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import simplemma

from ordbruk.progress import steps
from ordbruk.resources import resource_lines
from ordbruk.text.redaction import PLACEHOLDERS

#: Bump when tokenisation, sentence splitting, lemmatisation or the stored token tables
#: change: it is part of the cache key, so a processed corpus made by older code is never
#: reused. 3: every token's character offset is stored (``char_starts``). 4: lemma
#: corrections after simplemma (the table itself is hashed into the key as a resource).
TOKENS_VERSION = "4"
#: Words after which a hyphen ends a truncated compound ("hälso- och", "för- eller").
COORDINATORS = ("och", "eller", "samt", "respektive", "resp.", "&", "till", "som")

#: Abbreviations that often end a sentence; see ``_pattern_build``.
SENTENCE_FINAL_ABBREVIATIONS = ("m.m.", "m.fl.", "osv.", "o.s.v.", "etc.", "o.d.", "e.d.")

#: A paragraph break: a blank line and the whitespace after it. The one definition of a
#: paragraph in a text, used by the tokeniser, topic examples and the quote finder.
PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


@lru_cache(maxsize=1)
def abbreviations_load() -> tuple[str, ...]:
    """Return the shipped Swedish abbreviations with full stops, longest first."""
    return tuple(sorted(set(resource_lines("abbreviations_sv.txt")), key=len, reverse=True))


@dataclass(frozen=True)
class StopList:
    """Stop words: a token is one when its lowercased form is in ``forms`` or its lemma in ``lemmas``.

    A plain set given where a StopList is expected is both (``stoplist_of``).
    """

    forms: frozenset[str]
    lemmas: frozenset[str]

    def __len__(self) -> int:
        return len(self.forms | self.lemmas)

    def __contains__(self, word: str) -> bool:
        return word in self.forms or word in self.lemmas

    def union(self, other: StopList) -> StopList:
        """Return the StopList of both lists' forms and lemmas."""
        return StopList(self.forms | other.forms, self.lemmas | other.lemmas)


@lru_cache(maxsize=1)
def stopwords_load() -> StopList:
    """Return the shipped Swedish stop list: forms and stop lemmas (lowercase)."""
    return StopList(
        frozenset(resource_lines("stopwords_sv.txt")),
        frozenset(resource_lines("stopwords_lemmas_sv.txt")),
    )


def stoplist_of(stopwords) -> StopList:
    """Return ``stopwords`` as a StopList.

    A StopList is returned as it is; a set of strings becomes both the forms and the
    lemmas (lowercased), so it is matched against either.
    """
    if isinstance(stopwords, StopList):
        return stopwords
    words = frozenset(s.lower() for s in stopwords)
    return StopList(words, words)


@lru_cache(maxsize=1)
def names_load() -> StopList:
    """Return the shipped place names (``resources/names_sv.txt``) as a StopList.

    Each name is matched as a form, with its genitive (-s), and as a lemma, so "malmö",
    "malmös" and a form lemmatised to "malmö" are all names.
    """
    names = frozenset(resource_lines("names_sv.txt"))
    return StopList(names | {n + "s" for n in names if not n.endswith("s")}, names)


def stoplist_make(drop_stopwords: bool = True, drop_names: bool = False) -> StopList | None:
    """Return the tokens an analysis leaves out: stop words, place names, both or neither.

    Args:
        drop_stopwords: leave out the shipped stop words (``stopwords_load``).
        drop_names: leave out the shipped place names too (``names_load``).

    Returns:
        The union as one StopList (``Corpus.stop_forms`` tests it), or None for neither.
    """
    parts = [s for s, on in ((stopwords_load(), drop_stopwords), (names_load(), drop_names)) if on]
    return parts[0].union(parts[1]) if len(parts) == 2 else (parts[0] if parts else None)


@lru_cache(maxsize=1)
def lemma_corrections() -> dict[str, str]:
    """Return the shipped lemma corrections: lowercase form -> lemma replacing simplemma's."""
    out = {}
    for line in resource_lines("lemma_corrections_sv.txt"):
        form, lemma = line.split()
        out[form] = lemma
    return out


def _pattern_build() -> re.Pattern:
    abbrevs = [a for a in abbreviations_load() if "." in a]
    # These often close a sentence ("... skola, fritid m.m. Sedan ..."): before a capital
    # the final stop is left to the sentence-end rule, so the token is "m.m" there.
    enders = "|".join(re.escape(a[:-1]) for a in SENTENCE_FINAL_ABBREVIATIONS)
    new_sentence = r"(?=\s+[\"”»(–—\-]*\s*[A-ZÅÄÖÉÜ0-9]|[ \t]*(?:\n|$))"
    # An abbreviation must start at a word boundary and not run on into a longer word.
    abbr = "|".join(re.escape(a).replace(r"\ ", r"\s?") for a in abbrevs)
    # A hyphen ends a truncated compound only when coordination follows: "hälso- och",
    # "nämnd-, förvaltnings- och", "för- eller". Anything else is a dash, not a token.
    coordination = "|".join(map(re.escape, COORDINATORS))
    trunc = rf"-(?=\s*,|\s+(?:{coordination})\s)"
    number = r"\d+(?:[.,]\d+)+(?!\w)"
    word = rf"\w+(?:[-:'’]\w+)*(?:{trunc})?"
    # Sentence-final punctuation counts only where a new sentence plausibly begins.
    end = rf"[.!?…]+[\"”»’)]*{new_sentence}"
    # Redaction placeholders ("[telefon]") are matched whole so that they never count as
    # the words "telefon", "e-post" or "personnummer".
    placeholder = "|".join(re.escape(p) for p in PLACEHOLDERS.values())
    para = PARAGRAPH_BREAK.pattern
    line = r"\n"
    # One group around the whole: ``split`` then returns the text between matches too,
    # whose lengths give every match its character offset; ``findall`` is unchanged.
    return re.compile(
        # The guard (a short word and a full stop ahead) rejects almost every position
        # at once, so the long abbreviation alternation is rarely tried: 6x faster.
        rf"((?=\w{{1,6}}\.)(?:(?i:(?<!\w)(?:{enders}))(?=\.(?:{new_sentence[3:-1]}))|"
        rf"(?i:(?<!\w)(?:{abbr})(?!\w)))|{placeholder}|{number}|{word}|{end}|{para}|{line})",
        re.UNICODE,
    )


@lru_cache(maxsize=1)
def token_pattern() -> re.Pattern:
    """Return the compiled tokeniser (words, numbers, abbreviations and markers).

    The whole pattern is one group: ``findall`` gives the matches, ``split`` the matches
    and the text between them.
    """
    return _pattern_build()


def marker_kind(s: str) -> int:
    """Classify a matched string by kind.

    0 a token, 1 a sentence end or line break, 2 a paragraph break, 3 a redaction
    placeholder (neither a token nor a break).
    """
    if s.startswith("\n"):
        return 2 if s.count("\n") >= 2 else 1
    if s[0] in ".!?…":
        return 1
    if s[0] == "[":
        return 3
    return 0


def text_tokenize(text: str) -> list[str]:
    """Split one text into tokens (words, numbers, abbreviations); markers dropped.

    Args:
        text: any text, ideally NFC-normalised.

    Returns:
        The tokens in order, case as in the text.
    """
    return [t for t in token_pattern().findall(text) if marker_kind(t) == 0]


def text_paragraphs(text: str) -> list[tuple[int, str]]:
    """Split one text at its paragraph breaks (``PARAGRAPH_BREAK``).

    Args:
        text: any text.

    Returns:
        (character offset, text) of each paragraph that is not blank, whitespace
        stripped; the offset is where the stripped text starts.
    """
    out = []
    pos = 0
    for end, after in [(m.start(), m.end()) for m in PARAGRAPH_BREAK.finditer(text)] + [
        (len(text), len(text))
    ]:
        piece = text[pos:end]
        stripped = piece.strip()
        if stripped:
            out.append((pos + len(piece) - len(piece.lstrip()), stripped))
        pos = after
    return out


def texts_tokenize(texts: list[str], ids_of: defaultdict) -> tuple[array, array, array]:
    """Tokenise texts into raw ids (tokens and markers), extending the table ``ids_of``.

    Args:
        texts: the texts.
        ids_of: string -> id, a defaultdict whose default factory is its own ``__len__``.

    Returns:
        (raw ids as array("i"); start of each text in them as array("q"), len n+1; per
        raw id, the number of characters between it and the previous match of its text,
        or the text's start, as array("i")). A match's offset in its text is the sum of
        the gaps and match lengths before it, plus its own gap.
    """
    split = token_pattern().split
    getid = ids_of.__getitem__
    raw = array("i")
    starts = array("q", [0])
    gaps = array("i")
    for text in steps(texts, len(texts), "tokenise", "doc"):
        # [gap, match, gap, match, ..., gap]: the last gap (after the last match) is unused.
        parts = split(text)
        raw.extend(map(getid, parts[1::2]))
        gaps.extend(map(len, parts[:-1:2]))
        starts.append(len(raw))
    return raw, starts, gaps


_LEMMA_SKIP = re.compile(r"^[\d\W_]|[-.:]$|\d")


def form_lemmatize(form: str) -> str:
    """Return the lowercase lemma of one lowercase form (simplemma, Swedish).

    Numbers, abbreviations and truncated compounds ("gymnasie-") are their own lemma; a
    form in ``lemma_corrections`` gets the lemma given there.
    """
    fixed = lemma_corrections().get(form)
    if fixed is not None:
        return fixed
    if form + "." in SENTENCE_FINAL_ABBREVIATIONS:
        return form + "."
    if _LEMMA_SKIP.search(form):
        return form
    return _simplemma_lemmatize(form).lower()


def _simplemma_lemmatize(form: str) -> str:
    return simplemma.lemmatize(form, lang="sv")
