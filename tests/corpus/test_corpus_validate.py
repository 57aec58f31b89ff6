import json

import pandas as pd
import pytest
from corpus_sample import HEADER, ROWS, TEXTS, folder_write

from ordbruk.corpus.problems import problems_format
from ordbruk.corpus.validate import (
    DEFAULT_LEVELS,
    corpus_check,
    corpus_load,
    corpus_summary,
    validation_args,
)
from ordbruk.errors import CorpusError, ParameterError
from ordbruk.paths import SEEDS_DIR, SHARED_CORPORA_DIR


def errors_of(problems):
    return [p for p in problems if p.severity == "error"]


def warnings_of(problems):
    return [p for p in problems if p.severity == "warning"]


def only_error(path, **kwargs):
    raw, problems = corpus_check(path, **kwargs)
    assert raw is None
    errors = errors_of(problems)
    assert len(errors) == 1, [str(p) for p in problems]
    return errors[0]


# ---------------------------------------------------------------- settings


def test_validation_args_translate_params_once():
    # params `validation` as params/default.yaml writes it, and as `ordbruk check` builds it
    assert validation_args(
        {"allowed_levels": ["local", "other"], "encoding_fallback": "cp1252"}
    ) == {
        "allowed_levels": ("local", "other"),
        "encoding_fallback": "cp1252",
    }
    defaults = {"allowed_levels": DEFAULT_LEVELS, "encoding_fallback": None}
    assert validation_args(None) == validation_args({}) == defaults
    assert (
        validation_args({"allowed_levels": None, "encoding_fallback": ""}) == defaults
    )  # YAML null


# ---------------------------------------------------------------- happy path


def test_seeds_load_with_ids_levels_and_precisions():
    raw = corpus_load(SEEDS_DIR)
    meta = raw.meta
    assert raw.kind == "folder"
    assert list(meta["doc_id"].str[:3]) == ["000", "001", "002", "003", "004"]
    assert list(meta["actor_level"]) == ["local", "national", "local", "local", "regional"]
    precision = dict(zip(meta["doc_id"].str[:3], meta["date_precision"], strict=True))
    assert precision["000"] == "day" and precision["001"] == "month"
    assert precision["003"] == "year" and precision["004"] == "year"
    assert list(meta["year"]) == [2014, 2018, 2019, 2024, 2015]
    assert str(meta["year"].dtype) == "Int64"
    assert list(meta.columns[:6]) == [
        "doc_id",
        "actor",
        "actor_level",
        "date",
        "date_precision",
        "year",
    ]
    assert {"title", "genre", "place"} <= set(meta.columns)
    assert len(raw.texts) == 5 and raw.texts[0].startswith("Följ Borås TME")
    # README.md beside the texts is documentation, not a document
    assert set(raw.files) == {"metadata.csv"} | {f"{d}.txt" for d in meta["doc_id"]}
    assert raw.problems == []


def test_seeds_summary():
    raw = corpus_load(SEEDS_DIR)
    summary = corpus_summary(raw)
    # hand count from data/seeds/metadata.csv: 3 local docs (2 actors: Borås TME, Borås Stad),
    # 1 national, 1 regional; years 2014..2024
    assert summary["documents"] == 5
    assert summary["actors_per_level"] == {"national": 1, "regional": 1, "local": 2}
    assert summary["documents_per_level"] == {"national": 1, "regional": 1, "local": 3}
    assert (summary["year_min"], summary["year_max"]) == (2014, 2024)
    assert summary["characters"] == sum(len(t) for t in raw.texts)


def test_loading_never_modifies_input_files(tmp_path):
    # a fixture that needs in-memory fixes (BOM, NFD) must still be untouched on disk
    root = folder_write(
        tmp_path / "c",
        texts={"d1.txt": b"\xef\xbb\xbfBor" + "a\u030as".encode(), "d2.txt": b"Hej."},
    )
    before = {}
    for folder in (SEEDS_DIR, root):
        for f in sorted(folder.iterdir()):
            before[f] = (f.stat().st_mtime_ns, f.read_bytes())
    corpus_load(SEEDS_DIR)
    corpus_load(root)
    for f, (mtime, data) in before.items():
        assert f.stat().st_mtime_ns == mtime
        assert f.read_bytes() == data


# ---------------------------------------------------------------- folder errors


def test_duplicate_doc_id(tmp_path):
    root = folder_write(tmp_path / "c", HEADER + ROWS + "d1,Annan,local,2020\n")
    err = only_error(root)
    assert (err.row, err.field) == (3, "doc_id")
    assert "duplicate doc_id 'd1' (first in row 1)" in err.message


def test_missing_required_column(tmp_path):
    meta = "doc_id,actor,date\nd1,Borås Stad,2019\nd2,Delegationen,2018\n"
    err = only_error(folder_write(tmp_path / "c", meta))
    assert (err.file, err.row, err.field) == ("metadata.csv", None, "actor_level")
    assert "required column missing" in err.message


def test_empty_required_field(tmp_path):
    meta = HEADER + "d1,,local,2019\nd2,Delegationen,national,2018\n"
    err = only_error(folder_write(tmp_path / "c", meta))
    assert (err.row, err.field) == (1, "actor")
    assert str(err) == "metadata.csv:1: actor: empty; every document needs a value here"


@pytest.mark.parametrize(
    "date",
    ["2019-13-01", "2019-02-30", "2019-00", "19-08-23", "2019/08/23", "augusti 2019", "0000"],
)
def test_unparseable_date(tmp_path, date):
    meta = HEADER + f"d1,Borås Stad,local,{date}\nd2,Delegationen,national,2018\n"
    err = only_error(folder_write(tmp_path / "c", meta))
    assert (err.row, err.field) == (1, "date")
    assert err.message.startswith(f"'{date}' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")


def test_corpus_error_message_names_first_error_and_keeps_all(tmp_path):
    meta = (
        HEADER + "d1,Borås Stad,local,2019-13-01\nd2,Delegationen,nationell,2018\nd3,X,local,2020\n"
    )  # bad date, bad level, missing d3.txt
    root = folder_write(tmp_path / "c", meta)
    with pytest.raises(CorpusError) as info:
        corpus_load(root)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(
        f"corpus {root} has 3 errors; first: metadata.csv:1: date: '2019-13-01' is not an "
        "ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"
    )
    assert len(errors_of(info.value.problems)) == 3
    lines = problems_format(info.value.problems)
    assert all(line.startswith("error: ") and "\n" not in line for line in lines)


def test_actor_level_outside_allowed_set_and_configurable(tmp_path):
    meta = HEADER + "d1,Borås Stad,kommunal,2019\nd2,Delegationen,national,2018\n"
    root = folder_write(tmp_path / "c", meta)
    err = only_error(root)
    assert (err.row, err.field) == (1, "actor_level")
    assert "'kommunal' is not an allowed level (national, regional, local, other)" in err.message
    raw = corpus_load(root, allowed_levels=("national", "kommunal"))
    assert list(raw.meta["actor_level"]) == ["kommunal", "national"]
    assert len(corpus_load(SEEDS_DIR, allowed_levels=None).meta) == 5  # YAML null = default


def test_date_precision_must_match_the_date(tmp_path):
    meta = (
        "doc_id,actor,actor_level,date,date_precision\nd1,A,local,2019-08,day\nd2,B,local,2019,\n"
    )
    err = only_error(folder_write(tmp_path / "c", meta))
    assert (err.row, err.field) == (1, "date_precision")
    assert "does not match the date '2019-08' (month precision)" in err.message


def test_empty_date_declared_unknown_is_a_warning(tmp_path):
    # both shared corpora hold a few undated pages marked date_precision=unknown
    meta = (
        "doc_id,actor,actor_level,date,date_precision\nd1,A,local,,unknown\nd2,B,local,2019,year\n"
    )
    raw = corpus_load(folder_write(tmp_path / "c", meta))
    assert list(raw.meta["date_precision"]) == ["unknown", "year"]
    assert pd.isna(raw.meta["year"][0]) and raw.meta["year"][1] == 2019
    assert [(p.row, p.field) for p in raw.problems] == [(1, "date")]


def test_empty_actor_declared_unknown_is_a_warning(tmp_path):
    # the bulk corpus has 4 Almedalen events without an organiser, actor_type=unknown
    path = tmp_path / "c.jsonl"
    path.write_text(
        jsonl_line(actor="", actor_type="unknown", text="A.")
        + "\n"
        + jsonl_line(doc_id="j2", actor="", actor_type="municipality", text="B.")
        + "\n"
    )
    err = only_error(path)  # only the second line: its actor_type does not excuse it
    assert (err.row, err.field) == (2, "actor")
    path.write_text(jsonl_line(actor="", actor_type="unknown", text="A.") + "\n")
    raw = corpus_load(path)
    assert raw.meta["actor"][0] == "" and [(p.row, p.field) for p in raw.problems] == [(1, "actor")]


def test_text_not_utf8_names_file_and_fallback_warns(tmp_path):
    texts = {**TEXTS, "d2.txt": "Möte i Malmö.".encode("cp1252")}
    root = folder_write(tmp_path / "c", texts=texts)
    err = only_error(root)
    assert (err.file, err.row) == ("d2.txt", None)
    assert "not UTF-8 (byte 0xf6 at offset 1)" in err.message
    raw = corpus_load(root, encoding_fallback="cp1252")
    assert raw.texts[1] == "Möte i Malmö."
    assert [(p.file, p.severity) for p in raw.problems] == [("d2.txt", "warning")]
    with pytest.raises(ParameterError):
        corpus_check(root, encoding_fallback="no-such-codec")


@pytest.mark.parametrize(
    ("content", "hint"),
    [(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ""), ("Hej".encode("utf-16"), "UTF-16")],
)
def test_nul_bytes_binary_content(tmp_path, content, hint):
    root = folder_write(tmp_path / "c", texts={**TEXTS, "d1.txt": content})
    err = only_error(root)
    assert err.file == "d1.txt" and "binary data" in err.message and hint in err.message


def test_control_characters_binary_content(tmp_path):
    content = bytes(range(1, 9)) * 20 + b"text"  # no NUL, but mostly control characters
    err = only_error(folder_write(tmp_path / "c", texts={**TEXTS, "d1.txt": content}))
    assert (err.file, err.field) == ("d1.txt", "text")
    assert "binary data" in err.message


# ---------------------------------------------------------------- warnings


def test_empty_text_warns(tmp_path):
    raw = corpus_load(folder_write(tmp_path / "c", texts={**TEXTS, "d1.txt": b" \n\n"}))
    (warning,) = raw.problems
    assert (warning.file, warning.field) == ("d1.txt", "text")
    assert "empty" in warning.message


def test_byte_order_mark_stripped_with_warning(tmp_path):
    metadata = b"\xef\xbb\xbf" + (HEADER + ROWS).encode()  # BOM before "doc_id" in the header
    texts = {**TEXTS, "d1.txt": b"\xef\xbb\xbfHej."}
    raw = corpus_load(folder_write(tmp_path / "c", metadata, texts))
    assert raw.texts[0] == "Hej."
    assert list(raw.meta["doc_id"]) == ["d1", "d2"]
    assert sorted(p.file for p in raw.problems) == ["d1.txt", "metadata.csv"]
    assert all("byte-order mark" in p.message for p in raw.problems)


def test_decomposed_unicode_normalised_to_nfc(tmp_path):
    # "Borås" typed as a + combining ring (U+030A) in the text and in the actor name
    nfd = "Bora\u030as"
    meta = HEADER + f"d1,{nfd} Stad,local,2019\nd2,Delegationen,national,2018\n"
    texts = {**TEXTS, "d1.txt": f"Välkommen till {nfd}.".encode()}
    raw = corpus_load(folder_write(tmp_path / "c", meta, texts))
    assert raw.texts[0] == "Välkommen till Borås." and "Borås" in raw.texts[0]
    assert raw.meta["actor"][0] == "Borås Stad"
    assert {(p.file, p.field) for p in raw.problems} == {
        ("d1.txt", "text"),
        ("metadata.csv", "actor"),
    }


# ---------------------------------------------------------------- other checks


def jsonl_line(**fields):
    base = {"doc_id": "j1", "actor": "Borås Stad", "actor_level": "local", "date": "2019-08-23"}
    return json.dumps({**base, **fields}, ensure_ascii=False)


def test_path_that_does_not_exist_or_is_not_a_corpus(tmp_path):
    assert "no such file" in only_error(tmp_path / "saknas").message
    (tmp_path / "c.docx").write_bytes(b"x")
    assert "not a corpus" in only_error(tmp_path / "c.docx").message


# ---------------------------------------------------------------- real corpora

requires_shared = pytest.mark.skipif(
    not SHARED_CORPORA_DIR.is_dir(), reason=f"real corpora not found at {SHARED_CORPORA_DIR}"
)


@pytest.mark.realdata
@pytest.mark.slow
@requires_shared
def test_real_folder_corpus_loads():
    raw = corpus_load(SHARED_CORPORA_DIR / "policy-sv")
    assert len(raw.meta) == len(raw.texts) == 5674
    assert set(raw.meta["actor_level"]) == set(DEFAULT_LEVELS)
    assert len(raw.files) == 5674 + 1
    assert not errors_of(raw.problems)


def test_required_fields_are_stripped_of_white_space(tmp_path):
    meta = HEADER + "d1 ,Borås Stad, local ,2019-08-23 \nd2,Delegationen,national,2018\n"
    raw = corpus_load(folder_write(tmp_path / "c", meta))
    assert list(raw.meta["doc_id"]) == ["d1", "d2"]
    assert raw.meta["actor_level"][0] == "local" and raw.meta["date_precision"][0] == "day"


def test_year_column_in_input_does_not_crash(tmp_path):
    # Bug: a corpus with its own `year` column (common in exported metadata) crashed with
    # pandas' "cannot insert year, already exists" traceback instead of loading.
    path = tmp_path / "c.jsonl"
    path.write_text(
        jsonl_line(date="2019-05", year=2019, text="A.")
        + "\n"
        + jsonl_line(doc_id="j2", date="2020", year="2020", text="B.")
        + "\n",
        encoding="utf-8",
    )
    raw = corpus_load(path)
    assert list(raw.meta["year"]) == [2019, 2020]  # derived from date, Int64 as always
    assert str(raw.meta["year"].dtype) == "Int64" and list(raw.meta.columns).count("year") == 1
    # a year that contradicts the date is an error naming row and field, not a traceback
    meta = "doc_id,actor,actor_level,date,year\nd1,A,local,2019-08-23,2018\nd2,B,national,2018,\n"
    err = only_error(folder_write(tmp_path / "f", meta))
    assert (err.file, err.row, err.field) == ("metadata.csv", 1, "year")
    assert "'2018' does not match the date '2019-08-23'" in err.message
