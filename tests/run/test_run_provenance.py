import json
import shutil
import subprocess

import numpy
import pytest

from ordbruk.run import provenance
from ordbruk.run.provenance import (
    KEY_PACKAGES,
    git_state,
    provenance_build,
    provenance_write,
    seeds_collect,
)

# sha256("abc"), FIPS 180-2 appendix B.1
SHA256_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_git_state_outside_repository(tmp_path):
    assert git_state(tmp_path) == {"commit": None, "dirty": None}


def test_git_state_without_git(monkeypatch, tmp_path):
    def no_git(*args, **kwargs):
        raise FileNotFoundError("git")

    monkeypatch.setattr(provenance.subprocess, "run", no_git)
    assert git_state(tmp_path) == {"commit": None, "dirty": None}


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_git_state_commit_and_dirty(tmp_path):
    def git(*args):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=tmp_path,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    git("add", "a.txt")
    git("commit", "-q", "-m", "first")
    state = git_state(tmp_path)
    assert len(state["commit"]) == 40 and state["dirty"] is False
    (tmp_path / "a.txt").write_text("b", encoding="utf-8")
    assert git_state(tmp_path)["dirty"] is True


def test_seeds_collect():
    params = {"seed": 5, "notebooks": {"04_topic_model": {"seed_offset": 2, "k": 3}, "x": None}}
    assert seeds_collect(params) == {"seed": 5, "notebooks.04_topic_model.seed_offset": 2}


def test_provenance_build_and_write(tmp_path):
    params_file = tmp_path / "p.yaml"
    params_file.write_bytes(b"abc")
    params = {"corpus": "corpus", "seed": 3, "notebooks": {}}
    nbs = {"01_x": {"started": "2026-01-01T00:00:00+00:00", "ended": "...", "seconds": 1.5}}
    # the input hashes come from the cache manifest, not from reading the corpus again
    manifest = {
        "key": "k1",
        "source": str(tmp_path / "missing-corpus"),
        "kind": "folder",
        "input_sha256": {"a.txt": SHA256_ABC},
        "cache_hit": True,
        "cache_path": "/cache/k1",
        "seconds": 0.25,
        "n_docs": 1,
        "n_tokens": 3,
        "warnings": ["a.txt: text: empty"],
    }
    record = provenance_build(
        params, params_file, manifest, nbs, "run1", "s", "e", cache_keys={"01_x": "k1"}
    )
    for key in (
        "git",
        "python",
        "platform",
        "packages",
        "params",
        "inputs",
        "preparation",
        "notebooks",
        "seeds",
        "cache_keys",
        "started",
        "ended",
        "run_id",
        "params_file",
    ):
        assert key in record
    assert record["inputs"] == {
        "corpus": str(tmp_path / "missing-corpus"),
        "kind": "folder",
        "cache_key": "k1",
        "files": {"a.txt": SHA256_ABC},
        "param_files": {},
    }
    assert record["preparation"]["cache_hit"] is True and record["preparation"]["n_warnings"] == 1
    assert record["params_file"]["sha256"] == SHA256_ABC
    assert record["seeds"] == {"seed": 3}
    assert list(record["packages"]) == list(KEY_PACKAGES)
    assert record["packages"]["numpy"] == numpy.__version__
    path = provenance_write(tmp_path / "provenance.json", record)
    text = path.read_text(encoding="utf-8")
    assert json.loads(text)["cache_keys"] == {"01_x": "k1"}
    # sorted keys and fixed indentation: the file is what json.dumps(sort_keys) gives
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert text.index('"cache_keys"') < text.index('"git"') < text.index('"seeds"')


def test_provenance_write_handles_numpy_and_paths(tmp_path):
    path = provenance_write(tmp_path / "p.json", {"n": numpy.int64(3), "p": tmp_path})
    assert json.loads(path.read_text()) == {"n": 3, "p": str(tmp_path)}


def test_provenance_redacts_corpus_file_names(tmp_path):
    # issue 12 item 4: a corpus file named after a person put the personal identity number
    # into provenance.json; two names that redact alike keep both hashes
    manifest = {
        "key": "k",
        "source": str(tmp_path),
        "input_sha256": {
            "ansokan_19121212-1212.txt": "a" * 64,
            "ansokan_121212-1212.txt": "b" * 64,
            "ok.txt": "c" * 64,
        },
    }
    record = provenance_build({"notebooks": {}}, None, manifest, {}, "r", "s", "e", git={})
    files = record["inputs"]["files"]
    assert "1212" not in json.dumps(files)
    assert sorted(files.values()) == ["a" * 64, "b" * 64, "c" * 64]
    assert set(files) == {"ansokan_[personnummer].txt", "ansokan_[personnummer].txt-2", "ok.txt"}


def test_notebook_paths_show(tmp_path, monkeypatch):
    # issue 12 item 10: the executed notebook held the user's home folder and the run's
    # temporary folder (papermill's input_path/output_path and the injected parameters)
    import nbformat

    root, home = tmp_path / "repo", tmp_path / "home"
    monkeypatch.setattr(provenance.paths, "ROOT", root)
    monkeypatch.setattr(provenance.Path, "home", classmethod(lambda cls: home))
    tmp, target = root / "outputs" / ".tmp-1", root / "outputs" / "run-1"
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {
        "input_path": str(root / "notebooks" / "01.ipynb"),
        "output_path": str(tmp / "01.ipynb"),
        "parameters": {"corpus_path": str(home / "corpora" / "x"), "output_dir": str(tmp)},
    }
    nb.cells.append(nbformat.v4.new_code_cell(f'output_dir = "{tmp}"\nother = "{root}2/x"'))
    path = tmp_path / "01.ipynb"
    nbformat.write(nb, path)
    provenance.notebook_paths_show(path, tmp, target)
    text = path.read_text(encoding="utf-8")
    assert str(tmp_path) + "/repo/" not in text and str(home) not in text and ".tmp-1" not in text
    pm = nbformat.read(path, as_version=4).metadata["papermill"]
    assert pm["input_path"] == "notebooks/01.ipynb"
    assert pm["output_path"] == "outputs/run-1/01.ipynb"
    assert pm["parameters"] == {"corpus_path": "~/corpora/x", "output_dir": "outputs/run-1"}
    # a path that only starts like the repository's is not shortened
    cell = nbformat.read(path, as_version=4).cells[0].source
    assert cell == f'output_dir = "outputs/run-1"\nother = "{root}2/x"'
