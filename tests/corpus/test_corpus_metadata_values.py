"""Metadata values that were accepted silently (issue 12 item 11): ids that read as missing,
dates in digits of other scripts, columns ordbruk computes itself."""

import pytest
from corpus_sample import folder_write, only_error


def _meta(tmp_path, header, row):
    return folder_write(tmp_path / "c", header + "\n" + row + "\n", {"d.txt": b"Hej.\n"})


@pytest.mark.parametrize("doc_id", ["NaN", "nan", "NA", "null", "None", "N/A", "#N/A"])
def test_doc_id_that_reads_as_missing_is_an_error(tmp_path, doc_id):
    root = folder_write(
        tmp_path / "c",
        f"doc_id,actor,actor_level,date,path\n{doc_id},A,local,2019,d.txt\n",
        {"d.txt": b"Hej.\n"},
    )
    error = only_error(root)
    assert error.field == "doc_id" and "missing" in error.message and doc_id in error.message


@pytest.mark.parametrize("date", ["٢٠١٩", "٢٠١٩-٠٣-٠١", "２０１９", "२०१९-03"])
def test_dates_in_digits_of_other_scripts_are_errors(tmp_path, date):
    root = _meta(tmp_path, "doc_id,actor,actor_level,date", f"d,A,local,{date}")
    error = only_error(root)
    assert error.field == "date" and "ISO" in error.message


@pytest.mark.parametrize("column", ["n_tokens", "n_words", "n_sentences", "n_paragraphs"])
def test_columns_ordbruk_computes_are_not_silently_replaced(tmp_path, column):
    root = _meta(tmp_path, f"doc_id,actor,actor_level,date,{column}", "d,A,local,2019,5")
    error = only_error(root)
    assert error.field == column and "rename" in error.message
