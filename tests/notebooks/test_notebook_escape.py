"""Issue 12 item 6 on a real run: a family name from the parameters that is a Markdown link
to javascript: is shown literally in the HTML report and the notes, never as a live link;
and no CSV the notebook writes holds a cell a spreadsheet would evaluate."""

import re
import shutil

import pandas as pd
import pytest
from conftest import notebook_run

from ordbruk.escape import CSV_TRIGGERS
from ordbruk.paths import SEEDS_DIR
from ordbruk.report.html import report_write

LINK = "[x](javascript:alert(1))"


def csv_text_cells(folder):
    for path in sorted(folder.glob("*.csv")):
        df = pd.read_csv(path, keep_default_na=False)  # numbers (negative too) are no text
        for col in df.columns:
            yield path.name, col
            if df[col].dtype == object:
                yield from ((path.name, v) for v in df[col] if isinstance(v, str))


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


@pytest.mark.slow
def test_notebooks_01_03_markup_in_levels_and_column_names_and_control_characters(tmp_path):
    # The seed corpus with an actor_level value and a grouping column's name that are
    # Markdown and HTML, group values that fold to one slug, and ESC in every title.
    img, level = "<img src=x onerror=alert(1)>", "**bold** [x](javascript:alert(1))"
    corpus = shutil.copytree(SEEDS_DIR, tmp_path / "corpus")
    meta = pd.read_csv(corpus / "metadata.csv", dtype=str, keep_default_na=False)
    meta["actor_level"] = meta["actor_level"].replace({"local": level})
    meta[img] = ["Malmö", "Malmo", "Malmö", "Malmo", "=1+1"]
    meta["title"] = meta["title"] + "\x1b[31m"
    meta.to_csv(corpus / "metadata.csv", index=False)
    validation = {"allowed_levels": ["national", "regional", level, "other"]}
    runs = {"01_corpus_overview": {}, "03_rhetoric_comparison": {"group_by": img, "n_boot": 20}}
    for name, extra in runs.items():
        out = tmp_path / name
        out.mkdir()
        executed = notebook_run(name, out, corpus_path=str(corpus), validation=validation, **extra)
        html = report_write(executed, out / "r.html", "t").read_text(encoding="utf-8")
        assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.I), name
        assert "<img src=x" not in html and "<strong>bold" not in html, name
        assert "\x1b" not in html, name
        for path in out.rglob("*"):
            # The prepared-corpus cache stores metadata exactly as read (it must round-trip):
            # it is ordbruk's storage, not an output a reader opens.
            if "cache" in path.relative_to(out).parts:
                continue
            if path.suffix in (".md", ".csv", ".svg"):
                text = path.read_text(encoding="utf-8")
                assert "\x1b" not in text, path
                assert not re.search(r"(?<!\\)<img", text) or path.suffix != ".md", path
        for _, value in csv_text_cells(out / "tables"):
            assert not value.startswith(CSV_TRIGGERS), value
    figures = sorted(
        p.name
        for p in (tmp_path / "03_rhetoric_comparison" / "figures").glob("fightin_words_*.svg")
    )
    assert len(figures) == 6  # Malmö vs Malmo keep their own files
    assert "fightin_words_Malmo_vs_rest.svg" in figures
