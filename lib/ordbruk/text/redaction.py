"""Redaction of personal contact data: phone numbers, e-mail addresses, identity numbers.

Texts published by authorities still name officials with their direct phone numbers and
e-mail addresses, and a scraped page may carry a personal identity number. ``text_redact``
replaces each with a placeholder ("[telefon]", "[e-post]", "[personnummer]") and leaves
years, dates, times, amounts, giro, reference and case numbers alone. Matching runs on a
copy of the text in which every Unicode dash is "-", every Unicode space is " " and
format characters (soft hyphen, zero-width space, ...) are gone, so a number written with
an en dash, a figure space or a zero-width space inside is found like a plain one; the
spans found are mapped back to the original text, which is what gets redacted.
``corpus_clean`` redacts every text through ``text_redact_logged`` (which says where),
``meta_redact`` the metadata of the processed corpus, ``report.text_safe`` any text shown.

What counts as a phone number: a Swedish number (trunk 0, or +46 / 0046, 7-9 digits
after it, mobile numbers 07x exactly 9) with spaces, dashes, dots, slashes or "(0)" as
separators, or another international number (+ or 00, 9-13 digits). Not a phone number: a
number after a word naming another kind of number (dnr, diarienummer, plusgiro, bankgiro,
referens, ocr, kundnummer, org.nr, ...: case and payment numbers are not personal data), a
date or time shape, a 0 inside a word or after a date or case-number separator, a group of
a thousands-grouped amount (1 020 304 050 kronor).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

import pandas as pd

PLACEHOLDERS = {"phone": "[telefon]", "email": "[e-post]", "personnummer": "[personnummer]"}


def _special_chars() -> tuple[dict[str, str], frozenset[str], dict[int, int]]:
    # The matching copy's character map: dashes -> "-", spaces -> " ", format characters
    # deleted, look-alikes of "@" and "."; and non-ASCII decimal digits -> ASCII digits.
    table, digits = {"\t": " ", "\u2212": "-", "\uff20": "@", "\ufe6b": "@", "\uff0e": "."}, {}
    planes = [*range(0x80, 0x10000), *range(0xE0000, 0xE0080)]
    to = {"Pd": "-", "Zs": " ", "Zl": "\n", "Zp": "\n", "Cf": ""}
    for c in map(chr, planes):
        if (kind := unicodedata.category(c)) in to:
            table[c] = to[kind]
        elif kind == "Nd":
            digits[ord(c)] = ord("0") + unicodedata.digit(c)
    # UTF-8 lead byte -> a regex of the characters it starts: finding which of them a text
    # holds in its bytes is many times faster than looking at each of its characters.
    leads = {}
    for c in table:
        b = c.encode()
        leads[b[0]] = re.compile(re.escape(b[:1]) + rb"[\x80-\xbf]{%d}" % (len(b) - 1))
    del leads[ord("\t")]
    return table, frozenset(table), digits, leads


_TABLE, _SPECIAL, _DIGITS, _LEADS = _special_chars()
_SEP = r"(?: ?[-/] ?| |\.)"
# Each pattern starts with a literal ("0", "+") so the regex engine can skip ahead quickly;
# the look-behinds reject a 0 inside a word or number or after a date or case-number
# separator (2019-08-23, 2019/0123); "_" counts as a boundary (file names, doc_ids). At
# most 16 digit groups: a long run of numbers is matched number by number.
_PHONE_NATIONAL = re.compile(rf"0(?<![^\W_]0)(?<![-/+]0)[1-9](?:\)?{_SEP}?\d){{5,16}}(?!\d)")
_INTL = rf"[1-9]\d{{0,2}}(?: ?\(0\))?(?:\)?{_SEP}?\d){{6,16}}(?!\d)"
_PHONE_PLUS = re.compile(rf"\+(?<![^\W_]\+)(?<!\+\+){_INTL}")
_PHONE_00 = re.compile(rf"00(?<![^\W_]00)(?<![-/+.]00){_INTL}")
# Registration, case and payment numbers look like phone numbers; the word before tells.
_NOT_PHONE_BEFORE = re.compile(
    r"(?i)\b(?:dnr|diarie\w*|ärende\w*|referens\w*|ref|regnr|registreringsnummer|plusgiro\w*"
    r"|pg|bankgiro\w*|bg|postgiro\w*|giro|konto\w*|clearing\w*|ocr\w*|faktura\w*|kund\w*"
    r"|order\w*|org\.? ?nr|organisationsnummer|isbn|issn|sfs|mål\w*|beteckning)"
    r"\.?:? ?(?:nr\.?:? ?)?(?:[A-ZÅÄÖ]{1,5} )?\(?$"
)
_DATE_LIKE = re.compile(r"\d{2}[-/.]\d{1,2}[-/.](?:19|20)\d\d")
_TIME_START = re.compile(r"\d\d?[.:][0-5]\d(?![\d.])")  # 08.30-16.30, 08.15 08.30
_AMOUNT_BEFORE = re.compile(r"(?<![^\s(])\d{1,3} $")  # "1 " of 1 020 304 050, "53 " of 53 006
_GROUP_OF_3 = re.compile(r"0\d\d(?![^ ])")
_AT = r"(?: @ |@|%40| ?[(\[](?:at|a|snabel-a|@)[)\]] ?)"
_DOT = r"(?:\.| ?[(\[](?:dot|punkt)[)\]] ?)"
_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w.+-]*[\w+-]{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[^\W\d_]{{2,}}(?![\w-])",
    re.IGNORECASE,
)
_SPACED_AT_SHORT = re.compile(r" @ [\w-]?\.")
_AT_PAREN = re.compile(r"\((?:[aA][tT]?|snabel-a|@)\)")  # a literal first: a fast scan
_AT_BRACKET = re.compile(r"\[(?:[aA][tT]?|snabel-a|@)\]")
_EMAIL_ANCHOR = re.compile(r"(?i)[@%(\[](?:(?<=@)|(?<=%)40|(?<=[(\[])(?:at|a|snabel-a|@)[)\]])")
# A personal identity number is [CC]YYMMDD[-+ ]XXXX. Scanning for digit runs is slow, so
# the scan starts at the first digit of the month, a literal "0" (months 01-09) or "1"
# (10-12), and looks back for the 2 or 4 year digits; "_" is a boundary, a letter, a digit,
# "-" or "+" is not (prop-20010282-1220e2 is an identifier).
_YEAR_BEHIND = r"(?:(?<=(?<![^\W_])(?<![-+])\d\d{m})|(?<=(?<![^\W_])(?<![-+])\d{{4}}{m}))"
_PNR_TAIL = r"(?: ?[-+] ?| )?\d{4}(?![^\W_])(?!-\d)"
_PNR_MONTHS = (
    re.compile("0" + _YEAR_BEHIND.format(m="0") + r"[1-9]\d\d" + _PNR_TAIL),
    re.compile("1" + _YEAR_BEHIND.format(m="1") + r"[0-2]\d\d" + _PNR_TAIL),
)


def personnummer_check(number: str) -> bool:
    """Tell whether a string is a valid Swedish personal identity number.

    Accepts YYMMDD-XXXX, YYYYMMDD-XXXX, with "-", "+", a space or no separator. Valid means
    a month 01-12, a day 01-31 (or 61-91, a coordination number) and a correct Luhn check
    digit, so dates and other digit strings are rarely taken for identity numbers.

    Args:
        number: the candidate string.

    Returns:
        True when the number passes the date and checksum tests.
    """
    digits = "".join(number.split()).replace("-", "").replace("+", "").translate(_DIGITS)
    if len(digits) not in (10, 12) or not digits.isascii() or not digits.isdigit():
        return False
    digits = digits[-10:]
    month, day = int(digits[2:4]), int(digits[4:6])
    day = day - 60 if day > 60 else day
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _matching_copy(text: str) -> tuple[str, list[int]]:
    # The copy matched against, and the copy positions after which a character was deleted
    # (for ``_to_original``). Only characters present are replaced: str.replace is fast,
    # str.translate of a whole corpus is not.
    if text.isascii():
        return (text.replace("\t", " ") if "\t" in text else text), []
    b = text.encode("utf-8", "surrogatepass")  # a lone surrogate (from JSON) is no error
    present = {x.decode() for k, rx in _LEADS.items() if k in b for x in set(rx.findall(b))}
    present &= _SPECIAL
    deleted = []
    for c in present:
        if not _TABLE[c]:
            pos = text.find(c)
            while pos != -1:
                deleted.append(pos)
                pos = text.find(c, pos + 1)
    deleted.sort()
    for c in present:
        text = text.replace(c, _TABLE[c])
    return text, [p - i for i, p in enumerate(deleted)]


def _to_original(start: int, end: int, shifts: list[int]) -> tuple[int, int]:
    # Copy span -> original span; deleted characters inside the span are part of it.
    if not shifts:
        return start, end
    return start + bisect_right(shifts, start), end - 1 + bisect_right(shifts, end - 1) + 1


def _phone_length(s: str) -> int:
    # Length of the longest prefix of a candidate ending at a digit group that has a
    # plausible number of digits; 0 if none. Trimming keeps "08-123 45 67 2019" from
    # swallowing a following year. A "/" after the area code, a date or a time shape marks
    # a case number, a date or opening hours, not a phone number.
    if _DATE_LIKE.match(s) or _TIME_START.match(s) or s.count("/") > 1 or s.find("/") > 5:
        return 0
    prefix = "+" if s[0] == "+" else ("00" if s.startswith("00") else "0")
    pos = [i for i, ch in enumerate(s) if ch.isdigit() and s[i - 1 : i + 2] != "(0)"]
    sweden = prefix == "0" or s[len(prefix) : len(prefix) + 2] == "46"
    skip = {"0": 1, "+": 2 if sweden else 0, "00": 4 if sweden else 2}[prefix]
    if len(pos) <= skip:
        return 0
    mobile = sweden and s[pos[skip]] == "7"  # 07x numbers have 9 digits after the 0
    lo, hi = (9, 9) if mobile else ((7, 9) if sweden else (9, 13))
    best = 0
    for k, i in enumerate(pos, 1):
        if (i + 1 == len(s) or not s[i + 1].isdigit()) and lo <= k - skip <= hi:
            best = i + 1
    return best


def _phone_context_ok(t: str, start: int, s: str) -> bool:
    # What stands before a candidate: a word naming another kind of number, a date or
    # decimal mark (01.05.2024; 3,0812345 is a number, 67,08-765 43 21 a second phone
    # number), a thousands group.
    if _NOT_PHONE_BEFORE.search(t, max(0, start - 32), start):
        return False
    before = t[max(0, start - 2) : start]
    if len(before) == 2 and before[0].isdigit():
        if before[1] == ".":
            return False
        if before[1] in ",:":
            return any(c in s for c in " -/.")
        if before[1] == " ":
            return not (_GROUP_OF_3.match(s) and _AMOUNT_BEFORE.search(t, max(0, start - 5), start))
    return True


def _phone_spans(t: str) -> list:
    spans = []
    for rx, gate in ((_PHONE_PLUS, "+"), (_PHONE_00, "00"), (_PHONE_NATIONAL, "0")):
        if gate not in t:
            continue
        if spans:
            t = _blank(t, spans)
        m = rx.search(t)
        while m:
            start, s = m.start(), m.group()
            n = _phone_length(s)
            if n and _phone_context_ok(t, start, s[:n]):
                # "(08) 123 45 67": the opening parenthesis goes with the number.
                if start and t[start - 1] == "(" and ")" in s[:n]:
                    start -= 1
                spans.append((start, m.start() + n))
                m = rx.search(t, m.start() + n)
            else:
                m = rx.search(t, m.start() + 1)
    return spans


def _email_spans(t: str) -> list:
    # Scanning the whole text with the e-mail regex is slow (it tries every word), so it is
    # only tried from the start of the word before each "@", "%40", "(at)", "[a]", ...
    if "@" not in t and "%40" not in t and not (_AT_PAREN.search(t) or _AT_BRACKET.search(t)):
        return []
    spans, last = [], 0
    for a in _EMAIL_ANCHOR.finditer(t):
        pos = start = a.start() - (t[a.start() - 1 : a.start()] == " ")
        while start > max(last, pos - 128) and (t[start - 1].isalnum() or t[start - 1] in "._+-"):
            start -= 1
        m = _EMAIL.match(t, start, a.start() + 256)
        # "beteckningar @ t.ex.": after " @ " the domain starts with 2 letters or more.
        if m and m.end() > a.start() and not _SPACED_AT_SHORT.search(m.group()):
            spans.append(m.span())
            last = m.end()
    return spans


def _pnr_spans(t: str) -> list:
    spans = []
    for rx in _PNR_MONTHS:
        for m in rx.finditer(t):
            p = m.start()
            four = p >= 4 and t[p - 4 : p - 2].isdigit()
            start = p - 4 if four else p - 2
            if personnummer_check(t[start : m.end()]):
                spans.append((start, m.end()))
    return spans


def _blank(t: str, spans: list) -> str:
    # Hide found spans from the next pass, keeping every offset.
    pieces, last = [], 0
    for start, end in sorted(spans):
        pieces += [t[last:start], "#" * (end - start)]
        last = end
    return "".join(pieces) + t[last:] if pieces else t


def _redact(text: str, phone: bool, email: bool, pnr: bool) -> tuple[str, list]:
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    t, shifts = _matching_copy(text)
    found = []
    for on, kind, finder in (
        (email, "email", _email_spans),
        (pnr, "personnummer", _pnr_spans),
        (phone, "phone", _phone_spans),
    ):
        if on:
            spans = finder(t)
            found += [(start, end, kind) for start, end in spans]
            t = _blank(t, spans)
    if not found:
        return text, []
    pieces, events, last, line, out_len = [], [], 0, 0, 0
    for start, end, kind in sorted(found):
        start, end = _to_original(start, end, shifts)
        line += text.count("\n", last, start)
        out_len += start - last
        placeholder = PLACEHOLDERS[kind]
        events.append((line, kind, out_len, out_len + len(placeholder)))
        pieces += [text[last:start], placeholder]
        out_len += len(placeholder)
        line += text.count("\n", start, end)
        last = end
    return "".join(pieces) + text[last:], events


def text_redact(
    text: str, phone: bool = True, email: bool = True, personnummer: bool = True
) -> str:
    """Replace personal contact data in a text with placeholders.

    Phone numbers become "[telefon]", e-mail addresses (also "name (at) domain (dot) se",
    "name [a] domain.se", "name @ domain.se", "name%40domain.se") "[e-post]" and valid
    personal identity numbers (see ``personnummer_check``) "[personnummer]". Dashes,
    spaces and format characters of any kind inside them are matched like "-" and " ".
    Years, year ranges, dates, times, amounts and giro, reference and case numbers are left
    alone. The text is NFC-normalised first so that decomposed letters cannot split an
    address.

    Args:
        text: any text, e.g. a corpus excerpt about to be shown in a report.
        phone: redact Swedish (0..., +46..., 0046...) and other international (+..., 00...)
            phone numbers.
        email: redact e-mail addresses.
        personnummer: redact personal identity and coordination numbers.

    Returns:
        The redacted text.
    """
    return _redact(text, phone, email, personnummer)[0]


def text_redact_logged(
    text: str, phone: bool = True, email: bool = True, personnummer: bool = True
) -> tuple[str, list[tuple[int, str, int, int]]]:
    r"""Redact a text as ``text_redact`` does and say where each redaction was made.

    Args:
        text: any text.
        phone: redact phone numbers.
        email: redact e-mail addresses.
        personnummer: redact personal identity and coordination numbers.

    Returns:
        The redacted text and, in text order, one ``(line, kind, start, end)`` per
        redaction: the 0-based line ("\n"-separated, the same in the input and the output),
        "phone", "email" or "personnummer", and where the placeholder is in the redacted text.
    """
    return _redact(text, phone, email, personnummer)


def text_window(text: str, start: int, end: int, width: int) -> str:
    """Return ``text[start:end]`` with at most ``width`` characters of its line either side.

    What the cleaning log shows of a redaction. A placeholder that a cut would halve is
    left out, the window is stripped, and "…" marks a cut inside the line.

    Args:
        text: a redacted text.
        start: where the span to show begins (e.g. a placeholder, ``text_redact_logged``).
        end: where it ends.
        width: characters of context either side.

    Returns:
        The window, at most ``end - start + 2 * width + 2`` characters.
    """
    first, last = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    last = len(text) if last == -1 else last
    a, b = max(first, start - width), min(last, end + width)
    for p in PLACEHOLDERS.values():  # a placeholder cut at an edge is dropped
        i = text.find(p, max(first, a - len(p) + 1), a + len(p) - 1)
        a = i + len(p) if i != -1 and i < a else a
        i = text.find(p, max(a, b - len(p) + 1), b + len(p) - 1)
        b = i if i != -1 and i + len(p) > b else b
    return "…" * (a > first) + text[a:b].strip() + "…" * (b < last)


def meta_redact(meta: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Redact every text value of a metadata table, keeping doc_ids unique.

    Each string cell (doc_id, title, actor, url, any other text column) goes through
    ``text_redact``. A doc_id that changes and would then equal another document's gets
    "-2", "-3", ... (the first free one, in row order): a counter, not a hash, since a hash
    of a short identity number can be reversed by trying every number.

    Args:
        meta: one row per document.

    Returns:
        The redacted table (a copy when anything changed) and ``{old doc_id: new doc_id}``
        for the doc_ids that changed.
    """
    out, renamed = meta, {}
    for col in meta.columns:
        values = meta[col]
        if values.dtype != object and not pd.api.types.is_string_dtype(values):
            continue
        # One redaction of all values joined by "\n" (no match spans a line break): a
        # call per value of a large corpus takes seconds.
        strings = [v for v in values.dropna().unique() if isinstance(v, str)]
        joined = [v for v in strings if "\n" not in v]
        found = dict(zip(joined, text_redact("\n".join(joined)).split("\n"), strict=True))
        found |= {v: text_redact(v) for v in strings if "\n" in v}
        changed = {v: r for v, r in found.items() if r != v}
        if not changed:
            continue
        if col == "doc_id":
            taken = set(values.astype(str)) - set(changed)
            for old in values:
                if old in changed and old not in renamed:
                    new, k = changed[old], 1
                    while new in taken:
                        k += 1
                        new = f"{changed[old]}-{k}"
                    taken.add(new)
                    renamed[old] = new
            changed = renamed
        if out is meta:
            out = meta.copy()
        out[col] = values.map(lambda v, c=changed: c.get(v, v) if isinstance(v, str) else v)
    return out, renamed
