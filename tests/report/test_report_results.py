"""Numbered results, key results, notes shown once per section, source listings (issue 13)."""

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from ordbruk.report import recorder as report
from ordbruk.report import results as results_mod
from ordbruk.report.front import key_results_html, report_front
from ordbruk.report.recorder import Recorder
from ordbruk.report.results import label_of, notes_dedupe, notes_html


@pytest.fixture
def shown(monkeypatch):
    seen = []
    monkeypatch.setattr(report, "_display", lambda html_text, plain: seen.append(html_text))
    monkeypatch.setattr(results_mod, "display", lambda data, raw: seen.append(data["text/html"]))
    return seen


def _fig():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [1, 2])
    return fig


def test_tables_and_figures_numbered_apart_in_order(tmp_path, shown):
    rec = Recorder(tmp_path, "01_x")
    df = pd.DataFrame({"n": [1]})
    rec.table(df, "a", "First table", "Note a.")
    rec.figure(_fig(), "a", "First figure", "Note f.")
    rec.table(df, "b", "Second table", "Note b.")
    assert '<span class="result-number">Table 1.</span> First table' in shown[0]
    assert 'id="figure-1"' in shown[1] and "Figure 1.</span> First figure" in shown[1]
    assert "Table 2.</span> Second table" in shown[2]
    # the same number in the notes files and the record file
    assert (tmp_path / "tables" / "b.notes.md").read_text().startswith("# Table 2. Second table")
    assert (tmp_path / "figures" / "a.notes.md").read_text().startswith("# Figure 1. First figure")
    record = json.loads((tmp_path / "records" / "01_x.json").read_text())
    assert [(r["label"], r["path"]) for r in record["results"]] == [
        ("Table 1", "tables/a.csv"),
        ("Figure 1", "figures/a.svg"),
        ("Table 2", "tables/b.csv"),
    ]
    assert label_of(record, "a") == "Table 1"  # a name held by both: the table
    assert label_of(record, "figure:a") == "Figure 1"
    assert label_of(record, "missing") == ""


def test_pages_of_one_figure_share_its_number(tmp_path, shown):
    # review of issue 13: keywords_top drawn as 2 pages got "Figure 2" and "Figure 3"
    rec = Recorder(tmp_path, "03_x")
    rec.figure(_fig(), "design", "Design", "Note d.")
    rec.figures([_fig(), _fig()], "kw", "Top keywords", "Note k.")
    rec.figures([_fig()], "one", "One page", "Note o.")
    assert "Figure 2a.</span> Top keywords (part 1 of 2)" in shown[1]
    assert (
        'id="figure-2b"' in shown[2] and "Figure 2b.</span> Top keywords (part 2 of 2)" in shown[2]
    )
    assert "Figure 3.</span> One page" in shown[3]
    notes = (tmp_path / "figures" / "kw_2.notes.md").read_text()
    assert notes.startswith("# Figure 2b. Top keywords (part 2 of 2)")
    record = json.loads((tmp_path / "records" / "03_x.json").read_text())
    assert [(r["label"], r["name"]) for r in record["results"]] == [
        ("Figure 1", "design"), ("Figure 2a", "kw"), ("Figure 2b", "kw_2"), ("Figure 3", "one"),
    ]  # fmt: skip
    assert label_of(record, "figure:kw") == "Figure 2a"
    rec.table(pd.DataFrame({"n": [1]}), "t", "A table", "Note t.")  # tables apart
    assert "Table 1.</span> A table" in shown[4]


def test_key_results_in_record_with_labels_and_design_warning(tmp_path, shown):
    rec = Recorder(tmp_path, "02_x")
    rec._record["design"] = {
        "flagged": True,
        "warning": "Groups differ in *genre*.",
        "group_by": "actor_level",
        "strata": "genre",
        "cramers_v": 0.5,
    }
    rec.summary_set("one line", [("Early sentence.", "later", False)])
    rec.table(pd.DataFrame({"n": [1]}), "later", "Shown after the key result", "n.")
    record = json.loads((tmp_path / "records" / "02_x.json").read_text())
    assert [k["text"] for k in record["key_results"]] == [
        "Early sentence.",
        "Groups differ in *genre*.",  # Markdown as design.composition_check built it
    ]
    assert record["key_results"][1]["warning"] is True
    box = key_results_html(record, page="02_x.html")
    # the label is resolved when rendered, so a key result may precede its table
    assert 'Early sentence (<a href="02_x.html#table-1">Table 1</a>).' in box
    assert '<li class="warning">Groups differ in <em>genre</em>.</li>' in box


def test_key_results_markup_escaped():
    record = {"key_results": [{"text": "a <script>x</script> **bold**", "ref": ""}]}
    box = key_results_html(record)
    assert "<script>" not in box and "&lt;script&gt;" in box
    assert "<strong>bold</strong>" in box
    assert key_results_html({}) == ""


def _result_output(label, notes):
    block = f'<div class="ordbruk-result" data-label="{label}">{notes_html(notes)}</div>'
    return new_output("display_data", data={"text/html": block})


def test_notes_shown_once_per_section():
    same = "**Descriptive only.** Too small."
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Title"),
            new_code_cell(outputs=[_result_output("Table 1", f"{same}\n\nFirst own note.")]),
            new_code_cell(outputs=[_result_output("Figure 1", f"{same}\n\nFirst own note.")]),
            new_code_cell(outputs=[_result_output("Table 2", f"{same}\n\nSecond own note.")]),
            new_markdown_cell("## Next section"),
            new_code_cell(outputs=[_result_output("Table 3", same)]),
        ]
    )
    notes_dedupe(nb)
    html = [c.outputs[0].data["text/html"] for c in nb.cells if c.cell_type == "code"]
    assert html[0].count("Too small") == 1 and "First own note" in html[0]
    assert "Too small" not in html[1] and "First own note" not in html[1]
    assert "Method notes: as under Table 1" in html[1]
    assert "Too small" not in html[2] and "Second own note" in html[2]
    assert "Further notes: as under Table 1" in html[2]
    assert "Too small" in html[3]  # a new section shows it again


def test_report_front_title_box_and_cite():
    nb = new_notebook(
        cells=[new_markdown_cell("# Generic title\n\nAbstract."), new_code_cell("x = 1")]
    )
    record = {"title": "Term frequency: who says *x*", "key_results": [{"text": "K."}]}
    report_front(nb, record, cite='<section class="cite">C</section>')
    assert nb.cells[0].source.startswith(r"# Term frequency: who says \*x\*")
    assert "Abstract." in nb.cells[0].source
    assert "Key results" in nb.cells[1].outputs[0].data["text/html"]
    assert nb.cells[-1].outputs[0].data["text/html"] == '<section class="cite">C</section>'


def test_source_show_is_a_labelled_folded_listing(shown):
    Recorder.source_show(None, label_of)
    assert shown[0].startswith('<details class="source-listing"><summary>Source of ')
    assert "ordbruk.report.results.label_of" in shown[0]
    assert "def label_of(record: dict, ref: str)" in shown[0]


def test_corpus_note_value_never_shown_as_a_repr(tmp_path):
    # issue 13: report 04 opened with {'n_documents': 5674, ..., 'cache_hit': True}, the
    # value of a cell ending in rec.corpus_note(corpus)
    from types import SimpleNamespace

    corpus = SimpleNamespace(meta=pd.DataFrame({"n_tokens": [3, 4]}), manifest={"key": "k"})
    note = Recorder(tmp_path).corpus_note(corpus)
    assert note["n_documents"] == 2 and note["n_tokens"] == 7  # still the dict to use
    assert hasattr(note, "_ipython_display_")  # IPython calls it instead of showing the repr
    assert note._ipython_display_() is None


def test_rhetoric_title_names_the_grouping():
    from ordbruk.rhetoric import notes

    assert notes.rhetoric_title("doc_type").startswith("Rhetoric comparison by doc_type: ")
