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
from ordbruk.run import cli, runner

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"


@dataclass
class FakeProblem:
    severity: str
    text: str

    def __str__(self):
        return self.text


def fake_corpus_module(problems, texts=("Välfärd och skola.", "Skola, skola: 2019!")):
    """A stand-in for ordbruk.corpus.validate with the documented corpus_check contract."""
    meta = pd.DataFrame(
        {"actor": ["A", "B"], "actor_level": ["local", "local"], "year": [2019, 2020]}
    )
    raw = types.SimpleNamespace(path=Path("/c"), kind="folder", meta=meta, texts=list(texts))
    has_errors = any(p.severity == "error" for p in problems)
    module = types.ModuleType("ordbruk.corpus.validate")
    module.calls = []

    def corpus_check(path, **kwargs):
        module.calls.append((path, kwargs))
        return (None if has_errors else raw), list(problems)

    module.corpus_check = corpus_check
    module.corpus_summary = lambda raw: {
        "documents": len(raw.meta),
        "actors_per_level": {"local": 2},
    }
    module.problems_format = lambda ps: [
        f"{p.severity}: {p}" for p in sorted(ps, key=lambda p: p.severity != "error")
    ]
    return module


def install(monkeypatch, name, module):
    import importlib

    package, name = {"corpus": ("corpus", "validate"), "prepare": ("text", "cache")}[name]
    monkeypatch.setitem(sys.modules, f"ordbruk.{package}.{name}", module)
    monkeypatch.setattr(importlib.import_module(f"ordbruk.{package}"), name, module, raising=False)


def test_no_command_prints_help(capsys):
    assert cli.main([]) == 0
    assert "run" in capsys.readouterr().out


def test_check_ok_prints_summary(monkeypatch, capsys):
    module = fake_corpus_module([FakeProblem("warning", "m.csv:2: date: odd date")])
    install(monkeypatch, "corpus", module)
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
    assert module.calls == [
        (Path("corpus"), {"allowed_levels": ("local", "other"), "encoding_fallback": "cp1252"})
    ]


def test_check_errors_exit_2(monkeypatch, capsys):
    problems = [
        FakeProblem("warning", "a.txt: text: empty"),
        FakeProblem("error", "metadata.csv:3: actor_level: 'kommun' not allowed"),
    ]
    install(monkeypatch, "corpus", fake_corpus_module(problems))
    assert cli.main(["check", "corpus"]) == 2
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "error: metadata.csv:3: actor_level: 'kommun' not allowed",
        "warning: a.txt: text: empty",
        "1 error, 1 warning",
    ]


def test_check_real_seed_corpus(capsys):
    pytest.importorskip("ordbruk.corpus.validate")
    assert cli.main(["check", str(paths.SEEDS_DIR)]) == 0
    assert "documents: 5" in capsys.readouterr().out


def test_run_stops_on_corpus_errors_without_running(monkeypatch, tmp_path, capsys):
    install(
        monkeypatch, "corpus", fake_corpus_module([FakeProblem("error", "x.csv:1: doc_id: empty")])
    )
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
    install(monkeypatch, "corpus", fake_corpus_module([]))
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
    assert seen["corpus_info"] == {"n_documents": 2, "n_tokens": None}
    assert capsys.readouterr().out == f"report: {tmp_path / 'run' / 'index.html'}\n"


def test_prepare_prints_what_it_did(monkeypatch, tmp_path, capsys):
    calls = []

    def corpus_prepare(path, cache_dir=None, validation=None, cleaning=None):
        calls.append((path, cache_dir, validation, cleaning))
        return types.SimpleNamespace(
            meta=pd.DataFrame({"n_tokens": [10, 20]}),
            manifest={"cache_hit": True, "cache_path": "/cache/abc"},
        )

    install(monkeypatch, "prepare", types.SimpleNamespace(corpus_prepare=corpus_prepare))
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
    calls = []

    def corpus_prepare(path, cache_dir=None, validation=None, cleaning=None):
        calls.append(cache_dir)
        return types.SimpleNamespace(meta=pd.DataFrame({"n_tokens": [1]}), manifest={})

    install(monkeypatch, "prepare", types.SimpleNamespace(corpus_prepare=corpus_prepare))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["prepare", "corpus", "--cache", "mycache"]) == 0
    assert calls == [str(tmp_path / "mycache")]


def test_ordbruk_error_in_command_is_one_line(monkeypatch, capsys):
    from ordbruk.errors import CorpusError

    def boom(*args, **kwargs):
        raise CorpusError("data/x.csv:4: date: '2019-13' is not a date; use YYYY[-MM[-DD]]")

    install(monkeypatch, "prepare", types.SimpleNamespace(corpus_prepare=boom))
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
def test_cli_run_end_to_end(tmp_path, capsys):
    nb = tmp_path / "nb"
    nb.mkdir()
    shutil.copy(FIXTURES / "01_fixture_ok.ipynb", nb)
    pytest.importorskip("ordbruk.corpus.validate")
    out = tmp_path / "run"
    assert cli.main(["run", "--notebooks", str(nb), "--out", str(out)]) == 0
    assert "[1/1] 01_fixture_ok ... done in " in capsys.readouterr().out
    prov = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert prov["params_file"]["path"].endswith("params/default.yaml")
    assert "metadata.csv" in prov["inputs"]["files"]
