"""Issue 12 item 6 on a real run: a family name from the parameters that is a Markdown link
to javascript: is shown literally in the HTML report and the notes, never as a live link;
and no CSV the notebook writes holds a cell a spreadsheet would evaluate."""

import re

import pandas as pd
import pytest
from conftest import notebook_run

from ordbruk.escape import CSV_TRIGGERS
from ordbruk.report.html import report_write

LINK = "[x](javascript:alert(1))"


def csv_text_cells(folder):
    for path in sorted(folder.glob("*.csv")):
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        for col in df.columns:
            yield path.name, col
            yield from ((path.name, v) for v in df[col])


@pytest.mark.slow
def test_notebook_02_family_named_as_a_javascript_link(tmp_path):
    executed = notebook_run("02_term_frequency", tmp_path, families=[LINK, "samverkan"], n_boot=20)
    html = report_write(executed, tmp_path / "02.html", "test").read_text(encoding="utf-8")
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.I)
    assert "[x](javascript:alert(1))" in html  # shown as text
    for notes in (tmp_path / "tables").glob("*.notes.md"):
        assert "](javascript" not in notes.read_text(encoding="utf-8").replace("\\]", ""), notes
    for name, value in csv_text_cells(tmp_path / "tables"):
        assert not value.startswith(CSV_TRIGGERS), (name, value)
