"""Auditable cleaning of scraped pages: boilerplate removal and redaction, every change logged.

Scraped policy texts carry navigation lines, share buttons, comment widgets, contact blocks
and publisher blurbs that are not discourse and would distort word counts. The rules, the
settings and the normalisation live here; ``cleaning_shards.corpus_clean`` applies them to
a corpus: it removes such lines by named rules (``resources/boilerplate.yaml``), removes lines that an
actor repeats across many of its documents, redacts phone numbers, e-mail addresses and
personal identity numbers (``ordbruk.text.redaction``), and logs every removed line and every
redaction, so a reader can audit what was taken out and switch single rules off.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ordbruk.errors import OrdbrukError, ParameterError
from ordbruk.paths import path_resolve
from ordbruk.resources import resource_path, resource_yaml, yaml_read
from ordbruk.text import repair

CLEANING_DEFAULTS: dict = {
    "boilerplate": True,  # True = resources/boilerplate.yaml, False = none, str = a rules file
    "disabled_rules": [],
    "repeated_lines": True,
    "repeated_min_docs": 3,
    "repeated_min_chars": 20,  # shorter lines ("Bakgrund", "Herr talman!") are never "repeated"
    "redact_phone": True,
    "redact_email": True,
    "redact_personnummer": True,
}
# Bump when a change to this module or to redaction.py changes cleaned texts (part of prepare's cache key).
# 3: markup, hyphen and content rules (ordbruk.text.repair); 4: redaction on a normalised
# copy, more formats, log windows; 5: invisible format characters removed (both of issue 12).
CLEANING_VERSION = "5"
LOG_COLUMNS = ["doc_id", "line", "rule", "action", "text"]
# The log's text: a redaction or a rejoined word with at most LOG_WINDOW characters of its
# line either side; any other row's line cut at LOG_LINE_MAX characters. "…" marks a cut.
LOG_WINDOW = 40
LOG_LINE_MAX = 300
REPEATED_RULE = "repeated_line"
RULE_TYPES = ("line", "prefix", "block", "duplicate")

_PHONE_LOOSE = r"(?:\[telefon\]|(?<![\w\-–/.,])(?:\+\d|\(?0)[\d ()/–-]{5,}\d(?!\d))"
_EMAIL_LOOSE = r"(?:\[e-post\]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
_URL = (
    r"(?:https?://\S+|www\.\S+|(?:[\w-]+\.)+(?:se|com|nu|org|net|eu|info|io|fi|no|dk)\b(?:/\S*)?)"
)
_CONTACT = re.compile(
    rf"{_PHONE_LOOSE}|{_EMAIL_LOOSE}|{_URL}|^(?:telefon|tel|tfn|mobil\w*|växel|fax|e-post|epost"
    r"|e-mail|mejl|mail|webb|hemsida)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]{2,}")
#: Invisible format characters that split a word for the tokeniser (``\w`` does not match
#: them): soft hyphen, zero-width space, non-joiner and joiner, left-to-right and
#: right-to-left marks, word joiner, zero-width no-break space. Removed from the cleaned
#: text, so "sam\u00adverkan" is the word "samverkan" in tokens, KWIC lines and examples.
INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
_INVISIBLE_DROP = dict.fromkeys(map(ord, INVISIBLE_CHARS))
_WS_OTHER = re.compile(r"[^\S\n ]")  # whitespace other than newline and space: tab, NBSP ...
_BLANK_RUNS = re.compile("\n\n\n+")
_QUOTE_START = ("-", "–", "—", '"', "”", "“", "»")
_ROLE = re.compile(
    r"(?i)press(?:ekreterare|chef|ansvarig|assistent|kontakt|tjänst)|kommunikatör|informatör"
)


@dataclass(frozen=True)
class Rule:
    """One boilerplate rule from the rules file."""

    name: str
    description: str
    type: str
    patterns: tuple[str, ...]  # regexes matched against the whole line (prefixes are escaped)
    ignore_case: bool = False

    def source(self) -> str:
        """Return the rule as one regex source, placeholders expanded, case flag scoped."""
        body = "|".join(_placeholders_expand(p) for p in self.patterns)
        return f"(?{'i' if self.ignore_case else ''}:{body})"


def rules_load(path: str | Path | None = None) -> list[Rule]:
    """Read and check a boilerplate rules file.

    Args:
        path: a YAML file in the format of ``resources/boilerplate.yaml``; None = that file.

    Returns:
        The rules in file order.

    Raises:
        OrdbrukError: the file is missing, not YAML, or a rule is malformed.
    """
    if path:
        path, data = Path(path), yaml_read(path)
    else:
        path, data = resource_path("boilerplate.yaml"), resource_yaml("boilerplate.yaml")
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise OrdbrukError(f"{path}: expected a mapping with a 'rules' list")
    rules, seen = [], set()
    for k, raw in enumerate(data["rules"], 1):
        where = f"{path}: rule {k}"
        if not isinstance(raw, dict) or not re.fullmatch(r"[a-z][a-z0-9_]*", str(raw.get("name"))):
            raise OrdbrukError(f"{where}: needs a 'name' of lowercase letters, digits and _")
        name, kind = raw["name"], raw.get("type")
        where = f"{path}: rule {k} ({name})"
        if name in seen or name == REPEATED_RULE:
            raise OrdbrukError(f"{where}: name: used twice or reserved; rename the rule")
        if kind not in RULE_TYPES:
            raise OrdbrukError(f"{where}: type: must be one of {', '.join(RULE_TYPES)}")
        if not isinstance(raw.get("description"), str) or not raw["description"].strip():
            raise OrdbrukError(f"{where}: description: missing; say what the rule removes")
        key = {"prefix": "prefixes", "duplicate": None}.get(kind, "patterns")
        items = raw.get(key, []) if key else []
        if key and (
            not isinstance(items, list) or not items or not all(isinstance(p, str) for p in items)
        ):
            raise OrdbrukError(f"{where}: {key}: needs a non-empty list of strings")
        patterns = tuple(re.escape(p) + ".*" for p in items) if kind == "prefix" else tuple(items)
        for j, p in enumerate(patterns):
            try:
                re.compile(_placeholders_expand(p))
            except re.error as exc:
                raise OrdbrukError(f"{where}: {key}[{j}]: invalid regex: {exc}") from None
            if "(?P<" in p:
                raise OrdbrukError(f"{where}: {key}[{j}]: named groups are not allowed")
        if not isinstance(raw.get("ignore_case", False), bool):
            raise OrdbrukError(f"{where}: ignore_case: must be true or false")
        seen.add(name)
        rules.append(
            Rule(name, raw["description"].strip(), kind, patterns, raw.get("ignore_case", False))
        )
    return rules


def _placeholders_expand(pattern: str) -> str:
    return (
        pattern.replace("<PHONE>", _PHONE_LOOSE)
        .replace("<EMAIL>", _EMAIL_LOOSE)
        .replace("<URL>", _URL)
    )


def settings_check(settings: dict | None) -> dict:
    """Check cleaning settings and fill in defaults.

    Args:
        settings: the ``cleaning:`` block of a params file (keys of ``CLEANING_DEFAULTS``);
            None = all defaults.

    Returns:
        A complete settings dict.

    Raises:
        ParameterError: an unknown key or a value of the wrong type.
    """
    if settings is None:
        settings = {}
    if not isinstance(settings, dict):
        raise ParameterError(f"cleaning: expected a mapping, got {type(settings).__name__}")
    unknown = sorted(set(settings) - set(CLEANING_DEFAULTS))
    if unknown:
        known = ", ".join(CLEANING_DEFAULTS)
        raise ParameterError(f"cleaning.{unknown[0]}: unknown setting; known settings: {known}")
    out = {**CLEANING_DEFAULTS, **settings}
    if out["disabled_rules"] is None:
        out["disabled_rules"] = []
    for key, value in out.items():
        if key == "boilerplate":
            ok = isinstance(value, (bool, str))
        elif key == "disabled_rules":
            ok = isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
        elif key in ("repeated_min_docs", "repeated_min_chars"):
            ok = (
                isinstance(value, int)
                and not isinstance(value, bool)
                and value >= (2 if key == "repeated_min_docs" else 1)
            )
        else:
            ok = isinstance(value, bool)
        if not ok:
            want = {
                "boilerplate": "true, false or the path of a rules file",
                "disabled_rules": "a list of rule names",
                "repeated_min_docs": "an integer >= 2",
                "repeated_min_chars": "an integer >= 1",
            }.get(key, "true or false")
            raise ParameterError(f"cleaning.{key}: got {value!r}; expected {want}")
    out["disabled_rules"] = list(out["disabled_rules"])
    return out


def _rules_active(settings: dict) -> list[Rule]:
    source = settings["boilerplate"]
    rules = [] if source is False else rules_load(None if source is True else path_resolve(source))
    known = {r.name for r in rules} | {REPEATED_RULE, *repair.REPAIR_RULES}
    for name in settings["disabled_rules"]:
        if name not in known:
            raise ParameterError(
                f"cleaning.disabled_rules: unknown rule {name!r}; known rules: {', '.join(sorted(known))}"
            )
    return [r for r in rules if r.name not in settings["disabled_rules"]]


def _contact_like(line: str) -> bool:
    # A line that belongs in a contact block: contact data, a role, a short label ending in
    # ":", or a short line of mostly capitalised words (a name or an organisation).
    if _CONTACT.search(line) or _ROLE.match(line):
        return True
    words = _WORD.findall(line)
    if line.endswith(":") and len(words) <= 10:
        return True
    return 0 < len(words) <= 6 and 2 * sum(w[0].isupper() for w in words) > len(words)


def _block_extend(lines: list[str], start: int, hits: dict, rule: str) -> None:
    # Walk a contact block from its heading over blank lines, lines already matched by a line
    # rule and contact-like lines; the first other line (prose, a subheading) ends it.
    for j in range(start + 1, len(lines)):
        line = lines[j]
        if not line or j in hits:
            continue
        if not _contact_like(line):
            return
        hits[j] = rule


def _text_normalise(text: str) -> str:
    # Unicode and whitespace normalisation that keeps the number of lines; line numbers in
    # the log count "\n" (and "\r\n" or "\r") breaks of the original text.
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii() and any(c in text for c in INVISIBLE_CHARS):
        text = text.translate(_INVISIBLE_DROP)
    # Single-character tests are fast; a regex scan of every text is not.
    if "\xa0" in text or "\t" in text or "\u202f" in text or "\u2009" in text or "\u2028" in text:
        text = _WS_OTHER.sub(" ", text)
    if "  " in text:
        text = re.sub(" {2,}", " ", text)
    return text
