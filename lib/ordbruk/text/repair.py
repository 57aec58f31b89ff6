"""Repairs inside a line of text: markup remnants, line-break hyphens, content lines.

``ordbruk.text.cleaning`` removes whole lines; the rules here change a line in place or
decide that a line carries content. Each is a named rule that ``corpus_clean`` logs and
that ``cleaning.disabled_rules`` switches off:

- ``word_conditional`` removes MS-Word conditional comments left in text exported from
  Word ("<![if !supportLists]>- <![endif]>"): the markers go, the text between them (a list
  bullet, which every browser other than old Word shows) stays. A hidden conditional
  ("<!--[if gte mso 9]>...<![endif]-->") goes with its content.
- ``markup_remnant`` removes other markup that survived into a text file: HTML comments,
  Office tags ("<o:p>"), simple HTML tags, and decodes character references ("&nbsp;").
- ``hyphen_join`` rejoins a word broken at a line end ("inte- grationsdepartement" ->
  "integrationsdepartement") when the joined form is a known word: in simplemma's Swedish
  dictionary, or written unbroken elsewhere in the corpus while one of the pieces is not
  a word ("samver- kansavtal"). Never after coordination ("Gymnasie- och
  vuxenutbildningsförvaltningen" stays a truncated compound, as in the tokeniser), before
  a stop word ("ansvaret- en": a dash), after an acronym ("EU- kommissionen") or before a
  capital.
- ``repeated_line_content`` keeps a line that an actor repeats across documents when it
  carries content: a question, or a sentence of at least ``CONTENT_MIN_WORDS`` words with
  a finite verb and a speaker ("jag"): "Med anledning av detta vill jag fråga ...". An
  organisation's blurb ("Kommunen arbetar för ...", "Vi är ...") has a verb too but no
  "jag", so it is still removed as a template.
"""

from __future__ import annotations

import html
import re

import simplemma

from ordbruk.text.redaction import text_window
from ordbruk.text.tokenize import COORDINATORS, form_lemmatize, stopwords_load

WORD_CONDITIONAL_RULE = "word_conditional"
MARKUP_RULE = "markup_remnant"
HYPHEN_RULE = "hyphen_join"
CONTENT_RULE = "repeated_line_content"
REPAIR_RULES = (WORD_CONDITIONAL_RULE, MARKUP_RULE, HYPHEN_RULE, CONTENT_RULE)
#: A repeated line of at least this many words with a finite verb and "jag" is content.
CONTENT_MIN_WORDS = 8

_WORD_CONDITIONAL = re.compile(
    r"<!--\[if [^\]]*\]>.*?<!\[endif\]-->|<!\[if [^\]]*\]>|<!\[endif\]>(?:-->)?", re.DOTALL
)
_MARKUP = re.compile(
    r"<!--.*?-->|</?[a-z]:\w+[^<>]*>"
    r"|</?(?:p|br|span|div|font|b|i|u|em|strong|sup|sub|a|li|ul|ol|table|tr|td|th)"
    r"(?:\s[^<>]*)?/?>|&(?:[a-zA-Z]{2,8}|#\d{1,6}|#x[0-9a-fA-F]{1,6});",
    re.IGNORECASE,
)
_BROKEN = re.compile(r"(?<![\w-])([^\W\d_]{2,})- ([^\W\d_]{2,})(?![\w-])")
_WORDS = re.compile(r"[^\W\d_]+")
_SPEAKER = frozenset(("jag", "mig"))
# Finite verbs that the ending test below misses: modals, auxiliaries, strong verbs.
_FINITE = frozenset(
    "är var har hade ska skall skulle kan kunde vill ville måste bör borde får fick blir "
    "blev kommer kom finns fanns gör gjorde ger gav tar tog ser såg står stod går gick "
    "vet visste menar anser avser".split()
)


def markup_strip(line: str, rules: frozenset[str]) -> tuple[str, list[str]]:
    """Remove markup remnants from one line.

    Args:
        line: one line of text.
        rules: the active rule names (``WORD_CONDITIONAL_RULE``, ``MARKUP_RULE``).

    Returns:
        The line without the remnants (whitespace collapsed) and one rule name per remnant.
    """
    events: list[str] = []
    for rule, pattern, repl in (
        (WORD_CONDITIONAL_RULE, _WORD_CONDITIONAL, lambda m: ""),
        (MARKUP_RULE, _MARKUP, _markup_replace),
    ):
        if rule in rules and ("<" in line or "&" in line):
            line, n = pattern.subn(repl, line)
            events += [rule] * n
    if events:
        line = re.sub(r"\s{2,}", " ", line).strip()
    return line, events


def _markup_replace(m: re.Match) -> str:
    s = m.group(0)
    return html.unescape(s).replace("\xa0", " ") if s.startswith("&") else " "


def hyphens_join(line: str, vocabulary: frozenset[str] = frozenset()) -> tuple[str, list[str]]:
    """Rejoin words broken at a line end whose joined form is a known Swedish word.

    Args:
        line: one line of text.
        vocabulary: lowercase joined forms written unbroken elsewhere in the corpus
            (``cleaning_shards.clean_stats_merge``); they count as known when a piece is not a word.

    Returns:
        The line and the joined words, in order.
    """
    joined: list[str] = []

    def repl(m: re.Match) -> str:
        word = _joinable(m.group(1), m.group(2), vocabulary)
        if word:
            joined.append(word)
        return word or m.group(0)

    return (_BROKEN.sub(repl, line) if "- " in line else line), joined


def hyphen_candidates(line: str) -> list[str]:
    """Return the lowercase joined forms of broken words on the line not in the dictionary."""
    if "- " not in line:
        return []
    return [
        (m.group(1) + m.group(2)).lower()
        for m in _BROKEN.finditer(line)
        if _shape_ok(m.group(1), m.group(2)) and not _known((m.group(1) + m.group(2)).lower())
    ]


def written_whole(blob: str, word: str) -> bool:
    """Tell whether ``word`` occurs in ``blob`` with no letter right before or after it."""
    i = blob.find(word)
    while i >= 0:
        end = i + len(word)
        if (i == 0 or not blob[i - 1].isalpha()) and (end == len(blob) or not blob[end].isalpha()):
            return True
        i = blob.find(word, i + 1)
    return False


def _shape_ok(head: str, tail: str) -> bool:
    return (
        tail[0].islower()
        and head[1:].islower()
        and tail not in COORDINATORS
        and tail + "." not in COORDINATORS
        and tail not in stopwords_load()
    )


def _joinable(head: str, tail: str, vocabulary: frozenset[str]) -> str | None:
    if not _shape_ok(head, tail):
        return None
    word = head + tail
    lower = word.lower()
    if _known(lower):
        return word
    if lower in vocabulary and not (_known(head.lower()) and _known(tail)):
        return word
    return None


def _known(word: str) -> bool:
    return simplemma.is_known(word, lang="sv")


def line_has_content(line: str) -> bool:
    """Return True for a question, or ``CONTENT_MIN_WORDS`` words with "jag" and a verb.

    A word is a finite verb when it is a listed modal, auxiliary or strong verb, or when
    simplemma's lemma ends in a vowel and the word is the lemma plus "r" ("fråga" ->
    "frågar", "bo" -> "bor") or, for a lemma ending in "a", plus "er" for the "a"
    ("bygga" -> "bygger"), or plus "de" (past: "tala" -> "talade").
    """
    if line.rstrip().endswith("?"):
        return True
    words = [w.lower() for w in _WORDS.findall(line)]
    return (
        len(words) >= CONTENT_MIN_WORDS
        and not _SPEAKER.isdisjoint(words)
        and any(map(_finite, words))
    )


def _finite(word: str) -> bool:
    if word in _FINITE:
        return True
    lemma = form_lemmatize(word)
    if not lemma or lemma == word or lemma[-1] not in "aeiouyåäö":
        return False
    return word in (lemma + "r", lemma + "de") or (
        lemma.endswith("a") and word == lemma[:-1] + "er"
    )


def joined_windows(line: str, words: list[str], width: int) -> list[str]:
    """Return the log window around each rejoined word, found in order in the repaired line."""
    out, pos = [], 0
    for word in words:
        i = line.find(word, pos)
        i = pos if i == -1 else i
        out.append(text_window(line, i, i + len(word), width))
        pos = i + len(word)
    return out
