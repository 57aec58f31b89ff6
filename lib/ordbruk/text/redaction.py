"""Redaction of personal contact data: phone numbers, e-mail addresses, identity numbers.

Texts published by authorities still name officials with their direct phone numbers and
e-mail addresses, and a scraped page may carry a personal identity number. ``text_redact``
replaces each with a placeholder ("[telefon]", "[e-post]", "[personnummer]") and leaves
years, dates, times, amounts and case numbers alone. ``corpus_clean`` redacts every text
through ``text_redact_logged``, which also says on which line each redaction was made, and
``report.text_safe`` applies ``text_redact`` to any corpus text a report shows.
"""

from __future__ import annotations

import re
import unicodedata

PLACEHOLDERS = {"phone": "[telefon]", "email": "[e-post]", "personnummer": "[personnummer]"}

_SP = "[ \u00a0\u2009\u202f]"
_SEP = rf"(?:{_SP}?[-\u2010\u2011–/]{_SP}?|{_SP})"  # U+2010/2011: hyphens of word processors
# Each pattern starts with a literal ("0", "+") so the regex engine can skip ahead quickly;
# the look-behinds after it reject a 0 inside a word or number, after a date or case-number
# separator (2019-08-23, 2019/0123), after a decimal mark (3,08) and inside a grouped amount
# (1 020 304 050 kronor), none of which is a phone number.
_PHONE_NATIONAL = re.compile(
    rf"0(?<![\w\-\u2010\u2011–/+]0)(?<!\d[.,:]0)(?<!\d{_SP}0)[1-9](?:\)?{_SEP}?\d){{5,}}(?!\d)"
)
_PHONE_INTL = re.compile(rf"\+(?<![\w+]\+)\d{{1,3}}(?:{_SP}?\(0\))?(?:\)?{_SEP}?\d){{6,}}(?!\d)")
# Registration numbers ("dnr 012-3456-2019") look like phone numbers; the word before tells.
_CASE_NO_BEFORE = re.compile(
    r"(?i)\b(?:dnr|diarienr|diarienummer|ärendenr|ärendenummer|referensnr|regnr)\.?:? ?(?:[A-ZÅÄÖ]{1,5} )?\(?$"
)
_DATE_LIKE = re.compile(r"\d{2}[-/.]\d{1,2}[-/.](?:19|20)\d\d")
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+(?:@| ?[(\[]at[)\]] ?)[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])",
    re.IGNORECASE,
)
# A personal identity number is [CC]YYMMDD[-+]XXXX. Scanning for digit runs is slow, so the
# scan starts at the first digit of the month, a literal "0" (months 01-09) or "1" (10-12),
# and looks back for the 2 or 4 year digits.
_YEAR_BEHIND = r"(?:(?<=(?<![\w\-+])\d\d{m})|(?<=(?<![\w\-+])\d{{4}}{m}))"
_PNR_MONTHS = (
    re.compile("0" + _YEAR_BEHIND.format(m="0") + r"[1-9]\d\d[-+]?\d{4}(?![\w\-])"),
    re.compile("1" + _YEAR_BEHIND.format(m="1") + r"[0-2]\d\d[-+]?\d{4}(?![\w\-])"),
)


def personnummer_check(number: str) -> bool:
    """Tell whether a string is a valid Swedish personal identity number.

    Accepts YYMMDD-XXXX, YYYYMMDD-XXXX, with "-", "+" or no separator. Valid means a month
    01-12, a day 01-31 (or 61-91, a coordination number) and a correct Luhn check digit, so
    dates and other digit strings are rarely taken for identity numbers.

    Args:
        number: the candidate string.

    Returns:
        True when the number passes the date and checksum tests.
    """
    digits = number.replace("-", "").replace("+", "")
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


def _phone_length(s: str) -> int:
    # Length of the longest prefix of a candidate ending at a digit group that has a
    # plausible number of digits (Swedish: 7-9 after the trunk 0 or +46); 0 if none. Trimming
    # keeps "08-123 45 67 2019" from swallowing a following year.
    # A "/" after the area code or a date shape marks a case number or a date, not a phone.
    if _DATE_LIKE.fullmatch(s) or s.count("/") > 1 or s.find("/") > 5:
        return 0
    sweden = s.startswith("+46") or not s.startswith("+")
    lo, hi = (7, 9) if sweden else (9, 13)
    skip = 1 if s.startswith("0") else (2 if sweden else 0)
    digits, best = 0, 0
    for i, ch in enumerate(s):
        if not ch.isdigit() or s[i - 1 : i + 2] == "(0)":
            continue
        digits += 1
        if (i + 1 == len(s) or not s[i + 1].isdigit()) and lo <= digits - skip <= hi:
            best = i + 1
    return best


def _sub(rx: re.Pattern, text: str, kind: str, events: list | None, accept=None) -> str:
    # One redaction pass; `events` collects (0-based line, kind) per redaction. The line is
    # counted incrementally because matches come in text order and never span a newline.
    where = [0, 0]
    placeholder = PLACEHOLDERS[kind]

    def repl(m: re.Match) -> str:
        s = m.group()
        n = accept(s) if accept else len(s)
        if n == 0 or (
            kind == "phone" and _CASE_NO_BEFORE.search(text, max(0, m.start() - 24), m.start())
        ):
            return s
        if events is not None:
            where[1] += text.count("\n", where[0], m.start())
            where[0] = m.start()
            events.append((where[1], kind))
        return placeholder + s[n:]

    return rx.sub(repl, text)


def _spans_replace(text: str, spans: list, kind: str, events: list | None) -> str:
    # Replace sorted, non-overlapping (start, end) spans with the placeholder of `kind`.
    pieces, last, lines_before = [], 0, 0
    for start, end in spans:
        if events is not None:
            lines_before += text.count("\n", last, start)
            events.append((lines_before, kind))
        pieces += [text[last:start], PLACEHOLDERS[kind]]
        last = end
    return "".join(pieces) + text[last:] if pieces else text


def _email_spans(text: str) -> list:
    # Scanning the whole text with the e-mail regex is slow (it tries every word), so it is
    # only run in a window around each "@"; "(at)" addresses fall back to a full scan.
    if "(at)" in text or "[at]" in text:
        return [m.span() for m in _EMAIL.finditer(text)]
    spans, last, pos = [], 0, text.find("@")
    while pos != -1:
        m = _EMAIL.search(text, max(last, pos - 128), pos + 256)
        if m and m.start() <= pos < m.end():
            spans.append(m.span())
            last = m.end()
        pos = text.find("@", max(pos + 1, last))
    return spans


def _pnr_spans(text: str) -> list:
    spans = []
    for rx in _PNR_MONTHS:
        for m in rx.finditer(text):
            p = m.start()
            # The look-behind matched 2 year digits after a boundary, or else 4.
            start = p - 2 if p < 3 or not (text[p - 3].isalnum() or text[p - 3] in "_-+") else p - 4
            if personnummer_check(text[start : m.end()]):
                spans.append((start, m.end()))
    return sorted(spans)


def _redact(text: str, phone: bool, email: bool, pnr: bool, events: list | None) -> str:
    if email and ("@" in text or "(at)" in text or "[at]" in text):
        text = _spans_replace(text, _email_spans(text), "email", events)
    if pnr:
        text = _spans_replace(text, _pnr_spans(text), "personnummer", events)
    if phone:
        if "+" in text:
            text = _sub(_PHONE_INTL, text, "phone", events, _phone_length)
        text = _sub(_PHONE_NATIONAL, text, "phone", events, _phone_length)
    return text


def text_redact(
    text: str, phone: bool = True, email: bool = True, personnummer: bool = True
) -> str:
    """Replace personal contact data in a text with placeholders.

    Phone numbers become "[telefon]", e-mail addresses "[e-post]" and valid personal identity
    numbers (see ``personnummer_check``) "[personnummer]". Years, year ranges, dates, times
    and amounts are left alone. The text is NFC-normalised first so that decomposed letters
    cannot split an address.

    Args:
        text: any text, e.g. a corpus excerpt about to be shown in a report.
        phone: redact Swedish (0..., +46...) and other international (+...) phone numbers.
        email: redact e-mail addresses, including "name(at)domain.se".
        personnummer: redact personal identity and coordination numbers.

    Returns:
        The redacted text.
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _redact(text, phone, email, personnummer, None)


def text_redact_logged(
    text: str, phone: bool = True, email: bool = True, personnummer: bool = True
) -> tuple[str, list[tuple[int, str]]]:
    r"""Redact a text as ``text_redact`` does and say where each redaction was made.

    Args:
        text: any text.
        phone: redact phone numbers.
        email: redact e-mail addresses.
        personnummer: redact personal identity and coordination numbers.

    Returns:
        The redacted text and one ``(line, kind)`` per redaction: the 0-based line
        ("\n"-separated, the same in the input and the output) and "phone", "email" or
        "personnummer", e-mail addresses first, then identity numbers, then phone numbers.
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    events: list[tuple[int, str]] = []
    return _redact(text, phone, email, personnummer, events), events
