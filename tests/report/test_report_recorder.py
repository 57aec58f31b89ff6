import json
import re
import struct

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from ordbruk.errors import ParameterError
from ordbruk.report import recorder as report
from ordbruk.report.html import cell_tags_apply, html_remote_strip, notebook_title, report_write
from ordbruk.report.recorder import Recorder, figure_style, table_html, text_safe

REMOTE_ASSET_RE = re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//[^"'\s>]+\.(js|css)""", re.I)
SCRIPT_SRC_RE = re.compile(r"<script\b[^>]*\bsrc\s*=", re.I)


@pytest.fixture
def shown(monkeypatch):
    """Capture what the Recorder displays instead of printing it."""
    seen = []
    monkeypatch.setattr(report, "_display", lambda html_text, plain: seen.append(html_text))
    return seen


def terms_df():
    return pd.DataFrame(
        {
            "term": ["<b>välfärd</b>", "skola", "Åtgärd"],
            "n_tokens": [3, 12, 1],
            "freq_per_10k": [1.5, 2.0 / 3.0, np.nan],
        }
    )


def test_table_writes_csv_and_notes(tmp_path, shown):
    rec = Recorder(tmp_path, "01_x")
    rec.table(terms_df(), "terms", "Term counts", "Counted *by hand*.")
    csv = (tmp_path / "tables" / "terms.csv").read_bytes()
    # %.6g: 2/3 -> 0.666667; NaN -> empty; no index column; UTF-8 å/ä
    expected = "term,n_tokens,freq_per_10k\n<b>välfärd</b>,3,1.5\nskola,12,0.666667\nÅtgärd,1,\n"
    assert csv == expected.encode("utf-8")
    notes = (tmp_path / "tables" / "terms.notes.md").read_text(encoding="utf-8")
    assert notes == "# Table 1. Term counts\n\nCounted *by hand*.\n"  # numbered as in the report
    assert rec.summary()["path"].tolist() == ["tables/terms.csv"]


def test_table_display_escaped_numbers_right_aligned(tmp_path, shown):
    Recorder(tmp_path).table(terms_df(), "terms", "Terms <&>", "Note with <script>x</script>.")
    block = shown[0]
    assert "&lt;b&gt;välfärd&lt;/b&gt;" in block and "<b>välfärd" not in block
    assert "Terms &lt;&amp;&gt;" in block
    assert "<script>" not in block
    assert '<th class="num">n_<wbr>tokens</th>' in block and "<th>term</th>" in block
    assert '<td class="num">0.6667</td>' in block
    assert block.index("</table>") < block.index('class="method-notes"')
    assert "3 rows" in block


def test_table_show_limits_rows(tmp_path, shown):
    Recorder(tmp_path).table(terms_df(), "t", "T", "n", show=2)
    assert shown[0].count("<tr>") == 3  # header + 2 rows
    assert shown[0].count("<tr hidden>") == 1  # the third, for the report's "Show all"
    assert "Shown: 2 of 3 rows (the first 2); all rows in <code>tables/t.csv</code>" in shown[0]
    Recorder(tmp_path).table(terms_df(), "t", "T", "n", show=None)
    assert shown[1].count("<tr>") == 4


def test_table_html_number_display():
    html = table_html(pd.DataFrame({"x": [14760.4, 2033.2, 0.000012345, -0.0316149]}))
    cells = re.findall(r'<td class="num">([^<]*)</td>', html)
    assert cells == ["14,760", "2,033", "1.234e-05", "-0.03161"]  # separated from 1,000 on


def test_table_html_bool_and_missing():
    html = table_html(pd.DataFrame({"ok": [True, False], "x": [None, "a"]}))
    assert '<th class="num">' not in html
    assert "<td></td>" in html


@pytest.mark.parametrize("name", ["", "../x", "a b", "tabell/1"])
def test_bad_names_rejected(tmp_path, shown, name):
    with pytest.raises(ParameterError, match="name"):
        Recorder(tmp_path, "01_x").table(terms_df(), name, "T", "n")


def plot():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1, 2], [1, 3, 2], label="välfärd")
    ax.set_title("Åtgärder")
    ax.legend()
    return fig


def test_figure_files_display_and_close(tmp_path, shown):
    rec = Recorder(tmp_path, "01_x")
    fig = plot()
    rec.figure(fig, "line", "A line", "Made up.")
    svg = (tmp_path / "figures" / "line.svg").read_text(encoding="utf-8")
    png = (tmp_path / "figures" / "line.png").read_bytes()
    pdf = (tmp_path / "figures" / "line.pdf").read_bytes()
    assert svg.lstrip().startswith("<?xml") and "<dc:date>" not in svg
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and pdf[:5] == b"%PDF-"
    # saved at the figure's own size (4 x 3 in): 300 dpi in the file, shown at 4 in
    assert re.search(r'width="288pt" height="216pt"', svg)
    assert struct.unpack(">II", png[16:24]) == (1200, 900)
    assert "width:4.0in" in shown[0]
    assert not plt.fignum_exists(fig.number)
    assert 'src="data:image/png;base64,' in shown[0] and "Made up." in shown[0]


def test_outputs_are_byte_identical_between_runs(tmp_path, shown):
    for run in ("a", "b"):
        figure_style()
        rec = Recorder(tmp_path / run, "01_x")
        rec.table(terms_df(), "terms", "T", "n")
        rec.figure(plot(), "line", "L", "n")
    for rel in ("tables/terms.csv", "figures/line.svg", "figures/line.png", "figures/line.pdf"):
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_figure_style():
    figure_style()
    rc = matplotlib.rcParams
    assert rc["svg.fonttype"] == "none"
    assert not rc["axes.spines.top"] and not rc["axes.spines.right"]
    for key in (
        "font.size",
        "xtick.labelsize",
        "ytick.labelsize",
        "legend.fontsize",
        "axes.labelsize",
    ):
        assert float(rc[key]) >= 7, key  # 7 pt at print size (ordbruk.figures)
    colors = rc["axes.prop_cycle"].by_key()["color"]
    assert colors[0].lower() == "#0072b2"  # Okabe-Ito blue


def test_summary_and_corpus_note_write_record(tmp_path, shown):
    class FakeCorpus:
        meta = pd.DataFrame({"n_tokens": [10, 32]})
        manifest = {"key": "abc123", "cache_hit": True}

    rec = Recorder(tmp_path, "02_terms")
    rec.summary_set("12 terms;\n  most frequent: skola")
    note = rec.corpus_note(FakeCorpus())
    assert note == {"n_documents": 2, "n_tokens": 42, "cache_key": "abc123", "cache_hit": True}
    record = json.loads((tmp_path / "records" / "02_terms.json").read_text(encoding="utf-8"))
    assert record["summary"] == "12 terms; most frequent: skola"
    assert record["corpus"]["n_tokens"] == 42


def test_text_safe():
    pytest.importorskip("ordbruk.text.cleaning")
    out = text_safe("Mejla anna.svensson@example.se <b>nu</b>")
    assert "anna.svensson@example.se" not in out
    assert "&lt;b&gt;nu&lt;/b&gt;" in out


def tagged(source, tags=(), outputs=None):
    cell = new_code_cell(source)
    cell.metadata["tags"] = list(tags)
    cell.outputs = (
        outputs
        if outputs is not None
        else [new_output("stream", name="stdout", text=f"printed {source.upper()}\n")]
    )
    return cell


def executed_notebook():
    return new_notebook(
        cells=[
            new_markdown_cell("# Rapport om välfärd\n\nText."),
            tagged("default_code"),
            tagged("shown_code", ["show-input"]),
            tagged("collapsed_code", ["hide-input"]),
            tagged("removed_input", ["remove-input", "show-input"]),
            tagged("removed_cell", ["remove-cell"]),
            tagged("removed_output", ["remove-output", "show-input"]),
            tagged("silent_code", outputs=[]),
            tagged("warns", outputs=[new_output("stream", name="stderr", text="FutureWarning\n")]),
        ]
    )


def test_cell_tags_apply():
    nb = executed_notebook()
    cell_tags_apply(nb)
    by_source = {c.source: c for c in nb.cells}
    assert "removed_cell" not in by_source and "silent_code" not in by_source
    assert by_source["default_code"].metadata["transient"]["remove_source"] is True
    assert "transient" not in by_source["shown_code"].metadata
    assert by_source["collapsed_code"].metadata["ordbruk"] == {"input": "collapsed"}
    assert by_source["removed_input"].metadata["transient"]["remove_source"] is True
    assert by_source["removed_output"].outputs == []
    assert "warns" not in by_source  # only stderr, which is dropped -> nothing to show


def test_report_write_self_contained(tmp_path):
    path = tmp_path / "01_x.ipynb"
    nbformat.write(executed_notebook(), path)
    html = report_write(path, tmp_path / "01_x.html", run_id="r1").read_text(encoding="utf-8")
    assert SCRIPT_SRC_RE.search(html) is None
    assert REMOTE_ASSET_RE.search(html) is None
    assert "require.js" not in html and "mathjax" not in html.lower()
    assert "<title>Rapport om välfärd</title>" in html
    # sources are lower case, their printed outputs upper case
    assert "default_code" not in html and "printed DEFAULT_CODE" in html
    assert "shown_code" in html and "printed SHOWN_CODE" in html
    details = html[html.index("<details") : html.index("</details>")]
    assert "collapsed_code" in details
    assert "removed_input" not in html and "printed REMOVED_INPUT" in html
    assert "removed_cell" not in html.lower() and "FutureWarning" not in html
    assert "removed_output" in html and "printed REMOVED_OUTPUT" not in html
    assert "max-width" in html  # report.css is inlined
    assert "In&nbsp;[" not in html


def test_html_remote_strip():
    page = (
        '<script src="https://cdn.x/require.js"></script><p>a</p>'
        '<link rel="stylesheet" href="https://fonts.x/a.css"><script>var a=1;</script>'
    )
    out, n = html_remote_strip(page)
    assert n == 2 and out == "<p>a</p><script>var a=1;</script>"


def test_notebook_title_default():
    assert notebook_title(new_notebook(cells=[new_markdown_cell("## sub")]), "x") == "x"


def test_design_note_carries_a_short_warning_into_later_notes_and_the_summary(tmp_path):
    from ordbruk.stats.design import Composition

    rec = Recorder(tmp_path, "02_x")
    rec.table(pd.DataFrame({"a": [1]}), "before", "Before", "Notes.")
    rec.design_note(Composition("actor_level", "doc_type", 0.55, flagged=True, warning="long"))
    rec.table(pd.DataFrame({"a": [1]}), "after", "After", "Notes.")
    rec.summary_set("3 families")
    after = (tmp_path / "tables" / "after.notes.md").read_text(encoding="utf-8")
    assert "**Design warning.** The actor_level groups differ in their mix of doc_type " in after
    assert "(Cramér's V = 0.55)" in after
    assert "Design warning" not in (tmp_path / "tables" / "before.notes.md").read_text()
    record = json.loads((tmp_path / "records" / "02_x.json").read_text(encoding="utf-8"))
    assert record["summary"].startswith("3 families. Design warning: the actor_level groups")
    assert record["design"]["flagged"] is True


def test_table_plain_text_shows_the_html_preview_rows(tmp_path, monkeypatch):
    # the text/plain fallback showed df.head(shown): only the first group's rows
    plains = []
    monkeypatch.setattr(report, "_display", lambda html_text, plain: plains.append(plain))
    df = pd.DataFrame({"group": ["local"] * 6 + ["national"] * 2, "n": range(8)})
    Recorder(tmp_path).table(df, "g", "By group", "n", show=4)
    lines = plains[0].splitlines()
    rows = [ln.split() for ln in lines[2:] if ln.strip() and ln.split()[0] in ("local", "national")]
    assert rows == [["local", "0"], ["local", "1"], ["national", "6"], ["national", "7"]]
