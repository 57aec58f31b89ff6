import json
import os
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from papermill.exceptions import PapermillExecutionError

from ordbruk.errors import OrdbrukError
from ordbruk.run import folders, runner
from ordbruk.run.params import params_load
from ordbruk.run.runner import (
    NotebookFailedError,
    latest_point,
    notebooks_find,
    notebooks_select,
    run_id_make,
    suite_run,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "notebooks"
# What text.cache.cache_ensure returns for a prepared corpus (the fields the runner reads).
MANIFEST = {
    "key": "k-run",
    "source": "/corpus",
    "kind": "folder",
    "input_sha256": {"metadata.csv": "0" * 64},
    "n_docs": 5,
    "n_tokens": 1234,
    "warnings": [],
    "cache_hit": True,
}
REMOTE_ASSET_RE = re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//[^"'\s>]+\.(js|css)""", re.I)
SCRIPT_SRC_RE = re.compile(r"<script\b[^>]*\bsrc\s*=", re.I)


def notebooks_dir(tmp_path, names):
    folder = tmp_path / "notebooks"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(FIXTURES / f"{name}.ipynb", folder)
    return folder


# ---- fast tests: discovery, pointers, orchestration with a stand-in executor ----


def test_notebooks_find_and_select(tmp_path):
    folder = tmp_path / "nb"
    folder.mkdir()
    for name in ("02_b.ipynb", "01_a.ipynb", "10_c.ipynb", "scratch.ipynb", "01_a.py", "1_x.ipynb"):
        (folder / name).write_text("{}", encoding="utf-8")
    found = notebooks_find(folder)
    assert [p.name for p in found] == ["01_a.ipynb", "02_b.ipynb", "10_c.ipynb"]
    assert [p.stem for p in notebooks_select(found, ["10_c", "01"])] == ["01_a", "10_c"]
    assert [p.stem for p in notebooks_select(found, ["02_b.ipynb"])] == ["02_b"]
    assert notebooks_select(found, None) == found
    with pytest.raises(OrdbrukError) as info:
        notebooks_select(found, ["03_missing"])
    assert str(info.value) == "--only 03_missing: no such notebook (available: 01_a, 02_b, 10_c)"


def test_notebooks_find_missing_folder(tmp_path):
    with pytest.raises(OrdbrukError, match="notebooks folder not found"):
        notebooks_find(tmp_path / "nope")


def test_run_id_format():
    from datetime import datetime

    now = datetime(2026, 11, 22, 19, 30, 0)
    run_id = run_id_make({"seed": 1}, now=now)
    assert re.fullmatch(r"20261122-193000-[0-9a-f]{7}-[0-9a-f]{6}", run_id)
    # Bug (issue 12 item 2): two runs in the same second on one commit got the same id,
    # so they shared one temporary folder. The random suffix makes the id per process.
    assert len({run_id_make({"seed": 1}, now=now) for _ in range(50)}) == 50


def test_latest_point_symlink_then_replace(tmp_path):
    (tmp_path / "run1").mkdir()
    (tmp_path / "run2").mkdir()
    (tmp_path / "LATEST").write_text("old\n")
    latest_point(tmp_path, tmp_path / "run1")
    link = latest_point(tmp_path, tmp_path / "run2")
    assert link.is_symlink() and os.readlink(link) == "run2"
    assert not (tmp_path / "LATEST").exists()  # stale fallback removed
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_latest_point_falls_back_to_text_file(tmp_path, monkeypatch):
    def no_symlinks(*args, **kwargs):
        raise OSError("symlinks not supported")

    monkeypatch.setattr(folders.os, "symlink", no_symlinks)
    (tmp_path / "run1").mkdir()
    path = latest_point(tmp_path, tmp_path / "run1")
    assert path == tmp_path / "LATEST"
    assert path.read_text() == "run1\n"


def fake_execute(source, executed, parameters, cwd):
    """Stand-in for papermill: 'runs' a notebook by copying it; a cell 'raise' fails."""
    nb = nbformat.read(source, as_version=4)
    nb.cells.insert(1, new_code_cell("# injected", metadata={"tags": ["injected-parameters"]}))
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.source.startswith("raise"):
            cell.outputs = [
                new_output("error", ename="ValueError", evalue="boom\nmore", traceback=[])
            ]
            nbformat.write(nb, executed)
            raise PapermillExecutionError(index, 3, cell.source, "ValueError", "boom\nmore", [])
    nbformat.write(nb, executed)
    out = Path(parameters["output_dir"])
    (out / "records").mkdir(exist_ok=True)
    record = {
        "notebook": parameters["notebook_name"],
        "summary": f"ran {source.stem}",
        "corpus": {"n_documents": 5, "n_tokens": 1234, "cache_key": "k-" + source.stem},
    }
    (out / "records" / f"{source.stem}.json").write_text(json.dumps(record))
    (out / "records" / f"{source.stem}.parameters.txt").write_text(json.dumps(parameters))


def make_notebook(folder, name, fail=False):
    cells = [new_markdown_cell(f"# Title of {name}"), new_code_cell("x = 1")]
    if fail:
        cells.append(new_code_cell("raise ValueError('boom')"))
    nbformat.write(new_notebook(cells=cells), folder / f"{name}.ipynb")


def test_failure_keeps_previous_run(fake_suite, tmp_path, capsys):
    params = params_load()
    outputs = tmp_path / "outputs"
    good = suite_run(params, None, fake_suite, outputs, only=["01_alpha"], corpus_manifest=MANIFEST)
    before = sorted(p.relative_to(good) for p in good.rglob("*"))
    with pytest.raises(NotebookFailedError) as info:
        suite_run(params, None, fake_suite, outputs, corpus_manifest=MANIFEST)
    message = str(info.value)
    failed = [p for p in outputs.iterdir() if p.name.startswith("failed-")]
    assert len(failed) == 1
    kept = failed[0] / "02_beta.ipynb"
    assert kept.exists() and (failed[0] / "01_alpha.ipynb").exists()
    # cell 3: title, x = 1, raise (the injected cell is not counted); first line of the error
    assert message.startswith(
        "02_beta failed in cell 3 (ValueError: boom); executed notebook kept at "
    )
    assert message.endswith(f"{failed[0].name}/02_beta.ipynb")
    assert "\n" not in message
    assert sorted(p.relative_to(good) for p in good.rglob("*")) == before
    assert os.readlink(outputs / "latest") == good.name
    assert not [p for p in outputs.iterdir() if p.name.startswith(".tmp-")]
    progress = capsys.readouterr().out
    assert "[1/2] 01_alpha ... done in " in progress and "[2/2] 02_beta ... failed" in progress


def test_index_and_provenance_from_records(fake_suite, tmp_path):
    params = params_load()
    run = suite_run(
        params, None, fake_suite, tmp_path / "outputs", only=["01"], corpus_manifest=MANIFEST
    )
    index = (run / "index.html").read_text(encoding="utf-8")
    assert '<a href="01_alpha.html">Title of 01_alpha</a>' in index
    assert "ran 01_alpha" in index
    assert "<dt>Documents</dt><dd>5</dd>" in index
    assert "<dt>Tokens</dt><dd>1,234</dd>" in index  # one number format (issue 13)
    # issue 13: the index says how to cite the run, from the provenance values
    assert "How to cite this run" in index and f"Run {run.name};" in index
    assert SCRIPT_SRC_RE.search(index) is None and REMOTE_ASSET_RE.search(index) is None
    prov = json.loads((run / "provenance.json").read_text(encoding="utf-8"))
    assert prov["cache_keys"] == {"01_alpha": "k-01_alpha"}
    assert prov["run_id"] == run.name
    assert set(prov["notebooks"]["01_alpha"]) >= {"started", "ended", "seconds", "sha256"}
    # the corpus was prepared once, before the notebooks: its key goes to every notebook,
    # and its manifest is where provenance takes the input files' sha256 from
    injected = json.loads((run / "records" / "01_alpha.parameters.txt").read_text())
    assert injected["cache_key"] == "k-run"
    assert prov["inputs"]["files"] == {"metadata.csv": "0" * 64}
    assert prov["inputs"]["cache_key"] == "k-run"


def test_run_id_and_provenance_name_the_commit_the_run_started_on(
    fake_suite, tmp_path, monkeypatch
):
    # A commit made while a run is going must not make its provenance name a later commit
    # than its run id does: the repository state is read once, at the start.
    states = iter([{"commit": "a" * 40, "dirty": False}, {"commit": "b" * 40, "dirty": False}])
    monkeypatch.setattr(runner, "git_state", lambda *a, **k: next(states))
    run = suite_run(
        params_load(), None, fake_suite, tmp_path / "outputs", only=["01"], corpus_manifest=MANIFEST
    )
    prov = json.loads((run / "provenance.json").read_text(encoding="utf-8"))
    assert re.search(r"-aaaaaaa-[0-9a-f]{6}$", run.name)
    assert prov["git"] == {"commit": "a" * 40, "dirty": False}


def test_explicit_run_dir_is_replaced_and_latest_untouched(fake_suite, tmp_path):
    params = params_load()
    target = tmp_path / "study-run"

    def run():
        return suite_run(
            params,
            None,
            fake_suite,
            tmp_path / "unused",
            run_dir=target,
            only=["01"],
            corpus_manifest=MANIFEST,
        )

    first = run()
    first_id = json.loads((target / "provenance.json").read_text())["run_id"]
    assert folders.marker_read(target)["run_id"] == first_id
    second = run()
    assert first == second == target.resolve() and (target / "index.html").exists()
    second_id = json.loads((target / "provenance.json").read_text())["run_id"]
    assert second_id != first_id and folders.marker_read(target)["run_id"] == second_id
    assert not (tmp_path / "latest").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nb", "study-run"]


def test_explicit_run_dir_that_is_not_a_run_is_never_replaced(fake_suite, tmp_path):
    # Bug: `ordbruk run --out DIR` swapped out and deleted any existing DIR, so a slip such
    # as `--out .` or `--out data/seeds` destroyed the repository or the corpus.
    params = params_load()
    target = tmp_path / "thesis"
    target.mkdir()
    (target / "chapter1.md").write_text("my work")
    with pytest.raises(OrdbrukError, match="not an ordbruk run folder"):
        suite_run(
            params,
            None,
            fake_suite,
            tmp_path / "unused",
            run_dir=target,
            only=["01"],
            corpus_manifest=MANIFEST,
        )
    assert (target / "chapter1.md").read_text() == "my work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nb", "thesis"]
    empty = tmp_path / "empty"
    empty.mkdir()
    run = suite_run(
        params, None, fake_suite, tmp_path, run_dir=empty, only=["01"], corpus_manifest=MANIFEST
    )
    assert run == empty


def test_no_notebooks(tmp_path):
    (tmp_path / "nb").mkdir()
    with pytest.raises(OrdbrukError, match="no notebooks"):
        suite_run(params_load(), None, tmp_path / "nb", tmp_path / "out", corpus_manifest=MANIFEST)


# ---- slow tests: real papermill and nbconvert on the fixture notebooks ----


@pytest.fixture(scope="module")
def real_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("real")
    folder = notebooks_dir(tmp, ["01_fixture_ok", "02_fixture_fail"])
    outputs = tmp / "outputs"
    params = params_load()
    params["cache_dir"] = str(tmp / "cache")  # no manifest given: suite_run prepares the corpus
    run = suite_run(params, None, folder, outputs, only=["01_fixture_ok"])
    return run, folder, outputs


@pytest.mark.slow
def test_real_run_folder_contents(real_run):
    run, _, outputs = real_run
    names = sorted(p.relative_to(run).as_posix() for p in run.rglob("*") if p.is_file())
    assert names == [
        ".ordbruk-run",  # the marker: this folder is ordbruk's (issue 12 item 1)
        "01_fixture_ok.html",
        "01_fixture_ok.ipynb",
        "figures/bars.notes.md",
        "figures/bars.pdf",
        "figures/bars.png",
        "figures/bars.svg",
        "index.html",
        "provenance.json",
        "records/01_fixture_ok.json",
        "tables/terms.csv",
        "tables/terms.notes.md",
    ]
    assert os.readlink(outputs / "latest") == run.name
    csv = (run / "tables" / "terms.csv").read_text(encoding="utf-8")
    assert csv == "term,n_tokens,freq_per_10k\n<b>välfärd</b>,3,1.5\nskola,12,0.666667\n"
    index = (run / "index.html").read_text(encoding="utf-8")
    assert "2 terms; most frequent: skola" in index
    assert '<a href="01_fixture_ok.html">Fixture report</a>' in index


@pytest.mark.slow
def test_real_run_html_self_contained_and_tags(real_run):
    html = (real_run[0] / "01_fixture_ok.html").read_text(encoding="utf-8")
    assert SCRIPT_SRC_RE.search(html) is None
    assert REMOTE_ASSET_RE.search(html) is None
    assert 'src="data:image/png;base64,' in html  # the figure is embedded
    assert "HIDDEN_CODE_MARKER" not in html and "OUTPUT_OF_HIDDEN_CELL" in html
    assert "SHOWN_CODE_MARKER" in html
    details = html[html.index("<details") : html.index("</details>")]
    assert "COLLAPSED_CODE_MARKER" in details
    assert "OUTPUT_OF_REMOVED_CELL" not in html and "OUTPUT_REMOVED_BY_TAG" not in html
    assert "&lt;b&gt;välfärd&lt;/b&gt;" in html and "<b>välfärd" not in html


@pytest.mark.slow
def test_real_run_kernel_is_this_python(real_run):
    nb = nbformat.read(real_run[0] / "01_fixture_ok.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    kernel_python = re.search(r"KERNEL_PYTHON=(\S+)", text).group(1)
    assert Path(kernel_python).resolve() == Path(sys.executable).resolve()
    assert "KERNEL_NOTEBOOK_NAME=01_fixture_ok" in text
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    assert ["injected-parameters"] in tags
    # suite_run prepared the seed corpus itself and injected its key
    prov = json.loads((real_run[0] / "provenance.json").read_text(encoding="utf-8"))
    key = prov["inputs"]["cache_key"]
    assert len(key) == 24 and "metadata.csv" in prov["inputs"]["files"]
    injected = next(
        c.source for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])
    )
    assert f'cache_key = "{key}"' in injected


@pytest.mark.slow
def test_real_failure_names_notebook_and_cell(real_run, capsys):
    run, folder, outputs = real_run
    with pytest.raises(NotebookFailedError) as info:
        suite_run(params_load(), None, folder, outputs, only=["02"], corpus_manifest=MANIFEST)
    message = str(info.value)
    # cells of 02_fixture_fail: 1 title, 2 import, 3 parameters, 4 raise
    assert message.startswith(
        "02_fixture_fail failed in cell 4 (ParameterError: fixture: min_count must be positive); "
        "executed notebook kept at "
    )
    kept = Path(message.rsplit(" kept at ", 1)[1])
    kept = kept if kept.is_absolute() else Path.cwd() / kept
    assert kept.exists() and kept.parent.name.startswith("failed-")
    assert os.readlink(outputs / "latest") == run.name
    assert (run / "index.html").exists()
    assert "[1/1] 02_fixture_fail ... failed" in capsys.readouterr().out
