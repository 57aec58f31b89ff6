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
