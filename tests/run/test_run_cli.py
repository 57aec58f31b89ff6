import json
import shutil
import subprocess
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from ordbruk import paths
from ordbruk.errors import CorpusError
from ordbruk.run import cli, runner

FIXTURES = Path(__file__).parent.parent / "fixtures" / "notebooks"


@dataclass
class FakeProblem:
    severity: str
    text: str

    def __str__(self):
        return self.text


def fake_check(monkeypatch, problems, texts=("Välfärd och skola.", "Skola, skola: 2019!")):
    """Stand in for corpus_check (and corpus_summary) with their documented contract."""
    meta = pd.DataFrame({"actor": ["A", "B"], "actor_level": ["local", "local"]})
    raw = types.SimpleNamespace(path=Path("/c"), kind="folder", meta=meta, texts=list(texts))
    has_errors = any(p.severity == "error" for p in problems)
    calls = []

    def corpus_check(path, **kwargs):
        calls.append((path, kwargs))
        return (None if has_errors else raw), list(problems)

    monkeypatch.setattr(cli, "corpus_check", corpus_check)
    monkeypatch.setattr(
        cli,
        "corpus_summary",
        lambda raw: {"documents": len(raw.meta), "actors_per_level": {"local": 2}},
    )
    return calls


def manifest_make(**fields):
    """What cache_ensure returns: the manifest of the prepared corpus."""
    return {
        "key": "k1",
        "n_docs": 2,
        "n_tokens": 30,
        "warnings": [],
        "cache_hit": True,
        "cache_path": "/cache/k1",
        **fields,
    }


def fake_ensure(monkeypatch, result):
    """Stand in for cache_ensure: return ``result`` (a manifest) or raise it (an error)."""
    calls = []

    def cache_ensure(path, cache_dir=None, validation=None, cleaning=None, stream=None, **_):
        calls.append((path, cache_dir, validation, cleaning))
        if isinstance(result, Exception):
            raise result
        return result

    monkeypatch.setattr(cli, "cache_ensure", cache_ensure)
    return calls


def test_no_command_prints_help(capsys):
    assert cli.main([]) == 0
    assert "run" in capsys.readouterr().out


def test_check_ok_prints_summary(monkeypatch, capsys):
    calls = fake_check(monkeypatch, [FakeProblem("warning", "m.csv:2: date: odd date")])
    assert (
        cli.main(
            [
                "check",
                "corpus",
                "--allowed-levels",
                "local",
                "other",
                "--encoding-fallback",
                "cp1252",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out.splitlines()
    # \w+ by hand: "Välfärd och skola." = 3, "Skola, skola: 2019!" = 3
    assert out == [
        "documents: 2",
        "tokens (rough \\w+ count, before cleaning): 6",
        "actors per level: local 2",
        "warning: m.csv:2: date: odd date",
        "0 errors, 1 warning",
    ]
    assert calls == [
        (Path("corpus"), {"allowed_levels": ("local", "other"), "encoding_fallback": "cp1252"})
    ]


def test_check_errors_exit_2(monkeypatch, capsys):
    problems = [
        FakeProblem("warning", "a.txt: text: empty"),
        FakeProblem("error", "metadata.csv:3: actor_level: 'kommun' not allowed"),
    ]
    fake_check(monkeypatch, problems)
    assert cli.main(["check", "corpus"]) == 2
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "error: metadata.csv:3: actor_level: 'kommun' not allowed",
        "warning: a.txt: text: empty",
        "1 error, 1 warning",
    ]


def test_check_real_seed_corpus(capsys):
    assert cli.main(["check", str(paths.SEEDS_DIR)]) == 0
    assert "documents: 5" in capsys.readouterr().out


def test_run_stops_on_corpus_errors_without_running(monkeypatch, tmp_path, capsys):
    problems = [FakeProblem("error", "x.csv:1: doc_id: empty")]
    fake_ensure(monkeypatch, CorpusError("corpus has 1 error", problems))
    monkeypatch.setattr(runner, "suite_run", lambda *a, **k: pytest.fail("notebooks ran"))
    nb = tmp_path / "nb"
    nb.mkdir()
    shutil.copy(FIXTURES / "01_fixture_ok.ipynb", nb)
    code = cli.main(["run", "--notebooks", str(nb), "--corpus", str(tmp_path)])
    assert code == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "error: x.csv:1: doc_id: empty"
    assert err[1] == f"error: {tmp_path}: 1 corpus problem(s); fix them and run again"


def test_run_unknown_only_lists_names(tmp_path, capsys):
    nb = tmp_path / "nb"
    nb.mkdir()
    shutil.copy(FIXTURES / "01_fixture_ok.ipynb", nb)
    shutil.copy(FIXTURES / "02_fixture_fail.ipynb", nb)
    assert cli.main(["run", "--notebooks", str(nb), "--only", "03_nope"]) == 2
    err = capsys.readouterr().err
    assert (
        err
        == "error: --only 03_nope: no such notebook (available: 01_fixture_ok, 02_fixture_fail)\n"
    )


def test_run_bad_params_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("seeed: 1\n", encoding="utf-8")
    assert cli.main(["run", "--params", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {bad}: seeed: unknown key") and err.count("\n") == 1


def test_run_passes_arguments(monkeypatch, tmp_path, capsys):
    manifest = manifest_make(warnings=[f"d{i}.txt: text: empty" for i in range(12)])
    ensured = fake_ensure(monkeypatch, manifest)
    seen = {}

    def fake_run(params, **kwargs):
        seen.update(kwargs, corpus=params["corpus"])
        return tmp_path / "run"

    monkeypatch.setattr(runner, "suite_run", fake_run)
    monkeypatch.chdir(tmp_path)
    nb = tmp_path / "nb"
    nb.mkdir()
    shutil.copy(FIXTURES / "01_fixture_ok.ipynb", nb)
    assert (
        cli.main(["run", "--notebooks", "nb", "--corpus", "mine", "--out", "o", "--only", "01"])
        == 0
    )
    assert seen["corpus"] == str(tmp_path / "mine")  # relative to where the user is
    assert seen["run_dir"] == Path("o") and seen["only"] == ["01"]
    # the corpus is prepared once, before the notebooks, which get its manifest (and key)
    assert seen["corpus_manifest"] is manifest
    assert [c[0] for c in ensured] == [tmp_path / "mine"]
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "corpus: 2 documents, 30 tokens; cache k1 reused",
        f"report: {tmp_path / 'run' / 'index.html'}",
    ]
    # the warnings of a reused entry come from its manifest, ten shown
    err = captured.err.splitlines()
    assert err[0] == "warning: d0.txt: text: empty" and len(err) == 11
    assert err[-1] == "... and 2 more warnings; `ordbruk check` lists them all"


def test_run_missing_corpus_is_one_line(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(cli.runner, "suite_run", lambda *a, **k: pytest.fail("notebooks ran"))
    nb = tmp_path / "nb"
    nb.mkdir()
    shutil.copy(FIXTURES / "01_fixture_ok.ipynb", nb)
    code = cli.main(["run", "--notebooks", str(nb), "--corpus", str(tmp_path / "saknas")])
    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == "corpus: hash the input files ... failed\n"
    assert captured.err == (
        f"error: {tmp_path / 'saknas'}: no such file or folder; check the corpus path\n"
    )


def test_prepare_prints_what_it_did(monkeypatch, tmp_path, capsys):
    calls = fake_ensure(monkeypatch, manifest_make(cache_path="/cache/abc"))
    assert cli.main(["prepare", str(tmp_path), "--cache", str(tmp_path / "c")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:5] == [
        f"corpus: {tmp_path}",
        "documents: 2",
        "tokens: 30",
        "cache: reused",
        "cache folder: /cache/abc",
    ]
    assert out[5].startswith("seconds: ")
    path, cache_dir, validation, cleaning = calls[0]
    assert path == tmp_path and cache_dir == str(tmp_path / "c")
    assert "allowed_levels" in validation and isinstance(cleaning, dict)


def test_prepare_cache_option_is_relative_to_where_the_user_is(monkeypatch, tmp_path):
    # Bug: `ordbruk prepare --cache DIR` resolved a relative DIR against the repository
    # root, unlike PATH, --corpus, --out and --params, which are relative to the cwd.
    calls = fake_ensure(monkeypatch, manifest_make())
    monkeypatch.chdir(tmp_path)
    assert cli.main(["prepare", "corpus", "--cache", "mycache"]) == 0
    assert [c[1] for c in calls] == [str(tmp_path / "mycache")]


def test_prepare_built_prints_cleaning_and_warnings(monkeypatch, tmp_path, capsys):
    manifest = manifest_make(
        cache_hit=False,
        cleaning_counts={"removed": 4, "redacted": 2},
        warnings=["a.txt: text: empty"],
    )
    fake_ensure(monkeypatch, manifest)
    assert cli.main(["prepare", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[3] == "cache: built"
    assert out[-2:] == [
        "cleaning: 4 lines removed, 2 redactions (see the overview report)",
        "warning: a.txt: text: empty",
    ]


def test_ordbruk_error_in_command_is_one_line(monkeypatch, capsys):
    error = CorpusError("data/x.csv:4: date: '2019-13' is not a date; use YYYY[-MM[-DD]]")
    fake_ensure(monkeypatch, error)
    assert cli.main(["prepare", "x"]) == 2
    captured = capsys.readouterr()
    assert (
        captured.err == "error: data/x.csv:4: date: '2019-13' is not a date; use YYYY[-MM[-DD]]\n"
    )


def test_console_script_no_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("seed: [\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "ordbruk.run.cli", "run", "--params", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr
    assert done.stdout == ""


@pytest.mark.slow
def test_cli_run_end_to_end(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ORDBRUK_CACHE", str(tmp_path / "cache"))
    nb = tmp_path / "nb"
    nb.mkdir()
    shutil.copy(FIXTURES / "01_fixture_ok.ipynb", nb)
    out = tmp_path / "run"
    assert cli.main(["run", "--notebooks", str(nb), "--out", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    # the stages of the cold preparation, as they happen, then the notebooks
    assert [line.split(" ... ")[0] for line in lines[:5]] == [
        "corpus: hash the input files",
        "corpus: read and validate",
        "corpus: clean and redact",
        "corpus: tokenise",
        "corpus: lemmatise and write the cache",
    ]
    assert lines[5].startswith("corpus: 5 documents, ") and lines[5].endswith(" built")
    assert lines[6].startswith("[1/1] 01_fixture_ok ... done in ")
    prov = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert prov["params_file"]["path"].endswith("params/default.yaml")
    assert set(prov["inputs"]["files"]) == {"metadata.csv"} | {
        f"{name}.txt" for name in pd.read_csv(paths.SEEDS_DIR / "metadata.csv")["doc_id"]
    }
    assert prov["inputs"]["cache_key"] == prov["preparation"]["cache_path"].rsplit("/", 1)[1]
