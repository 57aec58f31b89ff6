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
