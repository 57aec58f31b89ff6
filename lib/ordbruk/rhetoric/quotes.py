"""Direct quotes in Swedish press texts and who speaks them.

A press release from one organisation often quotes people from another, at another level
of government, so "who is speaking" is not always the publisher. This module finds
direct quotes in the forms Swedish press texts use and attributes each to a speaker:

- "– Text ..., säger Namn Efternamn, roll vid Organisation." (dash, en dash or none);
- "..., säger kommunalrådet Namn Efternamn (S)." (role before the name, party after);
- "..., säger Namn Efternamn (S), kommunstyrelsens ordförande, Borlänge kommun.";
- a quote over several paragraphs: unattributed dash paragraphs directly before an
  attributed one, or directly after one ("... och fortsätter:"), belong to it;
- two speakers ("säger A och B"): one row per speaker, same ``quote_id``;
- "säger hon/han": the last named speaker of the document.

Attribution verbs and pronouns come from ``resources/markers.yaml``; the speaker's actor
level is inferred from the organisation (else the role) by ``speaker_levels.level_infer``. A paragraph without a dash that
ends in an attribution is taken whole as the quote (the press convention); scare quotes
and titles in quotation marks are not quotes.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pandas as pd

from ordbruk.resources import resource_yaml
from ordbruk.rhetoric.speaker_levels import level_infer
from ordbruk.stats.design import strata_resolve
from ordbruk.text.tokenize import text_paragraphs

COLUMNS = ["doc_id", "speaker", "role", "organisation", "party", "speaker_level", "quote"]
# Any dash opens a quote: hyphen, figure dash, en, em, horizontal bar, minus.
_DASHES = "-‒–—―−"
_DASH = re.compile(rf"^[{_DASHES}]\s*")
_NAME_TOK = r"[A-ZÅÄÖÉÜ][\w'’]*(?:-[A-ZÅÄÖÉÜ][\w'’]*)?"
_NAME = rf"{_NAME_TOK}(?:\s+(?:(?:af|von|van|de|der|den)\s+)?{_NAME_TOK}){{0,3}}"
_PARTY = re.compile(r"\s*\(([A-ZÅÄÖ][A-Za-zÅÄÖåäö]{0,3})\)")
_PREP = re.compile(r"\s(?:vid|på|hos|i|från|inom)\s")
_END = re.compile(rf"[.!?](?=\s+[{_DASHES}\"”A-ZÅÄÖ]|\s*$)|:\s*$|\s*$")
# A two-word name opening a sentence as the subject of a verb that introduces a person
# ("Linda Krondahl är en av ..."): a person mentioned.
_MENTION = re.compile(
    rf"(?:^|[.!?]\s+)({_NAME_TOK}\s+{_NAME_TOK})(?=\s+(?:är|var|har|hade|menar|berättar|"
    r"tycker|anser|arbetar|jobbar|leder)\s)"
)
# An all-capitals word ("AB", "SVT") names an organisation or a medium, not a person.
_CAPS_WORD = re.compile(r"^[A-ZÅÄÖÉÜ]{2,}$")
# Skipped by default: genres without the press convention of quotation (OCR'd questions
# to ministers and debate speeches), where the patterns find OCR noise and cited names.
SKIP_DOC_TYPES = ("interpellation", "parliamentary_speech")


@lru_cache(maxsize=1)
def _markers() -> dict:
    return resource_yaml("markers.yaml")


@lru_cache(maxsize=2)
def _attribution(typo: bool) -> re.Pattern:
    verbs = "|".join(_markers()["speech_verbs"]) + ("|äger" if typo else "")
    # "äger" ("owns") is a typo for "säger" seen in press texts (seed 004); accepted only
    # in dash paragraphs, where the dash already says the paragraph is a quote.
    return re.compile(rf"\s*[,?!]\s*(?:{verbs})\s+")


def _name_mend(tail: str) -> str:
    """Mend names broken by OCR or typing in an attribution tail.

    "Bonne- vier" -> "Bonnevier", "Salazar - Atias" -> "Salazar-Atias"; a truncated
    compound ("arbetsmarknads- och") is left alone.
    """
    tail = re.sub(
        rf"\b([A-ZÅÄÖ][a-zåäöé]+)[{_DASHES}]\s+(?!(?:och|eller|samt|till|respektive)\b)([a-zåäö]+)",
        r"\1\2",
        tail,
    )
    return re.sub(rf"\b([A-ZÅÄÖ][a-zåäöé]+)\s+[{_DASHES}]\s+([A-ZÅÄÖ][a-zåäöé]+)", r"\1-\2", tail)


def _tail_parse(tail: str, known: dict[str, dict]) -> list[dict] | None:
    """Parse an attribution tail into speakers; None when it names nobody."""
    tail = _name_mend(tail)
    tail = re.sub(r"\s+och\s+(?:fortsätter|tillägger|säger|avslutar)\s*:?\s*$", "", tail)
    parties = _PARTY.findall(tail)
    tail = _PARTY.sub("", tail)
    tail = re.sub(r",?\s+som\s.*$", "", tail).strip(" ,:")
    pron = _markers()["speaker_pronouns"]
    m = re.match(rf"^(?:{'|'.join(pron)})\b(?P<rest>.*)$", tail)
    if m:
        if not known:
            return None
        last = dict(list(known.values())[-1])
        return [last]
    m = re.match(
        rf"^(?P<pre>(?:[a-zåäöé][\w-]*\s+){{0,5}}?)(?P<names>{_NAME}(?:\s+och\s+{_NAME})?)(?P<rest>.*)$",
        tail,
    )
    if not m:
        return None
    names = re.split(r"\s+och\s+", m["names"])
    # "säger X till Dagens Nyheter": the medium spoken to is not the speaker's organisation.
    rest = re.sub(r"^\s*till\s.*$", "", m["rest"]).strip(" ,")
    role, org = "", ""
    if rest:
        head, _, more = re.sub(r",(?=\S)", ", ", rest).partition(", ")
        prep = _PREP.search(" " + head + " ")
        if re.match(r"^(?:vid|på|hos|i|från|inom)\s", head):
            org = re.sub(r"^\S+\s+", "", rest)
        elif prep:
            cut = prep.start()
            role, org = head[:cut].strip(), head[prep.end() - 1 :].strip()
            org = ", ".join(x for x in (org, more) if x)
        else:
            role, org = head, more
    if any(_CAPS_WORD.match(tok) for name in names for tok in name.split()):
        return None  # "Posten AB", "SVT Nyheter": an organisation or a medium, not a person
    role = (role if _role_plausible(role) else "") or m["pre"].strip()
    out = []
    for name in names:
        if " " not in name:
            # A single capitalised word counts only as the surname of a known speaker.
            full = [k for k in known if k.split()[-1] == name]
            if not full:
                return None
            name = full[-1]
        info = {
            "speaker": name,
            "role": role,
            "organisation": org,
            "party": parties[0] if parties else "",
        }
        prev = known.get(name, {})
        for key in ("role", "organisation", "party"):
            info[key] = info[key] or prev.get(key, "")
        info["speaker_level"] = level_infer(info["organisation"], info["role"])
        out.append(info)
    return out


def _role_plausible(role: str) -> bool:
    """A role starts with a letter or digit and not with a word that cannot open a role.

    "säger Johan Pehrson med anledning av beslutet" and "säger Jostein Lonberg och syftar
    på" name a speaker but no role (``role_not_first`` in markers.yaml).
    """
    if not role:
        return True
    return role[0].isalnum() and role.split()[0].lower() not in _markers()["role_not_first"]


def _quote_clean(s: str) -> str:
    return _DASH.sub("", s.strip()).strip().strip('"”“»«').strip()


def _attributed(para: str, dash: bool, known: dict) -> tuple[str, list[dict]] | None:
    """Find the attribution in a paragraph; return (quote text, speakers) or None."""
    for m in _attribution(dash).finditer(para):
        tail_all = para[m.end() :]
        end = _END.search(tail_all)
        speakers = _tail_parse(tail_all[: end.start()], known)
        if not speakers:
            continue
        quote = para[: m.start()]
        if para[m.start() : m.start() + 2].strip(" ")[:1] in "?!":
            quote += para[m.start() : m.start() + 2].strip(" ,")[:1]
        after = _quote_clean(tail_all[end.end() :])
        return " ".join(x for x in (_quote_clean(quote), after) if x), speakers
    return None


def _mentions_note(para: str, known: dict[str, dict]) -> None:
    """Note a person introduced in a narrative paragraph as the last named speaker.

    After "Linda Krondahl är en av ...", a following "säger hon" is hers, not the previous
    speaker's. A name that reads as an organisation ("Region Skåne", by ``level_infer``)
    is not a person.
    """
    for m in _MENTION.finditer(para):
        name = m[1]
        if any(_CAPS_WORD.match(t) for t in name.split()) or level_infer(name) != "unknown":
            continue
        info = known.pop(name, None) or {
            "speaker": name,
            "role": "",
            "organisation": "",
            "party": "",
            "speaker_level": "unknown",
        }
        known[name] = info


def _quote_rows(text: str, doc_id: str) -> list[dict]:
    # NFC so that "Å" is one letter for the name patterns, whatever the input.
    text = unicodedata.normalize("NFC", text).replace("\xa0", " ")
    known: dict[str, dict] = {}
    quotes: list[dict] = []  # {"parts": [...], "speakers": [...]}
    pending: list[str] = []
    chain = None  # the quote the previous paragraph belonged to
    for _, para in text_paragraphs(text):
        dash = bool(_DASH.match(para)) or para[:1] in '"”“»'
        found = _attributed(para, dash, known)
        if found:
            quote, speakers = found
            q = {"parts": [*pending, quote], "speakers": speakers}
            quotes.append(q)
            for s in speakers:
                known.pop(s["speaker"], None)
                known[s["speaker"]] = s
            pending, chain = [], q
        elif dash and re.search(r"[.!?]\W*$", para) and len(para.split()) >= 4:
            if chain is not None:
                chain["parts"].append(_quote_clean(para))
            else:
                pending.append(_quote_clean(para))
        else:
            pending, chain = [], None
            _mentions_note(para, known)
    rows = []
    for i, q in enumerate(quotes):
        body = "\n\n".join(q["parts"])
        for s in q["speakers"]:
            rows.append({"doc_id": doc_id, **s, "quote": body, "quote_id": i, "n_chars": len(body)})
    return rows


def quotes_extract(text: str, doc_id: str = "") -> pd.DataFrame:
    """Extract the direct quotes of one text and attribute them to speakers.

    Args:
        text: a document (paragraphs separated by blank lines).
        doc_id: copied to every row.

    Returns:
        One row per quote and speaker: doc_id, speaker, role, organisation, party,
        speaker_level, quote, quote_id (per document, from 0), n_chars (characters of
        quote text, for the share of text in quotes).
    """
    return pd.DataFrame(_quote_rows(text, doc_id), columns=[*COLUMNS, "quote_id", "n_chars"])


def quotes_extract_corpus(
    texts: list[str], doc_ids, doc_types=None, skip_doc_types=SKIP_DOC_TYPES
) -> pd.DataFrame:
    """Extract quotes from every document of a corpus.

    Args:
        texts: document texts.
        doc_ids: one id per text.
        doc_types: one genre (doc_type) per text, or None (no genre known: nothing skipped).
        skip_doc_types: genres without quotation conventions; their documents are not
            searched (default: interpellations and parliamentary speeches).

    Returns:
        The ``quotes_extract`` rows of all documents not skipped, in corpus order.
    """
    types = [""] * len(texts) if doc_types is None else [str(t) for t in doc_types]
    skip = set(skip_doc_types or ())
    rows = [
        r
        for t, d, g in zip(texts, doc_ids, types, strict=True)
        if g not in skip
        for r in _quote_rows(t, str(d))
    ]
    return pd.DataFrame(rows, columns=[*COLUMNS, "quote_id", "n_chars"])


def quotes_find(corpus, strata: str = "", skip_doc_types=SKIP_DOC_TYPES, group_by="actor_level"):
    """Extract the quotes of a corpus, skipping genres without quotation conventions.

    Args:
        corpus: a ``text.corpus.Corpus`` (texts and meta with doc_id).
        strata: the genre column ("": doc_type or genre, as ``stats.design.strata_resolve``).
        skip_doc_types: genres whose documents are not searched.
        group_by: the publisher level column for ``levels_compare``.

    Returns:
        ``(quotes, genres, levels, summary)``: the ``quotes_extract_corpus`` rows, the
        ``quotes_by_genre`` table and the two values of ``levels_compare``.
    """
    meta = corpus.meta
    column = strata_resolve(meta, strata)
    genres = meta[column] if column else None
    doc_ids = meta["doc_id"].astype(str).to_numpy()
    quotes = quotes_extract_corpus(corpus.texts, doc_ids, genres, skip_doc_types)
    by_genre = quotes_by_genre(quotes, meta, skip_doc_types, column)
    return quotes, by_genre, *levels_compare(quotes, meta, group_by=group_by)


def quotes_by_genre(
    quotes: pd.DataFrame, meta: pd.DataFrame, skip_doc_types=SKIP_DOC_TYPES, column="doc_type"
):
    """Count quotes per genre, so a reader sees which genres the quotes come from.

    Args:
        quotes: output of ``quotes_extract_corpus``.
        meta: document metadata with doc_id and, if known, the genre column.
        skip_doc_types: the genres that were not searched.
        column: the genre column of ``meta`` (doc_type); absent or "": no genre known.

    Returns:
        One row per genre: doc_type, n_docs, searched (False: skipped), n_docs_with_quotes,
        n_quotes (distinct quotes), share_of_quotes; most quotes first. Without a genre
        column, one row "(no doc_type)".
    """
    known = bool(column) and column in meta
    types = meta[column].astype(str) if known else "(no doc_type)"
    docs = pd.DataFrame({"doc_id": meta["doc_id"].astype(str), "doc_type": types})
    per_quote = quotes.drop_duplicates(["doc_id", "quote_id"]).merge(docs, on="doc_id")
    out = docs.groupby("doc_type").size().rename("n_docs").to_frame()
    out["searched"] = ~out.index.isin(list(skip_doc_types or ()))
    out["n_docs_with_quotes"] = per_quote.groupby("doc_type")["doc_id"].nunique()
    out["n_quotes"] = per_quote.groupby("doc_type").size()
    out = out.fillna({"n_docs_with_quotes": 0, "n_quotes": 0}).astype(
        {"n_docs_with_quotes": int, "n_quotes": int}
    )
    total = out["n_quotes"].sum()
    out["share_of_quotes"] = out["n_quotes"] / total if total else float("nan")
    out = out.reset_index().sort_values(["n_quotes", "n_docs"], ascending=False, kind="stable")
    return out.reset_index(drop=True)


def quotes_share(quotes: pd.DataFrame, texts: list[str], doc_ids) -> pd.Series:
    """Share of each document's characters that lie in direct quotes.

    Args:
        quotes: output of ``quotes_extract_corpus``.
        texts: the same texts.
        doc_ids: their ids.

    Returns:
        Series indexed like ``texts`` (0..n-1): quoted characters / all characters
        (each quote counted once, however many speakers); NaN for an empty text.
    """
    per_quote = quotes.drop_duplicates(["doc_id", "quote_id"])
    chars = per_quote.groupby("doc_id")["n_chars"].sum()
    ids = [str(d) for d in doc_ids]
    lengths = pd.Series([len(t.strip()) for t in texts], dtype=float)
    quoted = pd.Series([float(chars.get(d, 0)) for d in ids])
    return (quoted / lengths.where(lengths > 0)).clip(upper=1.0)


def levels_compare(quotes: pd.DataFrame, meta: pd.DataFrame, group_by: str = "actor_level"):
    """Cross-tabulate the publisher's level against the quoted speaker's level.

    Args:
        quotes: output of ``quotes_extract_corpus`` (one row per quote and speaker).
        meta: document metadata with doc_id and ``group_by``.
        group_by: the publisher level column.

    Returns:
        ``(table, summary)``: table has publisher_level, speaker_level, n_quotes;
        summary has n_quotes, n_known (speaker level known), n_differ (known and not the
        publisher's level) and share_differ (n_differ / n_known).
    """
    pub = meta.set_index(meta["doc_id"].astype(str))[group_by].astype(str)
    q = quotes.assign(publisher_level=quotes["doc_id"].map(pub).fillna(""))
    table = q.groupby(["publisher_level", "speaker_level"]).size().reset_index(name="n_quotes")
    known = q[q["speaker_level"] != "unknown"]
    n_differ = int((known["speaker_level"] != known["publisher_level"]).sum())
    summary = {
        "n_quotes": len(q),
        "n_known": len(known),
        "n_differ": n_differ,
        "share_differ": n_differ / len(known) if len(known) else float("nan"),
    }
    return table, summary


def levels_prose(summary: dict) -> str:
    """Say in one sentence how often the quoted speaker's level differs from the publisher's.

    Args:
        summary: the second value returned by ``levels_compare``.

    Returns:
        Markdown text built from the counts (no corpus text in it).
    """
    if not summary["n_quotes"]:
        return (
            "No direct quotes were found, so speaker level cannot be compared with publisher level."
        )
    if not summary["n_known"]:
        return (
            f"{summary['n_quotes']} quote-speaker rows, but no speaker's level could be inferred "
            "from the organisation or role, so the two levels cannot be compared."
        )
    return (
        f"{summary['n_quotes']} quote-speaker rows; the speaker's level is known for "
        f"{summary['n_known']}, and for {summary['n_differ']} of them "
        f"({summary['share_differ']:.0%}) it differs from the publisher's level. Publisher "
        "and speaker are different units of analysis: the tables below show markers of the "
        "quoted speech by both."
    )
