import hashlib
import json
import shutil
import subprocess

import numpy
import pytest

from ordbruk.run import provenance
from ordbruk.run.provenance import (
    file_sha256,
    files_hash,
    git_state,
    packages_versions,
    provenance_build,
    provenance_write,
    seeds_collect,
)

# sha256("abc"), FIPS 180-2 appendix B.1
SHA256_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_file_sha256_known_value(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(b"abc")
    assert file_sha256(f) == SHA256_ABC


def test_files_hash_folder_recursive_skips_hidden(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / "metadata.csv").write_text("doc_id\n", encoding="utf-8")
    (tmp_path / "sub" / "ö.txt").write_text("Välfärd", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"x")
    (tmp_path / ".ipynb_checkpoints" / "x.txt").write_bytes(b"x")
    got = files_hash(tmp_path)
    assert list(got) == ["metadata.csv", "sub/ö.txt"]
    assert got["sub/ö.txt"] == hashlib.sha256("Välfärd".encode()).hexdigest()


def test_files_hash_single_file_and_missing(tmp_path):
    f = tmp_path / "c.jsonl"
    f.write_bytes(b"abc")
    assert files_hash(f) == {"c.jsonl": SHA256_ABC}
    assert files_hash(tmp_path / "missing") == {}


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


def test_packages_versions():
    got = packages_versions(["numpy", "no-such-package-ordbruk"])
    assert got == {"numpy": numpy.__version__, "no-such-package-ordbruk": None}
    assert set(packages_versions()) >= {"pandas", "papermill", "nbconvert", "ordbruk"}


def test_seeds_collect():
    params = {"seed": 5, "notebooks": {"04_topic_model": {"seed_offset": 2, "k": 3}, "x": None}}
    assert seeds_collect(params) == {"seed": 5, "notebooks.04_topic_model.seed_offset": 2}


def test_provenance_build_and_write(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes(b"abc")
    params_file = tmp_path / "p.yaml"
    params_file.write_bytes(b"abc")
    params = {"corpus": str(corpus), "seed": 3, "notebooks": {}}
    nbs = {"01_x": {"started": "2026-01-01T00:00:00+00:00", "ended": "...", "seconds": 1.5}}
    record = provenance_build(
        params, params_file, corpus, nbs, "run1", "s", "e", cache_keys={"01_x": "k1"}
    )
    for key in (
        "git",
        "python",
        "platform",
        "packages",
        "params",
        "inputs",
        "notebooks",
        "seeds",
        "cache_keys",
        "started",
        "ended",
        "run_id",
        "params_file",
    ):
        assert key in record
    assert record["inputs"]["files"] == {"a.txt": SHA256_ABC}
    assert record["params_file"]["sha256"] == SHA256_ABC
    assert record["seeds"] == {"seed": 3}
    path = provenance_write(tmp_path / "provenance.json", record)
    text = path.read_text(encoding="utf-8")
    assert json.loads(text)["cache_keys"] == {"01_x": "k1"}
    # sorted keys and fixed indentation: the file is what json.dumps(sort_keys) gives
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert text.index('"cache_keys"') < text.index('"git"') < text.index('"seeds"')


def test_provenance_write_handles_numpy_and_paths(tmp_path):
    path = provenance_write(tmp_path / "p.json", {"n": numpy.int64(3), "p": tmp_path})
    assert json.loads(path.read_text()) == {"n": 3, "p": str(tmp_path)}
