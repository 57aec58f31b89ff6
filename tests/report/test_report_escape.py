"""Issue 12 items 6 and 9: values from the corpus, the metadata or the parameters are written
literally into every output (Markdown notes and prose, HTML, SVG, CSV), control characters
never reach a file raw, spreadsheet formulas are neutralised, and group names that fold to
the same slug keep their own files."""

import re
import xml.etree.ElementTree as ET

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from ordbruk.escape import Md, csv_cell, csv_cell_restore, md_escape, md_format, text_clean
from ordbruk.overview import notes as overview_notes
from ordbruk.report import recorder as report
from ordbruk.report.recorder import Recorder
from ordbruk.rhetoric import notes as rhetoric_notes
from ordbruk.stats.design import design_show
from ordbruk.stats.groups import Comparison, adequacy_caveat, groups_adequacy, name_slug
from ordbruk.terms import notes as terms_notes

LINK = "[x](javascript:alert(1))"
IMG = "<img src=x onerror=alert(1)>"
BOLD = "**bold**"
PAYLOADS = [LINK, IMG, BOLD, "a_b $x$ `c` ~~s~~ | t", "R&D"]
UNESCAPED_HTML = re.compile(r"(?<!\\)<[A-Za-z/!?]")  # a tag not backslash-escaped


@pytest.fixture
def shown(monkeypatch):
    seen = []
    monkeypatch.setattr(report, "_display", lambda html_text, plain: seen.append(html_text))
    return seen


def permissive(markdown: str) -> str:
    # The worst renderer a notes file may meet: nbconvert's, raw HTML and any link allowed.
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(markdown)


def no_markup(html_text: str) -> None:
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html_text, re.I)
    assert "<a href=" not in html_text.replace('<a class="anchor-link" href=', "")
    assert "<img" not in html_text and "<strong>bold" not in html_text


@pytest.mark.parametrize("value", PAYLOADS)
def test_md_escape_shows_the_value_literally(value, tmp_path, shown):
    Recorder(tmp_path).prose(f"Value {md_escape(value)} end.")
    no_markup(shown[0])
    import html

    assert f"Value {html.escape(value, quote=False)} end." in shown[0]


def test_md_escape_is_not_applied_twice_and_md_format_keeps_built_markdown():
    once = md_escape("_a_ b")
    assert md_escape(once) == once == "\\_a\\_ b"
    assert md_escape("actor_level") == "actor_level"  # "_" inside a word is no emphasis
    text = md_format("By `{g}`, {g}.{c}", g="actor_level", c=Md(" **Descriptive only.**"))
    assert text == "By `actor_level`, actor_level. **Descriptive only.**"
    assert md_format("By `{g}`", g=IMG) == "By \\<img src=x onerror=alert(1)>"


def test_prose_renders_no_live_link_even_unescaped(tmp_path, shown):
    # Defense in depth: prose is rendered by the Recorder with HTML escaped and harmful
    # link protocols refused, never handed to nbconvert's Markdown (raw HTML allowed).
    Recorder(tmp_path).prose(f"{LINK} {IMG}")
    assert '<a href="javascript:' not in shown[0] and "<img" not in shown[0]


def test_family_name_in_totals_prose_is_literal(tmp_path, shown):
    totals = pd.DataFrame({"family": [LINK, BOLD], "count": [3, 1], "freq_per_10k": [1.0, 2.0]})
    Recorder(tmp_path).prose(terms_notes.totals_prose(5, 100, totals))
    no_markup(shown[0])
    assert "[x](javascript:alert(1))" in shown[0] and "**bold**" in shown[0]


def test_actor_level_values_in_corpus_prose_are_literal(tmp_path, shown):
    docs = pd.DataFrame({"actor": ["a", "b"], "n_tokens": [10, 20], "year": [2019, 2020]})
    levels = pd.DataFrame({"actor_level": [IMG, BOLD], "n_docs": [1, 1]})
    Recorder(tmp_path).prose(overview_notes.corpus_prose(docs, levels))
    no_markup(shown[0])
    assert "&lt;img src=x onerror=alert(1)&gt; 1 documents" in shown[0]


def test_group_by_name_in_notes_is_literal_in_files_and_html(tmp_path, shown):
    rec = Recorder(tmp_path)
    values = {"group_by": IMG, "min_docs_per_point": 5, "ci_pct": 95, "n_boot": 10, "seed": 1}
    rec.table(pd.DataFrame({"a": [1]}), "t", **terms_notes.terms_result("term_trends", **values))
    comp = rhetoric_notes.rhetoric_result("comparisons", group_by=LINK, small=Md(""))
    rec.table(pd.DataFrame({"a": [1]}), "c", **comp)
    for name in ("t", "c"):
        text = (tmp_path / "tables" / f"{name}.notes.md").read_text(encoding="utf-8")
        assert not UNESCAPED_HTML.search(text), text
        no_markup(permissive(text))
    no_markup(shown[0] + shown[1])
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown[0]


def test_design_table_of_a_column_named_with_html(tmp_path, shown):
    meta = pd.DataFrame(
        {IMG: ["a", "b"] * 5, "doc_type": ["x"] * 10, "year": [2019] * 10, "n_tokens": [9] * 10}
    )
    design_show(Recorder(tmp_path), meta, IMG, "doc_type", standing=True)
    (notes,) = (tmp_path / "tables").glob("design_*.notes.md")
    text = notes.read_text(encoding="utf-8")
    assert not UNESCAPED_HTML.search(text), text
    no_markup(shown[0])
    no_markup(permissive(text))


def test_adequacy_caveat_escapes_group_names():
    record = groups_adequacy(np.array([BOLD, "b"], dtype=object), ["x", "y"], [5, 5], 10, 5, 20_000)
    caveat = adequacy_caveat(record)
    assert isinstance(caveat, Md) and "\\*\\*bold\\*\\*" in caveat
    assert caveat.startswith("\n\n**Descriptive only: ")


def test_csv_cells_a_spreadsheet_evaluates_are_neutralised(tmp_path, shown):
    df = pd.DataFrame(
        {
            "text": ["=1+1", "- Även om", "+46", "@SUM(A1)", "\tx", "vanlig", "'=x"],
            "diff": [-1.5, -2.0, 3.0, -0.25, 0.0, 1.0, 2.0],
            "n": [-1, 2, 3, 4, 5, 6, 7],
        }
    )
    Recorder(tmp_path).table(df, "f", "Formulas", "Notes.")
    back = pd.read_csv(tmp_path / "tables" / "f.csv", keep_default_na=False)
    assert back["text"].tolist() == [
        "'=1+1", "'- Även om", "'+46", "'@SUM(A1)", "'\tx", "vanlig", "''=x"
    ]  # fmt: skip
    assert back["diff"].tolist() == [-1.5, -2.0, 3.0, -0.25, 0.0, 1.0, 2.0]
    assert back["n"].tolist() == [-1, 2, 3, 4, 5, 6, 7]
    assert [csv_cell_restore(s) for s in back["text"]] == df["text"].tolist()
    notes = (tmp_path / "tables" / "f.notes.md").read_text(encoding="utf-8")
    assert "6 text cell(s)" in notes and "apostrophe" in notes
    # the report shows the values as they are
    assert "<td>=1+1</td>" in shown[0]


def test_csv_notes_say_nothing_when_no_cell_changed(tmp_path, shown):
    Recorder(tmp_path).table(pd.DataFrame({"a": ["x"], "b": [-1]}), "g", "G", "Notes.")
    assert "apostrophe" not in (tmp_path / "tables" / "g.notes.md").read_text(encoding="utf-8")


def test_csv_cell_roundtrip():
    for s in ["=a", "-", "'", "''", "'-x", "''-x", "a-b", "", "@", "'a"]:
        assert csv_cell_restore(csv_cell(s)) == s, s


ESC_LABEL = "Malm\x1b[31mö\x00 \x9b"


def test_control_characters_never_reach_the_files(tmp_path, shown):
    rec = Recorder(tmp_path)
    df = pd.DataFrame({f"col{chr(7)}": [ESC_LABEL], "n": [1]})
    rec.table(df, "ctl", f"Title {ESC_LABEL}", f"Notes {md_escape(ESC_LABEL)}")
    fig, ax = plt.subplots()
    ax.bar([ESC_LABEL, "b"], [1, 2], label=ESC_LABEL)
    ax.set_title(ESC_LABEL)
    ax.legend()
    rec.figure(fig, "ctl", f"Figure {ESC_LABEL}", "Notes.")
    rec.summary_set(f"summary {ESC_LABEL}")
    bad = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.suffix in (".csv", ".md", ".svg", ".json"):
            assert not bad.search(path.read_text(encoding="utf-8")), path
    for block in shown:
        assert not bad.search(block)
    ET.parse(tmp_path / "figures" / "ctl.svg")  # valid XML
    assert "Malm\ufffd[31mö\ufffd \ufffd" in (tmp_path / "tables" / "ctl.csv").read_text()


def test_text_clean():
    assert text_clean("a\r\nb\rc\td\x1be\x00\x85") == "a\nb\nc\td\ufffde\ufffd\ufffd"


def test_dollar_signs_in_figure_labels_are_text(tmp_path, shown):
    report.figure_style()  # text kept as text in SVG
    fig, ax = plt.subplots()
    ax.bar(["kostnad $5", "b $x^2$"], [1, 2])
    ax.set_title("budget $ 100")
    Recorder(tmp_path).figure(fig, "dollar", "Dollars", "Notes.")
    svg = (tmp_path / "figures" / "dollar.svg").read_text(encoding="utf-8")
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert {"kostnad $5", "b $x^2$", "budget $ 100"} <= set(texts), texts


def test_slugs_of_different_groups_never_collide():
    mask = np.array([True])
    slugs = {
        Comparison(a, "rest", mask, mask).slug
        for a in ["Malmö", "Malmo", "a b", "a_b", "a-b", "a/b", "A B"]
    }
    assert len(slugs) == 7
    assert name_slug("local") == "local" and name_slug("a-b") == "a-b"
    assert name_slug("actor_level") == "actor_level" != name_slug("actor level")
    assert name_slug("Malmö").startswith("Malmo-") and name_slug("Malmo") == "Malmo"
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name_slug(IMG))


def test_control_characters_never_reach_the_terminal():
    # The CLI prints problems (check, warnings) and errors as one line each.
    from ordbruk.corpus.problems import Problem, problems_format
    from ordbruk.errors import CorpusError, ParameterError

    p = Problem("warning", "metadata.csv", 3, "title\x1b[2J", "value 'a\x1b]0;x\x07b'")
    bad = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
    assert not bad.search(problems_format([p])[0])
    assert str(p) == "metadata.csv:3: title\ufffd[2J: value 'a\ufffd]0;x\ufffdb'"
    for err in (ParameterError("group_by: column 'a\x1bb' missing"), CorpusError("x\x00y")):
        assert not bad.search(str(err))


def test_index_page_holds_no_control_character_or_markup(tmp_path):
    import nbformat
    from nbformat.v4 import new_markdown_cell, new_notebook

    from ordbruk.report.html import index_write

    nbformat.write(new_notebook(cells=[new_markdown_cell("# Title")]), tmp_path / "01_x.ipynb")
    record = {
        "run_id": "r1",
        "inputs": {"corpus": f"data/{IMG}\x1b[2J"},
        "ended": "2026-01-01",
        "git": {},
        "params_file": {"path": "p.yaml"},
        "notebooks": {"01_x": {"seconds": 1.0}},
    }
    records = {"01_x": {"summary": f"{IMG} \x1b]0;x\x07", "corpus": {"n_documents": 1}}}
    page = index_write(tmp_path, record, records).read_text(encoding="utf-8")
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", page)


def note_builders():
    from ordbruk.stats.design import Composition
    from ordbruk.topics import notes as topics_notes

    sizes = pd.DataFrame(
        {"group_a": [IMG], "group_b": [BOLD], "stratum": [LINK], "descriptive_only": [False]}
    )
    adj = pd.DataFrame({"reference": [IMG], "adjusted_for": [f"group + {LINK}"]})
    design = Composition(IMG, LINK, 0.5, flagged=True)
    ctx = {"adequate": True}
    values = {"p_max": 0.05, "log_ratio_min": 1.0, "small": Md("")}
    fw = dict(group_a=IMG, group_b=BOLD, fw_prior=LINK, fw_prior_size=1.0, min_freq=1, fw_label_n=3)
    return {
        "fightin_words_figure": rhetoric_notes.rhetoric_result("fightin_words_figure", **fw)[
            "notes"
        ],
        "within_strata": rhetoric_notes.within_result(sizes, None, IMG, values)["notes"],
        "quotes": rhetoric_notes.quotes_result("quotes", [IMG, LINK])["notes"],
        "rhetoric_provenance": rhetoric_notes.provenance_prose(
            "abc", seed=1, group_by=IMG, token_level=BOLD, fw_prior=LINK, fw_prior_size=1.0
        ),
        "topics_adjusted": topics_notes.adjusted_notes(adj, design, False, ctx),
        "topics_standardised": topics_notes.standardised_result(IMG, ctx)["notes"],
        "terms_provenance": terms_notes.provenance_prose(
            f"data/{IMG}", "k", LINK, seed=1, unit=BOLD, window=5, min_collocate_count=3
        ),
        "rates_by_stratum": terms_notes.terms_result(
            "rates_by_stratum", group_by=IMG, strata_name=LINK, ci_pct=95, n_boot=1, seed=1
        )["notes"],
    }


@pytest.mark.parametrize("kind", list(note_builders()))
def test_every_note_builder_escapes_names_from_metadata_and_parameters(kind):
    text = note_builders()[kind]
    assert not UNESCAPED_HTML.search(text), text
    no_markup(permissive(text))
    assert "<strong>bold" not in permissive(text)
