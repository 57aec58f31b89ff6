"""Metadata checks on plain columns: dates and their precision, ids, levels, white space."""

from ordbruk.corpus.metadata import metadata_validate
from ordbruk.corpus.problems import Findings

LEVELS = ("national", "regional", "local", "other")


def validated(**cols):
    found = Findings()
    n = len(next(iter(cols.values())))
    meta = metadata_validate(
        {k: list(v) for k, v in cols.items()}, list(range(1, n + 1)), "m.csv", LEVELS, found
    )
    return meta, found


def test_precision_and_year_derived_from_iso_dates():
    meta, found = validated(
        doc_id=["a", "b", "c"],
        actor=["A", "B", "C"],
        actor_level=["local", "national", "other"],
        date=["2019-08-23", "2018-11", "2024"],
    )
    assert found == []
    assert list(meta.columns) == [
        "doc_id",
        "actor",
        "actor_level",
        "date",
        "date_precision",
        "year",
    ]
    assert list(meta["date_precision"]) == ["day", "month", "year"]
    assert list(meta["year"]) == [2019, 2018, 2024] and str(meta["year"].dtype) == "Int64"


def test_impossible_dates_name_the_reason():
    _, found = validated(
        doc_id=["a", "b", "c", "d"],
        actor=["A"] * 4,
        actor_level=["local"] * 4,
        date=["2019-02-29", "2020-02-29", "2019-13", "0000"],  # 2020 is a leap year
    )
    assert [(q.row, q.message) for q in found] == [
        (1, "'2019-02-29' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD); 2019-02 has no day 29"),
        (3, "'2019-13' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD); month 13 does not exist"),
        (4, "'0000' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD); year 0000 does not exist"),
    ]


def test_duplicate_ids_levels_and_stripped_fields():
    meta, found = validated(
        doc_id=["a ", "b", "a"],
        actor=["A", "B", "C"],
        actor_level=[" local", "kommun", "local"],
        date=["2019", "2019", "2019"],
    )
    assert meta["doc_id"][0] == "a" and meta["actor_level"][0] == "local"
    assert [(q.row, q.field) for q in found] == [(3, "doc_id"), (2, "actor_level")]
    assert "duplicate doc_id 'a' (first in row 1)" in found[0].message


def test_missing_required_column_gives_no_table():
    meta, found = validated(doc_id=["a"], actor=["A"], date=["2019"])
    assert meta is None
    assert [(q.severity, q.field) for q in found] == [("error", "actor_level")]


def test_decomposed_values_are_normalised_with_one_warning_per_column():
    meta, found = validated(
        doc_id=["a", "b"],
        actor=["Bora\u030as Stad", "Malmo\u0308 stad"],
        actor_level=["local", "local"],
        date=["2019", "2019"],
    )
    assert list(meta["actor"]) == ["Borås Stad", "Malmö stad"]
    assert [(q.severity, q.field, q.row) for q in found] == [("warning", "actor", None)]
    assert "2 value(s) not in Unicode NFC (first in row 1)" in found[0].message
