"""Progress bars of long loops (ordbruk.progress) and of the corpus preparation: stderr only."""

import io
import re

import pytest

from ordbruk import progress
from ordbruk.text.cache import cache_ensure


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_no_bar_when_stderr_is_no_terminal(capsys):
    loop = [1, 2, 3]
    assert progress.steps(loop, desc="x") is loop  # the loop itself, nothing drawn
    assert progress.shown() is False
    assert capsys.readouterr() == ("", "")


def test_bar_on_a_terminal_goes_to_stderr_and_is_cleared(monkeypatch):
    pytest.importorskip("tqdm")
    err = _Tty()
    monkeypatch.setattr(progress.sys, "stderr", err)
    assert progress.shown()
    assert list(progress.steps(range(3), desc="clean", unit="doc")) == [0, 1, 2]
    assert "clean" in err.getvalue()
    monkeypatch.setenv("ORDBRUK_PROGRESS", "0")  # switched off on a terminal too
    assert not progress.shown()


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "metadata.csv").write_text(
        "doc_id,actor,actor_level,date\nd1,A,local,2019\nd2,B,national,2018\n", encoding="utf-8"
    )
    (root / "d1.txt").write_text("Vi samverkar med regionen.\n", encoding="utf-8")
    (root / "d2.txt").write_text("Segregation och trygghet.\n", encoding="utf-8")
    return root


def test_cold_preparation_shows_stage_and_documents_per_second(corpus, tmp_path, capsys):
    out = io.StringIO()
    cache_ensure(corpus, tmp_path / "cache", stream=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("corpus: hash the input files ... done in ")
    assert "documents" not in lines[0]  # not known yet while hashing
    for line in lines[1:]:  # read, clean, tokenise, write
        assert re.fullmatch(r"corpus: .+ \.\.\. done in \d+\.\d s \(2 documents, [\d,]+/s\)", line)
    assert capsys.readouterr() == ("", "")  # no bar, nothing on stdout or stderr
