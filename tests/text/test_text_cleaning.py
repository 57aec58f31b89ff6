"""Tests for ordbruk.text.cleaning: boilerplate rules, repeated lines, redaction and the log."""

import gzip
import itertools
import json
import re
import unicodedata

import pandas as pd
import pytest

from ordbruk.errors import CorpusError, OrdbrukError, ParameterError
from ordbruk.paths import SEEDS_DIR, SHARED_CORPORA_DIR
from ordbruk.text.cleaning import (
    CLEANING_DEFAULTS,
    LOG_COLUMNS,
    rules_load,
    settings_check,
)
from ordbruk.text.cleaning_shards import corpus_clean
from ordbruk.text.redaction import personnummer_check, text_redact

SEED_IDS = [
    "000_f590c298ebc61e93",
    "001_e3457b58baa61d82",
    "002_d04747c935024d3a",
    "003_77a0207712edbdc5",
    "004_f1610fd17b8b7b2c",
]

# Hand-checked against the seed files (line numbers count from 1 in the file as saved).
SEED_REMOVED = {
    "000_f590c298ebc61e93": {
        1: "newsroom_widget",  # Följ Borås TME
        5: "dateline",  # Pressmeddelande • Jan 31, 2014 07:00 CET
        20: "contact_block",  # Kontaktpersoner
        21: "contact_block",  # Birgitta Guevara, ..., phone
        23: "contact_block",  # Dag Forsström, ..., phone
        25: "contact_block",  # Anna Lilja, ..., phone
        27: "contact_block",  # Jan Mogol, ..., phone
        29: "blurb_boras_tme",  # BoråsBorås AB är ett av staden ...
        31: "url_line",  # boras.com
        33: "url_line",  # facebook.com/borascom
        35: "url_line",  # twitter.com/boraspunktcom
        37: "comments",  # Kommentarer (0)
        39: "comments",  # Lägg till kommentar
        41: "comments",  # Kommentera
        43: "comments",  # Genom att skicka din kommentar ...
    },
    "001_e3457b58baa61d82": {
        3: "newsroom_widget",  # Report this content
        15: "contact_block",  # För ytterligare information, kontakta pressansvarig ...:
        17: "contact_line",  # E-post: ...
        19: "contact_line",  # Telefon: ...
        25: "about_delmos",  # Om Delegationen mot segregation
        27: "about_delmos",  # Delegationen mot segregation har till uppgift att ...
        29: "newsroom_widget",  # Taggar:
        31: "newsroom_widget",  # Prenumerera
    },
    "002_d04747c935024d3a": {
        1: "logo",
        2: "logo",
        3: "logo",  # Logotyp för Borås Stad x3
        4: "listen_button",  # Högtalare
        8: "page_meta",  # Artikeln publicerades:
        10: "outdated_notice",  # Denna nyhet kan innehålla inaktuell information
        12: "outdated_notice",  # Det kan bero på att nyheten ...
        30: "page_meta",  # Senast ändrad:
        32: "page_meta",  # Ändrad av:
        34: "share_line",  # Dela sidan: [2019-08-23] ...
        36: "share_line",  # Facebooksymbol Twittersymbol LinkedInsymbol E-postsymbol
    },
    "003_77a0207712edbdc5": {
        1: "logo",
        2: "logo",
        3: "logo",
        22: "icon_alt",  # Ikon: pratbubblor
        24: "contact_block",  # Om du har frågor kontakta:
        26: "contact_line",  # Telefon:
        28: "page_meta",  # Senast ändrad:
        30: "page_meta",  # Ändrad av:
        32: "share_line",  # Dela sidan: ...
        34: "share_line",  # Facebooksymbol LinkedInsymbol E-postsymbol
        35: "icon_alt",  # Ikon: tidning
        37: "navigation_word",  # Nyheter
        39: "icon_alt",  # Ikon: Kalender
        41: "navigation_word",  # Kalender
    },
    "004_f1610fd17b8b7b2c": {
        17: "contact_block",  # Kontaktuppgifter
        19: "contact_block",  # Anna-Lena Holberg, mobil ...
        21: "contact_block",  # Holger Andersson, mobil ...
        28: "newsroom_widget",  # Bifogade filer
        30: "newsroom_widget",  # Release
        33: "blurb_vgr",  # Västra Götalandsregionen, VGR, ska bidra ...
        36: "contact_block",  # Kontakt
        39: "contact_block",  # Västra Götalandsregionens presstjänst
        41: "url_line",  # https://www.vgregion.se/aktuellt/press/
        43: "contact_line",  # e-mail
        45: "contact_line",  # phone
        47: "contact_block",  # Björn Johansson
        49: "press_role",  # Pressekreterare/kommunikatör
        51: "contact_line",
        53: "contact_block",  # Anna Liljenberg
        55: "press_role",  # Presschef
        57: "contact_line",
        59: "contact_block",  # Anders Sandahl
        61: "press_role",
        63: "contact_line",
        65: "contact_block",  # Patrik Rosell
        67: "press_role",
        69: "contact_line",
    },
}

# Every phone number and e-mail address in the seeds, digits only for phones (one of them
# has a non-breaking space inside).
SEED_PHONES = ["0703460601", "0706953888", "0734153658", "0705607121", "0721447710"]
SEED_PHONES += ["0736764060", "0708405482", "0104414199"]
SEED_EMAILS = ["anneli.tillberg@delmos.se", "presstjansten@vgregion.se"]


@pytest.fixture(scope="module")
def seeds():
    meta = pd.read_csv(SEEDS_DIR / "metadata.csv", dtype=str, keep_default_na=False)
    texts = [(SEEDS_DIR / f"{d}.txt").read_text(encoding="utf-8") for d in meta["doc_id"]]
    return texts, meta


@pytest.fixture(scope="module")
def seeds_cleaned(seeds):
    return corpus_clean(*seeds)


def test_seed_removed_lines_are_the_hand_checked_ones(seeds, seeds_cleaned):
    _, meta = seeds
    _, log = seeds_cleaned
    assert list(meta["doc_id"]) == SEED_IDS
    for doc_id in SEED_IDS:
        rows = log[(log["doc_id"] == doc_id) & (log["action"] == "removed")]
        assert dict(zip(rows["line"], rows["rule"], strict=True)) == SEED_REMOVED[doc_id]


def test_seed_quotes_and_prose_survive(seeds, seeds_cleaned):
    texts, _ = seeds
    cleaned, _ = seeds_cleaned
    n_quotes = 0
    for raw, out in zip(texts, cleaned, strict=True):
        out_lines = set(out.split("\n"))
        for line in raw.split("\n"):
            if re.match(r"\s*[-–]", line) and len(line) > 40:
                n_quotes += 1
                # Only whitespace is normalised (NBSP to space); the words are untouched.
                assert " ".join(line.split()) in out_lines
    assert n_quotes == 11  # dash-led quote lines: 000: 3, 001: 2, 002: 2, 004: 4
    assert (
        "Det goda samhället måste vara för alla, säger kommunalrådet Malin Carlsson (S)."
        in cleaned[2]
    )
    # Real content next to removed lines stays.
    assert "Satsning på 32 kommuner" in cleaned[1]
    assert "Borlänge är den enda kommunen i Dalarna som ingår i satsningen." in cleaned[1]
    assert cleaned[2].startswith("Skillnaderna i livsvillkor ska minska i Borås\n\n")
    assert "Tid: Onsdagen den 9 december kl 13.00-17.00" in cleaned[4]
    assert "FAKTA\nLänsstyrelser med kommuner" in cleaned[0]
    # Left on purpose: the image description in 003 (no safe rule, see boilerplate.yaml).
    assert cleaned[3].endswith(
        "En äldre och en yngre kvinna som sitter vid ett bord och tittar i en pärm"
    )


def test_seed_contact_data_is_redacted_in_output_and_log(seeds):
    texts, meta = seeds
    for settings in (None, {"boilerplate": False, "repeated_lines": False}):
        cleaned, log = corpus_clean(texts, meta, settings)
        for blob in ("\n".join(cleaned), "\n".join(log["text"])):
            digits = re.sub(r"\D", "", blob)
            assert not any(p in digits for p in SEED_PHONES)
            assert not any(e in blob for e in SEED_EMAILS)
            assert "@" not in blob
    # Without boilerplate removal every number and address stays in the text, redacted:
    # 8 phone numbers (000: 4, 001: 1, 004: 3) and 6 addresses (001: 1, 004: 5).
    joined = "\n".join(cleaned)
    assert joined.count("[telefon]") == 8
    assert joined.count("[e-post]") == 6
    counts = log.groupby("rule").size().to_dict()
    assert counts == {"redact_phone": 8, "redact_email": 6}
    assert set(log["action"]) == {"redacted"}
    # With the default settings the contact lines are removed and logged redacted.
    _, log = corpus_clean(texts, meta)
    assert (
        "Birgitta Guevara, Enheten för social hållbarhet, Länsstyrelsen i Västra Götaland, [telefon]"
        in set(log["text"])
    )
    assert "E-post: [e-post]" in set(log["text"])


def test_seed_output_structure(seeds_cleaned):
    cleaned, _ = seeds_cleaned
    for out in cleaned:
        assert "\n\n\n" not in out
        assert out == out.strip()
        assert all(line == line.strip() for line in out.split("\n"))
        assert "\xa0" not in out


def test_disabling_a_rule_keeps_its_lines(seeds):
    texts, meta = seeds
    out, log = corpus_clean(texts, meta, {"disabled_rules": ["logo"]})
    # The first logo line stays; its two copies go as consecutive duplicates.
    assert out[2].startswith("Logotyp för Borås Stad\nHögtalare") is False
    assert out[2].startswith("Logotyp för Borås Stad\n\nSkillnaderna")
    rows = log[log["doc_id"] == SEED_IDS[2]].head(2)
    assert list(rows["rule"]) == ["duplicate_line", "duplicate_line"]
    out, _ = corpus_clean(texts, meta, {"disabled_rules": ["logo", "duplicate_line"]})
    assert out[2].startswith(
        "Logotyp för Borås Stad\nLogotyp för Borås Stad\nLogotyp för Borås Stad"
    )
    out, _ = corpus_clean(texts, meta, {"disabled_rules": ["about_delmos"]})
    assert (
        "Om Delegationen mot segregation\n\nDelegationen mot segregation har till uppgift" in out[1]
    )
    out, log = corpus_clean(texts, meta, {"disabled_rules": ["contact_block"]})
    assert "Björn Johansson" in out[4] and "Kontaktpersoner" in out[0]
    assert "[telefon]" in out[0]  # the lines stay, but redacted
    out, log = corpus_clean(texts, meta, {"boilerplate": False})
    assert set(log["action"]) == {"redacted"}


def test_repeated_lines_within_one_actor():
    blurb = "Kommunen arbetar för en hållbar framtid för alla invånare."
    quote = "- Vi satsar på samverkan, säger Anna Andersson."
    texts = [
        f"Nytt bibliotek öppnar i Kungsbacka.\n\n{blurb}\n\n{quote}\n\nBakgrund",
        f"Skolan får nya lärare.\n\n{blurb}\n\n{quote}\n\nBakgrund",
        f"Parken rustas upp.\n{blurb}\n\n{quote}\n\nBakgrund",
        f"Regionen bygger ut kollektivtrafiken.\n\n{blurb}",
    ]
    meta = pd.DataFrame({"doc_id": ["a1", "a2", "a3", "b1"], "actor": ["A", "A", "A", "B"]})
    out, log = corpus_clean(texts, meta)
    # The blurb is in 3 documents of actor A (removed there) and 1 of actor B (kept).
    assert list(log["doc_id"]) == ["a1", "a2", "a3"]
    assert list(log["line"]) == [3, 3, 2]
    assert set(log["rule"]) == {"repeated_line"}
    assert out[0] == f"Nytt bibliotek öppnar i Kungsbacka.\n\n{quote}\n\nBakgrund"
    assert out[2] == f"Parken rustas upp.\n\n{quote}\n\nBakgrund"
    assert out[3] == texts[3]
    # Quotes and short lines ("Bakgrund", 8 characters) are never repeated boilerplate.
    assert all(quote in o for o in out[:3])
    assert corpus_clean(texts, meta, {"repeated_min_docs": 4})[1].empty
    assert corpus_clean(texts, meta, {"repeated_lines": False})[1].empty
    assert corpus_clean(texts, meta, {"disabled_rules": ["repeated_line"]})[1].empty
    # Identical documents count once, so three copies of one text lose nothing.
    same = pd.DataFrame({"doc_id": ["c1", "c2", "c3"], "actor": ["C"] * 3})
    assert corpus_clean([texts[0]] * 3, same)[1].empty


def test_personnummer_luhn_check():
    # 811218-9876: 8*2->7, 1, 1*2=2, 2, 1*2=2, 8, 9*2->9, 8, 7*2->5, 6; sum 50 -> valid.
    assert personnummer_check("811218-9876")
    assert personnummer_check("19811218-9876")
    assert personnummer_check("811218+9876")
    assert personnummer_check("8112189876")
    assert personnummer_check("811278-9873")  # coordination number, day 18 + 60; sum 50
    assert not personnummer_check("811218-9875")  # sum 49
    assert not personnummer_check("811318-9876")  # month 13
    assert not personnummer_check("2019-08-23")
    assert (
        text_redact("Mitt personnummer är 811218-9876.") == "Mitt personnummer är [personnummer]."
    )
    assert text_redact("Födelsedata 19811218-9876 och 8112189876") == (
        "Födelsedata [personnummer] och [personnummer]"
    )
    assert text_redact("Fel siffra: 811218-9875.") == "Fel siffra: 811218-9875."


@pytest.mark.parametrize(
    "phone",
    [
        "0703-46 06 01",
        "072-144 77 10",
        "010-441 41 99",
        "0708-40\xa054 82",
        "+46 70 123 45 67",
        "+46 (0)8 123 456 78",
        "08-123 456 78",
        "031-123 45 67",
        "08–405 26 63",
        "0701234567",
    ],
)
def test_phone_formats_are_redacted(phone):
    assert text_redact(f"Ring {phone} i dag.") == "Ring [telefon] i dag."


def test_phone_with_unicode_hyphen_is_redacted():
    # Bug: a phone number written with a Unicode hyphen (U+2010) or non-breaking hyphen
    # (U+2011), as word processors export them, was not redacted and reached the reports.
    for hyphen in "\u2010\u2011":
        assert text_redact(f"Ring 070{hyphen}123 45 67.") == "Ring [telefon]."
        case_number = f"Dnr 012{hyphen}3456{hyphen}2019."
        assert text_redact(case_number) == case_number


def test_email_redaction_and_switches():
    text = "Skriv till anneli.tillberg@delmos.se eller info(at)ptl.se, ring 031-123 45 67."
    assert text_redact(text) == "Skriv till [e-post] eller [e-post], ring [telefon]."
    assert text_redact(text, email=False) == (
        "Skriv till anneli.tillberg@delmos.se eller info(at)ptl.se, ring [telefon]."
    )
    assert text_redact(text, phone=False).endswith("ring 031-123 45 67.")


@pytest.mark.parametrize(
    "text",
    [
        "Under åren 2018, 2019 och 2020.",
        "En treårsperiod (2019-2021) och åren 2019–2027.",
        "Tid: kl 13.00-17.00, den 4-5 februari, kl 07:00 CET.",
        "425 miljoner kronor, 56 000 anställda, 1 020 304 050 kronor, 40%.",
        "Dela sidan: [2019-08-23] och 23/08/2019 och 05-12-2019.",
        "Lagen (2017:1201) och dnr 012-345-6789.",
        "",
    ],
)
def test_redaction_leaves_dates_years_times_and_money(text):
    assert text_redact(text) == text


def test_nfd_input_is_cleaned_like_nfc():
    nfc = "Logotyp för Borås Stad\n\nSkillnaderna ska minska i Borås, säger Jöns.\n\nE-post: jöns@exempel.se"
    nfd = unicodedata.normalize("NFD", nfc)
    meta = pd.DataFrame({"doc_id": ["d"], "actor": ["Borås Stad"]})
    out_nfd, log_nfd = corpus_clean([nfd], meta)
    out_nfc, log_nfc = corpus_clean([nfc], meta)
    assert out_nfd == out_nfc == ["Skillnaderna ska minska i Borås, säger Jöns."]
    pd.testing.assert_frame_equal(log_nfd, log_nfc)
    assert list(log_nfd["text"]) == ["Logotyp för Borås Stad", "E-post: [e-post]"]
    assert text_redact(unicodedata.normalize("NFD", "jöns@exempel.se")) == "[e-post]"


def test_empty_texts_and_log_columns():
    meta = pd.DataFrame({"doc_id": ["e1", "e2"], "actor": ["A", "A"]})
    out, log = corpus_clean(["", " \n\n  \n"], meta)
    assert out == ["", ""]
    assert list(log.columns) == LOG_COLUMNS and log.empty
    out, log = corpus_clean([], meta.iloc[:0])
    assert out == [] and list(log.columns) == LOG_COLUMNS


def test_log_line_numbers_refer_to_the_original_text():
    # CRLF breaks, trailing spaces and a run of blank lines; "Kommentera" is line 4.
    text = "Rubrik  \r\n\r\n\r\nKommentera\r\nText med  dubbla mellanslag.   \r\nTel. 08-123 45 67 dagtid"
    meta = pd.DataFrame({"doc_id": ["x"], "actor": ["A"]})
    out, log = corpus_clean([text], meta)
    assert out == ["Rubrik\n\nText med dubbla mellanslag.\nTel. [telefon] dagtid"]
    assert log.to_dict("records") == [
        {"doc_id": "x", "line": 4, "rule": "comments", "action": "removed", "text": "Kommentera"},
        {
            "doc_id": "x",
            "line": 6,
            "rule": "redact_phone",
            "action": "redacted",
            "text": "Tel. [telefon] dagtid",
        },
    ]
    assert log["line"].dtype == "int64"


def test_settings_are_checked():
    assert settings_check(None) == CLEANING_DEFAULTS
    with pytest.raises(ParameterError, match=r"cleaning\.boilerplat: unknown setting"):
        settings_check({"boilerplat": True})
    with pytest.raises(ParameterError, match=r"cleaning\.repeated_min_docs: got 1"):
        settings_check({"repeated_min_docs": 1})
    with pytest.raises(ParameterError, match=r"cleaning\.redact_phone: got 'yes'"):
        settings_check({"redact_phone": "yes"})
    with pytest.raises(ParameterError, match="unknown rule 'logga'"):
        corpus_clean(
            ["x"], pd.DataFrame({"doc_id": ["d"], "actor": ["A"]}), {"disabled_rules": ["logga"]}
        )
    with pytest.raises(CorpusError, match="one row per text"):
        corpus_clean(["x", "y"], pd.DataFrame({"doc_id": ["d"], "actor": ["A"]}))


def test_settings_are_checked_once_here_with_their_defaults():
    # CLEANING_DEFAULTS is the one home of the cleaning defaults (params files repeat none)
    assert settings_check(None) == CLEANING_DEFAULTS
    assert settings_check({"disabled_rules": None})["disabled_rules"] == []
    assert settings_check({"disabled_rules": ("a",)})["disabled_rules"] == ["a"]
    # regression: a bare string was split into letters, ["l", "o", "g", "g", "a"]
    with pytest.raises(ParameterError, match=r"cleaning\.disabled_rules: got 'logga'"):
        settings_check({"disabled_rules": "logga"})


def test_rules_file_is_valid_and_errors_name_the_rule(tmp_path):
    rules = rules_load()
    assert len({r.name for r in rules}) == len(rules)
    assert all(r.description for r in rules)
    bad = tmp_path / "rules.yaml"
    bad.write_text(
        "rules:\n  - name: broken\n    description: x\n    type: line\n    patterns: ['(']\n"
    )
    with pytest.raises(OrdbrukError, match=r"rule 1 \(broken\): patterns\[0\]: invalid regex"):
        rules_load(bad)


@pytest.mark.realdata
def test_bulk_sample_invariants():
    path = SHARED_CORPORA_DIR / "policy-sv-bulk.jsonl.gz"
    if not path.exists():
        pytest.skip(f"{path} not found (real corpora are optional)")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in itertools.islice(fh, 3000)]
    texts = [r["text"] for r in rows]
    meta = pd.DataFrame(
        {"doc_id": [r["doc_id"] for r in rows], "actor": [r["actor"] for r in rows]}
    )
    out, log = corpus_clean(texts, meta)
    assert len(out) == len(texts)
    assert not any("\n\n\n" in o for o in out)
    assert not any(re.search(r"\w@\w+\.[^\W\d_]{2,}", o) for o in out)  # "08.00@16.00" is OCR noise
    n_lines = dict(zip(meta["doc_id"], [t.count("\n") + 1 for t in texts], strict=True))
    assert all(1 <= line <= n_lines[d] for d, line in zip(log["doc_id"], log["line"], strict=True))
