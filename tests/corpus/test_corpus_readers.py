"""The folder and CSV readers: matching text files to metadata rows, CSV dialects."""

from corpus_sample import HEADER, ROWS, TEXTS, folder_write, only_error

from ordbruk.corpus.validate import corpus_load


def test_path_column_matches_texts_in_subfolders(tmp_path):
    meta = "doc_id,actor,actor_level,date,path\n" + "".join(
        f"{r},texts/src/{r.split(',')[0]}.txt\n" for r in ROWS.splitlines()
    )
    texts = {f"texts/src/{name}": content for name, content in TEXTS.items()}
    raw = corpus_load(folder_write(tmp_path / "c", meta, texts))
    assert list(raw.meta["path"]) == ["texts/src/d1.txt", "texts/src/d2.txt"]
    assert raw.texts[1] == "Delegationen besöker Borlänge.\n"


def test_missing_text_file_for_metadata_row(tmp_path):
    root = folder_write(tmp_path / "c", texts={"d1.txt": b"Hej."})
    err = only_error(root)
    assert (err.file, err.row, err.field) == ("metadata.csv", 2, "doc_id")
    assert "no text file d2.txt" in err.message


def test_text_file_without_metadata_row(tmp_path):
    root = folder_write(tmp_path / "c", texts={**TEXTS, "d3.txt": b"Extra."})
    err = only_error(root)
    assert (err.file, err.row) == ("d3.txt", None)
    assert "without a row in metadata.csv" in err.message


def test_nfd_file_name_matches_nfc_doc_id(tmp_path):
    # macOS stores file names decomposed; the doc_id in metadata.csv is composed
    meta = HEADER + "malmö-1,Malmö stad,local,2019\n"
    root = folder_write(tmp_path / "c", meta, {"malmo\u0308-1.txt": b"Hej."})
    assert corpus_load(root).texts == ["Hej."]


def test_html_files_in_a_folder_are_read_as_visible_text(tmp_path):
    html = (
        "<html><head><title>Sidtitel</title><style>p {}</style></head><body>"
        "<h1>Rubrik</h1><p>Första &amp; andra<br>raden.</p><script>var x;</script>"
        "<div>  Sista   stycket. </div></body></html>"
    )
    root = folder_write(tmp_path / "c", texts={"d1.html": html.encode(), "d2.txt": b"Hej."})
    raw = corpus_load(root)
    assert raw.texts[0] == "Rubrik\n\nFörsta & andra\nraden.\n\nSista stycket."


def test_csv_corpus_with_text_column(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(HEADER.strip() + ',text\nd1,Borås Stad,local,2019,"Rad ett.\n\nRad två."\n')
    raw = corpus_load(path)
    assert raw.kind == "csv" and raw.texts == ["Rad ett.\n\nRad två."]
    assert "text" not in raw.meta.columns
    path.write_text(HEADER + "d1,Borås Stad,local,2019\n")
    err = only_error(path)
    assert (err.field, err.row) == ("text", None)


def test_csv_semicolon_delimiter_and_ragged_row(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("doc_id;actor;actor_level;date;text\nd1;A;local;2019;Hej\nd2;B;local;2019\n")
    err = only_error(path)
    assert err.row == 2 and "4 fields but the header has 5" in err.message
