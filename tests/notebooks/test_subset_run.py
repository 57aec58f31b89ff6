"""A run on a subset of the seeds: checked before the notebooks, said in every note."""

import json

import pytest

from ordbruk import paths
from ordbruk.run import cli


def study(tmp_path, subset: str):
    path = tmp_path / "study.yaml"
    path.write_text(f"corpus: {paths.SEEDS_DIR}\ncache_dir: {tmp_path / 'cache'}\n{subset}")
    return path


@pytest.mark.slow
def test_run_on_a_subset_says_so_in_notes_index_and_provenance(tmp_path, capsys):
    params = study(tmp_path, "subset:\n  keep:\n    genre: [press_release]\n")
    out = tmp_path / "run"
    assert cli.main(["run", "--params", str(params), "--only", "01", "--out", str(out)]) == 0
    assert "subset: genre is press_release: 3 of 5 documents" in capsys.readouterr().out
    line = "Documents analysed: a subset (genre is press_release), 3 of 5 documents"
    notes = sorted(out.glob("tables/*.notes.md")) + sorted(out.glob("figures/*.notes.md"))
    assert notes and all(line in p.read_text(encoding="utf-8") for p in notes)
    record = json.loads((out / "records" / "01_corpus_overview.json").read_text())
    assert record["corpus"]["n_documents"] == 3
    prov = json.loads((out / "provenance.json").read_text())
    assert prov["subset"]["n_documents"] == 3 and prov["subset"]["n_documents_before"] == 5
    assert prov["params"]["subset"] == {"keep": {"genre": ["press_release"]}}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<dt>Subset</dt><dd>genre is press_release</dd>" in index
    assert "<dt>Documents</dt><dd>3 of 5</dd>" in index


@pytest.mark.parametrize(
    "subset, message",
    [
        ("subset:\n  keep:\n    genre: [speech]\n", "subset.keep.genre: no document has 'speech' "
         "(values: news_article, press_release, web_page)"),
        ("subset:\n  keep:\n    doc_type: [speech]\n", "subset.keep.doc_type: no such metadata "
         "column (columns: doc_id, actor, actor_level, date, date_precision, year, title, "
         "actor_type, genre, place)"),
        ("subset:\n  keep: [genre]\n", "subset.keep: expected a mapping column: [values]"),
    ],
)  # fmt: skip
def test_bad_subset_stops_the_run_before_any_notebook(tmp_path, capsys, subset, message):
    out = tmp_path / "run"
    code = cli.main(["run", "--params", str(study(tmp_path, subset)), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 2
    errors = [line for line in captured.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and message in errors[0], captured.err
    assert errors[0].startswith(f"error: {tmp_path / 'study.yaml'}: subset.")
    assert "[1/4]" not in captured.out and not out.exists()
    assert not list(tmp_path.glob(".tmp-*")) and not list((paths.OUTPUTS_DIR).glob(".tmp-*"))
