"""An unclosed quote in a CSV must not swallow the next row silently (issue 12 item 9)."""

import pytest
from corpus_sample import HEADER, folder_write, only_error

from ordbruk.corpus.validate import corpus_check

ROWS = [
    "d1,Borås Stad,local,2019,Samverkan i Borås.",
    'd2,Malmö stad,local,2019,"Ett citat som aldrig stängs.',
    'd3,Göteborgs Stad,local,2020,Slutet av texten."',
    "d4,Delegationen,national,2018,Segregation minskar.",
    "d5,Region Skåne,regional,2021,Regionen samverkar.",
]


def test_unclosed_quote_in_a_text_csv_is_an_error_naming_the_row(tmp_path):
    p = tmp_path / "c.csv"
    p.write_text(HEADER.strip() + ",text\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    error = only_error(p)  # before: 4 documents, 0 errors
    assert error.file == str(p) and error.row == 2 and error.field == "text"
    assert "quote" in error.message and "d3" in error.message


def test_unclosed_quote_in_metadata_csv(tmp_path):
    meta = HEADER.strip() + ",title\n" + "\n".join(r.replace(",Borås", ",Borås") for r in ROWS)
    texts = {f"d{i}.txt": b"text\n" for i in range(1, 6)}
    root = folder_write(tmp_path / "c", meta + "\n", texts)
    raw, problems = corpus_check(root)
    errors = [p for p in problems if p.severity == "error"]
    assert raw is None and any("quote" in e.message and e.row == 2 for e in errors), errors


@pytest.mark.parametrize(
    "text",
    [
        '"Rad ett,\nrad två, med, många, kommatecken, 2019, local\nrad tre."',
        '"Första raden\n2019,local,2019,national,text\nsista"',
    ],
)
def test_multi_line_fields_that_are_prose_stay_accepted(tmp_path, text):
    p = tmp_path / "c.csv"
    p.write_text(HEADER.strip() + ",text\nd1,A,local,2019," + text + "\nd2,B,local,2019,hej\n")
    raw, problems = corpus_check(p)
    assert raw is not None and len(raw.meta) == 2, [str(q) for q in problems]
