"""Progress inside a running notebook (ordbruk.run.status): on stderr, never on stdout."""

import io

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell

from ordbruk.run import status
from ordbruk.run.status import NotebookProgress, heading_of


@pytest.mark.parametrize(
    ("source", "heading"),
    [
        ("# Topic model: themes", "Topic model: themes"),
        ("Some text\n\n## Choosing *k*\n", "Choosing k"),
        ("### `Collocates` ###", "Collocates"),
        ("#### too deep", ""),
        ("no heading #here", ""),
        ("", ""),
    ],
)
def test_heading_of(source, heading):
    assert heading_of(source) == heading


def _cells():
    injected = new_code_cell("x = 1", metadata={"tags": ["injected-parameters"]})
    return [new_markdown_cell("# Report"), new_code_cell("a"), injected,
            new_markdown_cell("## Section two"), new_code_cell("b")]  # fmt: skip


def test_plain_lines_name_section_cell_and_seconds(capsys):
    stream = io.StringIO()
    cells = _cells()
    with NotebookProgress("04_x", "[1/1] 04_x ... ", stream=stream, tty=False) as shown:
        assert status.current() is shown
        for i, cell in enumerate(cells):
            shown.cell_start(cell, i, cells)
    assert status.current() is None
    # the injected cell is not counted (cell numbers as in the failure messages)
    assert stream.getvalue().splitlines() == [
        "  04_x: cell 1/4, 0 s: Report",
        "  04_x: cell 3/4, 0 s: Section two",
    ]
    assert capsys.readouterr().out == ""  # nothing on stdout


def test_terminal_status_line_is_rewritten_and_cleared(monkeypatch):
    stream = io.StringIO()
    cells = _cells()
    with NotebookProgress("04_x", "[1/1] 04_x ... ", stream=stream, tty=True) as shown:
        shown.cell_start(cells[0], 0, cells)
        shown.cell_start(cells[1], 1, cells)
    text = stream.getvalue()
    assert "\r[1/1] 04_x ... cell 1/4, 0 s: Report\x1b[K" in text
    assert "\r[1/1] 04_x ... cell 2/4, 0 s: Report\x1b[K" in text
    assert text.endswith("\r\x1b[K")  # stdout is no terminal here: the line is just cleared
    assert "\n" not in text


def test_heartbeat_in_a_long_cell(monkeypatch):
    monkeypatch.setattr(status, "HEARTBEAT", 0.0)
    stream = io.StringIO()
    cells = _cells()
    import time

    with NotebookProgress("04_x", stream=stream, tty=False) as shown:
        shown.cell_start(cells[1], 1, cells)
        time.sleep(1.3)  # one tick of the display's thread
    assert "  04_x: cell 2/4, 1 s" in stream.getvalue()


def test_a_closed_stream_never_stops_the_run():
    stream = io.StringIO()
    stream.close()
    cells = _cells()
    with NotebookProgress("04_x", stream=stream, tty=False) as shown:
        shown.cell_start(cells[0], 0, cells)


def test_sharing_a_file_with_stdout_keeps_the_runner_line_whole(tmp_path, monkeypatch):
    # `ordbruk run > log 2>&1`: the progress lines start on a line of their own, and the
    # runner's "done in" lands after the notebook's prefix again.
    log = (tmp_path / "log").open("w", encoding="utf-8")
    monkeypatch.setattr(status.sys, "stdout", log)
    cells = _cells()
    log.write("[1/1] 04_x ... ")
    log.flush()
    with NotebookProgress("04_x", "[1/1] 04_x ... ", stream=log) as shown:
        shown.cell_start(cells[0], 0, cells)
    log.write("done in 1.0 s\n")
    log.close()
    assert (tmp_path / "log").read_text(encoding="utf-8").splitlines() == [
        "[1/1] 04_x ... ",
        "  04_x: cell 1/4, 0 s: Report",
        "[1/1] 04_x ... done in 1.0 s",
    ]
