"""The command line and bad input (issue 12 items 8, 11): `--out` inside the corpus folder,
and an OSError anywhere is one line naming the path, exit code 2, no traceback."""

import errno
import shutil
from pathlib import Path

import pytest

from ordbruk.run import cli, runner

FIXTURES = Path(__file__).parent.parent / "fixtures" / "notebooks"


def _notebooks(tmp_path):
    nb = tmp_path / "nb"
    nb.mkdir()
    shutil.copy(FIXTURES / "01_fixture_ok.ipynb", nb)
    return nb


@pytest.mark.parametrize("out", ["corpus/run", "corpus", "."])
def test_out_inside_the_corpus_or_holding_it_is_refused_before_anything_runs(
    monkeypatch, tmp_path, capsys, out
):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "cache_ensure", lambda *a, **k: pytest.fail("corpus prepared"))
    monkeypatch.setattr(runner, "suite_run", lambda *a, **k: pytest.fail("notebooks ran"))
    nb = _notebooks(tmp_path)
    code = cli.main(["run", "--notebooks", str(nb), "--corpus", "corpus", "--out", out])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: --out "), err
    assert "corpus" in err


def test_os_error_is_one_line_naming_the_path(monkeypatch, tmp_path, capsys):
    def ensure(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied", "/srv/cache/ordbruk/ab12")

    monkeypatch.setattr(cli, "cache_ensure", ensure)
    nb = _notebooks(tmp_path)
    code = cli.main(["run", "--notebooks", str(nb), "--corpus", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith("error: /srv/cache/ordbruk/ab12: permission denied")
    assert "Traceback" not in err


def test_disk_full_says_what_to_do(monkeypatch, tmp_path, capsys):
    def ensure(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device", "/tmp/x/texts.txt")

    monkeypatch.setattr(cli, "cache_ensure", ensure)
    nb = _notebooks(tmp_path)
    assert cli.main(["run", "--notebooks", str(nb), "--corpus", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: /tmp/x/texts.txt: no space left") and "free" in err


def test_an_unreachable_scheduler_stops_a_run_on_a_reused_corpus(monkeypatch, tmp_path, capsys):
    # Issue 14: the notebooks count the shards on the engine; a corpus reused from the cache
    # opened no engine, so a wrong scheduler would fail inside the first notebook.
    pytest.importorskip("distributed")
    hit = {"cache_hit": True, "warnings": [], "n_docs": 5, "n_tokens": 10, "key": "k"}
    monkeypatch.setattr(cli, "cache_ensure", lambda *a, **k: dict(hit))
    monkeypatch.setattr(runner, "suite_run", lambda *a, **k: pytest.fail("notebooks ran"))
    nb = _notebooks(tmp_path)
    gone = tmp_path / "scheduler.json"
    code = cli.main(["run", "--notebooks", str(nb), "--engine", str(gone), "--out",
                     str(tmp_path / "out")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith("error: engine: ") and "no such scheduler file" in err
