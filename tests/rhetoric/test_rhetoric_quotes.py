import unicodedata

import pandas as pd
import pytest

from ordbruk.paths import SEEDS_DIR
from ordbruk.rhetoric.quotes import (
    level_infer,
    levels_compare,
    levels_prose,
    quotes_extract,
    quotes_extract_corpus,
    quotes_share,
)

# Every direct quote in the five seed texts, read by hand:
# (doc, quote_id, speaker, role, organisation, party, speaker_level, start of quote, end of quote)
SEED_QUOTES = [
    (
        "000",
        0,
        "Talieh Ashjari",
        "mångfaldsdirektör",
        "Länsstyrelsen i Västra Götalands län",
        "",
        "regional",
        "Det är bra och viktigt",
        "uppväxtvillkor i länet",
    ),
    (
        "000",
        1,
        "Dag Forsström",
        "förvaltningschef",
        "Borås Stads Arbetslivsförvaltning",
        "",
        "local",
        "Borås Stad får chansen",
        "arbetar med försörjningsstödet",
    ),
    # no role; "Borås" is a municipality name -> local
    (
        "000",
        2,
        "Anna Lilja",
        "",
        "Borås Convention Bureau",
        "",
        "local",
        "Vi är glada att kunna välkomna",
        "av mötesstaden Borås",
    ),
    # the relative clause ", som kommer att vara på plats i Borlänge" is not the organisation
    (
        "001",
        0,
        "Inger Ashing",
        "direktör",
        "Delegationen mot segregation",
        "",
        "national",
        "Vår ambition med besöket",
        "ett stöd i detta arbete",
    ),
    (
        "001",
        1,
        "Jan Bohman",
        "kommunstyrelsens ordförande",
        "Borlänge kommun",
        "S",
        "local",
        "Jag välkomnar att regeringen",
        "under deras besök hos oss",
    ),
    # no dash: the whole paragraph is the quote; role before the name; level from the role
    (
        "002",
        0,
        "Malin Carlsson",
        "kommunalrådet",
        "",
        "S",
        "local",
        "Social hållbarhet innebär i Borås",
        "måste vara för alla",
    ),
    # no organisation: level from "... Socialt hållbart Borås" in the role
    (
        "002",
        1,
        "Christer Samuelsson",
        "förvaltningschef för Gymnasie- och vuxenutbildningsförvaltningen och projektledare för Socialt hållbart Borås",
        "",
        "",
        "local",
        "De flesta barn och unga",
        "i den här handlingsplanen",
    ),
    (
        "002",
        2,
        "Svante Stomberg",
        "kommunchef",
        "",
        "",
        "local",
        "Det görs bra insatser",
        "Borås Stad och Västra Götalandsregionen",
    ),
    # ",säger" without a space; party after the role; "oppositionsråd" alone names no level
    (
        "002",
        3,
        "Niklas Arvidsson",
        "oppositionsråd",
        "",
        "KD",
        "unknown",
        "Det finns inga snabba",
        "en god start i livet",
    ),
    # 003 has no quotes
    (
        "004",
        0,
        "Anna-Lena Holberg",
        "ordförande",
        "Beredningen för överenskommelsen mellan Västra Götalandsregionen och social ekonomi",
        "",
        "regional",
        "Även om det finns olika uppfattningar",
        "hitta nya lösningar",
    ),
    # en dash + no-break space, " , äger" (a typo for "säger") before the name
    (
        "004",
        1,
        "Holger Andersson",
        "Samordnare för social ekonomi",
        "beredningen",
        "",
        "unknown",
        "Det behövs en bättre samverkan",
        "som finns i regionen",
    ),
    # two speakers, "och fortsätter:", the quote goes on in the next paragraph; role and
    # organisation carried over from their first mention
    (
        "004",
        2,
        "Anna-Lena Holberg",
        "ordförande",
        "Beredningen för överenskommelsen mellan Västra Götalandsregionen och social ekonomi",
        "",
        "regional",
        "Det pågår mycket bra arbete",
        "med de resurser vi har.",
    ),
    (
        "004",
        2,
        "Holger Andersson",
        "Samordnare för social ekonomi",
        "beredningen",
        "",
        "unknown",
        "Det pågår mycket bra arbete",
        "med de resurser vi har.",
    ),
]


def _seed_quotes() -> pd.DataFrame:
    files = sorted(SEEDS_DIR.glob("*.txt"))
    if len(files) != 5:
        pytest.skip(f"seed corpus not found in {SEEDS_DIR}")
    texts = [f.read_text(encoding="utf-8") for f in files]
    return quotes_extract_corpus(texts, [f.stem[:3] for f in files])


def test_every_seed_quote():
    got = _seed_quotes()
    assert len(got) == len(SEED_QUOTES)
    for row, exp in zip(got.itertuples(), SEED_QUOTES, strict=True):
        doc, qid, speaker, role, org, party, level, start, end = exp
        assert (row.doc_id, row.quote_id, row.speaker) == (doc, qid, speaker)
        assert (row.role, row.organisation, row.party, row.speaker_level) == (
            role,
            org,
            party,
            level,
        ), speaker
        assert row.quote.startswith(start) and row.quote.endswith(end), row.quote


def test_quote_spanning_paragraphs_keeps_both():
    got = _seed_quotes()
    q = got[(got["doc_id"] == "004") & (got["quote_id"] == 2)]["quote"].iloc[0]
    assert "komma åt\n\nVi hoppas att dialogmötet" in q


def test_no_quote_from_scare_quotes_or_titles():
    got = _seed_quotes()
    assert not got["quote"].str.contains("en skola mitt i byn").any()
    assert not got["quote"].str.contains("Nationellt möte inom").any()


def test_dash_paragraph_before_attribution_belongs_to_it():
    text = (
        "Inledning utan citat.\n\n"
        "– Vi måste göra mer för barnen i Hjällbo.\n\n"
        "– Därför satsar vi nu, säger Anna Svensson (M), kommunalråd i Göteborgs Stad.\n\n"
        "– Och vi fortsätter i år.\n\n"
        "Slutord."
    )
    df = quotes_extract(text, "x")
    assert len(df) == 1
    r = df.iloc[0]
    assert (
        r["quote"]
        == "Vi måste göra mer för barnen i Hjällbo.\n\nDärför satsar vi nu\n\nOch vi fortsätter i år."
    )
    assert (r["role"], r["organisation"], r["party"], r["speaker_level"]) == (
        "kommunalråd",
        "Göteborgs Stad",
        "M",
        "local",
    )


def test_pronoun_surname_and_minister():
    text = (
        "– Vi skärper kraven, säger statsminister Ulf Kristersson.\n\n"
        "– Det behövs, säger han.\n\n"
        "– Det är viktigt, säger Kristersson till Dagens Nyheter."
    )
    df = quotes_extract(text)
    assert list(df["speaker"]) == ["Ulf Kristersson"] * 3
    assert list(df["speaker_level"]) == ["national"] * 3
    assert df["organisation"].tolist() == ["", "", ""]  # the newspaper is not his organisation


def test_nfd_input_and_empty():
    text = unicodedata.normalize(
        "NFD", "– Vi ska öka tryggheten, säger Åsa Öberg, regionråd i Region Skåne."
    )
    df = quotes_extract(text)
    assert df.iloc[0]["speaker"] == "Åsa Öberg" and df.iloc[0]["speaker_level"] == "regional"
    assert quotes_extract("").empty
    assert list(quotes_extract("").columns)[:7] == [
        "doc_id",
        "speaker",
        "role",
        "organisation",
        "party",
        "speaker_level",
        "quote",
    ]
    assert quotes_extract("Det är bra, säger man.").empty  # no name: not an attribution


@pytest.mark.parametrize(
    ("org", "role", "level"),
    [
        ("Borlänge kommun", "", "local"),
        ("Malmö stad", "", "local"),
        ("Länsstyrelsen i Stockholms län", "", "regional"),
        ("Region Stockholm", "", "regional"),
        ("Landstinget i Värmland", "", "regional"),
        ("Arbetsmarknadsdepartementet", "", "national"),
        ("Migrationsverket", "", "national"),
        ("Regeringen", "", "national"),
        ("Göteborgs universitet", "", "other"),
        ("Sveriges Kommuner och Regioner", "", "other"),
        ("Teknikföretagen", "vd", "unknown"),
        ("", "kommunikatör", "unknown"),  # "kommun..." inside "kommunikatör" is not a municipality
        ("", "socialminister", "national"),
        ("", "", "unknown"),
    ],
)
def test_level_infer(org, role, level):
    assert level_infer(org, role) == level


def test_quotes_share_and_levels_compare():
    texts = ["– Vi ska, säger Anna Berg, kommunalråd i Lunds kommun.", "Ingen röst här.", ""]
    q = quotes_extract_corpus(texts, ["a", "b", "c"])
    share = quotes_share(q, texts, ["a", "b", "c"])
    # quote "Vi ska" = 6 characters of 53
    assert share[0] == pytest.approx(6 / len(texts[0].strip()))
    assert share[1] == 0 and pd.isna(share[2])
    meta = pd.DataFrame({"doc_id": ["a", "b", "c"], "actor_level": ["national", "local", "local"]})
    table, summary = levels_compare(q, meta)
    assert summary == {"n_quotes": 1, "n_known": 1, "n_differ": 1, "share_differ": 1.0}
    assert table.to_dict("records") == [
        {"publisher_level": "national", "speaker_level": "local", "n_quotes": 1}
    ]


def test_levels_prose():
    assert "No direct quotes" in levels_prose(
        {"n_quotes": 0, "n_known": 0, "n_differ": 0, "share_differ": float("nan")}
    )
    text = levels_prose({"n_quotes": 13, "n_known": 10, "n_differ": 6, "share_differ": 0.6})
    assert "known for 10" in text and "6 of them (60%)" in text


@pytest.mark.realdata
def test_quotes_on_policy_sv_press_releases():
    from ordbruk.paths import SHARED_CORPORA_DIR

    root = SHARED_CORPORA_DIR / "policy-sv"
    if not (root / "metadata.csv").exists():
        pytest.skip(f"{root} not found (real-data corpus absent)")
    meta = pd.read_csv(root / "metadata.csv", dtype=str, keep_default_na=False)
    meta = meta[meta["doc_type"] == "pressmeddelanden"].head(300)
    texts = [(root / p).read_text(encoding="utf-8") for p in meta["path"]]
    q = quotes_extract_corpus(texts, meta["doc_id"])
    # Government press releases quote ministers: most quotes are found and most are national.
    assert q["doc_id"].nunique() > 100
    assert (q["speaker_level"] == "national").mean() > 0.7
    assert q["role"].str.contains("minister").mean() > 0.5
