"""Every report of a seed run in a real browser (issue 13 item 8): headless Chromium over
the DevTools protocol (tests/report/browser.py).

Each page (every report and the index) must load without a network request other than
``file:`` and ``data:`` URLs and without a script error; on every report a table sorts when
its header is clicked and filters when text is typed into its filter box, and "Show all"
shows the rows beyond a preview; printed (print
media, the width of an A4 page's content) no table and no figure is wider than the page, and
``Page.printToPDF`` on A4 gives a PDF. Skipped when Chromium is not installed (``.ci/run``
installs Debian's chromium where it may).
"""

from __future__ import annotations

import base64
import re

import pandas as pd
import pytest
import yaml
from browser import CHROMIUM, Browser

from ordbruk.paths import PARAMS_DIR, SEEDS_DIR
from ordbruk.report import tables
from ordbruk.resources import resource_text

pytestmark = pytest.mark.slow
#: A4 is 210 mm wide, 794 px at 96 px per inch; report.css prints with 12 mm side margins.
A4_WIDTH_PX = 794
PRINT_CONTENT_PX = round((210 - 2 * 12) / 25.4 * 96)
#: A table of more than 12 columns, or a concordance, prints on a landscape page: Letter's
#: (the narrower).
LANDSCAPE_CONTENT_PX = round((279.4 - 2 * 12) / 25.4 * 96)
#: 7 pt, the smallest text of a printed figure or table, in CSS px.
MIN_PRINT_PX = 9.33  # 7 * 96 / 72, as Chromium rounds it

# A numeric column (not a p-value: those sort smallest first) of a table whose visible cells
# are not the largest of its embedded rows in descending order: (table, column).
SORT_PICK = """(() => {
  const wraps = [...document.querySelectorAll('.ordbruk-table-wrap')];
  for (let t = 0; t < wraps.length; t++) {
    const table = wraps[t].querySelector('table');
    const heads = [...table.tHead.rows[0].cells];
    const rows = [...table.tBodies[0].rows];
    const shown = rows.filter(r => !r.hidden);
    if (shown.length < 3) continue;
    for (let c = 0; c < heads.length; c++) {
      const name = heads[c].textContent.trim();
      if (!heads[c].classList.contains('num') || /^(p|p_.*|.*_p)$/.test(name)) continue;
      const v = rows.map(r => Number(r.cells[c].textContent.replace(/[,%]/g, '')));
      if (v.some(isNaN)) continue;
      const top = [...v].sort((a, b) => b - a).slice(0, shown.length);
      const now = shown.map(r => Number(r.cells[c].textContent.replace(/[,%]/g, '')));
      if (now.some((x, i) => x !== top[i])) return [t, c];
    }
  }
  return null;
})()"""
# A value of a table's first visible row that fewer of its rows hold than are shown:
# (table, value, rows holding it).
FILTER_PICK = """(() => {
  const wraps = [...document.querySelectorAll('.ordbruk-table-wrap')];
  for (let t = 0; t < wraps.length; t++) {
    const rows = [...wraps[t].querySelector('tbody').rows];
    const shown = rows.filter(r => !r.hidden);
    if (shown.length < 2) continue;
    for (const cell of shown[0].cells) {
      const v = cell.textContent.trim().toLowerCase();
      if (v.length < 3) continue;
      const n = rows.filter(r => [...r.cells].map(c => c.textContent).join('\\u001f')
        .toLowerCase().includes(v)).length;
      if (n < shown.length) return [t, v, n];
    }
  }
  return null;
})()"""
# A table with rows beyond its preview, its "Show all" button marked: (table, rows held).
SHOW_ALL_PICK = """(() => {
  const wraps = [...document.querySelectorAll('.ordbruk-table-wrap')];
  const t = wraps.findIndex(w => w.querySelector('tbody tr[hidden]'));
  if (t < 0) return null;
  wraps[t].previousElementSibling.querySelector('button').id = 'ordbruk-test-all';
  return [t, wraps[t].querySelector('tbody').rows.length];
})()"""
# The collocates table of report 02: its score columns numeric, sorted by log_likelihood.
COLLOCATES = """(() => {
  const wrap = [...document.querySelectorAll('.ordbruk-table-wrap')].find(w =>
    [...w.querySelectorAll('th')].some(h => h.textContent === 'log_dice'));
  if (!wrap) return null;
  const heads = [...wrap.querySelectorAll('th')];
  const names = ['observed', 'expected', 'mi', 'log_dice', 't_score', 'log_likelihood'];
  const num = names.map(n => heads.find(h => h.textContent === n).classList.contains('num'));
  const c = heads.findIndex(h => h.textContent === 'log_likelihood');
  heads[c].click();
  const values = [...wrap.querySelector('tbody').rows].filter(r => !r.hidden)
    .map(r => Number(r.cells[c].textContent.replace(/,/g, '')));
  return {num: num, values: values};
})()"""
WIDEST = """((many) => {
  const w = document.documentElement.clientWidth;
  const over = [];
  document.querySelectorAll('table, img').forEach((e, i) => {
    if (!!e.closest('.ordbruk-table-wrap.landscape') !== many) return;  // a landscape page
    const size = parseFloat(getComputedStyle(e).fontSize);
    if (e.tagName === 'TABLE' && size < MIN_PX) over.push(`table ${i}: ${size} px text`);
    const r = e.getBoundingClientRect();
    const width = e.tagName === 'TABLE' ? Math.max(e.scrollWidth, r.width) : r.width;
    if (r.width > 0 && (width > w + 1 || r.right > w + 1))
      over.push(`${e.tagName.toLowerCase()} ${i}: ${Math.round(width)} px`);
  });
  return {width: w, over: over};
})""".replace("MIN_PX", str(MIN_PRINT_PX))


def visible_column(b: Browser, table: int, col: int) -> list[str]:
    return b.js(
        f"[...[...document.querySelectorAll('.ordbruk-table-wrap')][{table}]"
        f".querySelector('tbody').rows].filter(r => !r.hidden)"
        f".map(r => r.cells[{col}].textContent)"
    )


def click(b: Browser, selector: str) -> None:
    """Click the element's centre with the mouse, as a reader would."""
    b.js(f"document.querySelector({selector!r}).scrollIntoView({{block: 'center'}})")
    r = b.js(
        f"(() => {{ const r = document.querySelector({selector!r}).getBoundingClientRect();"
        f" return [r.left + r.width / 2, r.top + r.height / 2]; }})()"
    )
    for kind in ("mousePressed", "mouseReleased"):
        b.call("Input.dispatchMouseEvent", type=kind, x=r[0], y=r[1], button="left", clickCount=1)


def problems(events: list[dict]) -> tuple[list[str], list[str]]:
    """The requests that left the file and the script errors among DevTools events."""
    remote, errors = [], []
    for e in events:
        method, p = e.get("method"), e.get("params", {})
        if method == "Network.requestWillBeSent":
            url = p["request"]["url"]
            if not url.startswith(("file:", "data:")):
                remote.append(url)
        elif method == "Runtime.exceptionThrown":
            errors.append(p["exceptionDetails"].get("text", "exception"))
        elif method == "Runtime.consoleAPICalled" and p.get("type") == "error":
            errors.append(" ".join(str(a.get("value", "")) for a in p.get("args", [])))
        elif method == "Log.entryAdded" and p["entry"].get("level") == "error":
            errors.append(p["entry"].get("text", ""))
    return remote, errors


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    """Run every notebook on the seed corpus once for this module; return the run folder."""
    from ordbruk.run import cli  # imported here: only the tests that use the run need it

    base = tmp_path_factory.mktemp("seed_run")
    params = yaml.safe_load((PARAMS_DIR / "default.yaml").read_text(encoding="utf-8"))
    params["corpus"] = str(SEEDS_DIR)
    params["cache_dir"] = str(base / "cache")
    params_file = base / "params.yaml"
    params_file.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    out = base / "run"
    assert cli.main(["run", "--params", str(params_file), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (.ci/run installs Debian's chromium as root)")
    pytest.importorskip("websocket", reason="websocket-client is not installed")
    with Browser(tmp_path_factory.mktemp("chromium")) as b:
        for domain in ("Page", "Network", "Runtime", "Log"):
            b.call(f"{domain}.enable")
        yield b


def test_reports_under_byte_budget(seed_run):
    reports = sorted(seed_run.glob("[0-9][0-9]_*.html"))
    assert len(reports) >= 4
    for html in reports:
        assert html.stat().st_size <= tables.REPORT_BUDGET, html.name
        text = html.read_text(encoding="utf-8")
        # the table script is inlined once per report, never loaded from anywhere
        assert text.count("ordbruk report tables: sort by clicking a header") == 1, html.name
        assert not re.search(r"<script[^>]+src=", text), html.name


def test_every_report_offline_sortable_filterable_printable(seed_run, browser):
    b = browser
    reports = sorted(seed_run.glob("[0-9][0-9]_*.html"))
    for page in [seed_run / "index.html", *reports]:
        b.call("Emulation.setEmulatedMedia", media="screen")
        b.call(
            "Emulation.setDeviceMetricsOverride",
            width=1200, height=900, deviceScaleFactor=1, mobile=False,
        )  # fmt: skip
        b.events.clear()
        b.open(page.as_uri())
        if page.name != "index.html":
            n_tables = b.js("document.querySelectorAll('.ordbruk-table-wrap').length")
            assert n_tables, page.name
            assert b.js("document.querySelectorAll('input.ordbruk-filter').length") == n_tables

            pick = b.js(SORT_PICK)
            assert pick, f"{page.name}: no numeric column to sort"
            t, c = pick
            before = visible_column(b, t, c)
            every = b.js(
                f"[...[...document.querySelectorAll('.ordbruk-table-wrap')][{t}]"
                f".querySelector('tbody').rows].map(r => r.cells[{c}].textContent)"
            )
            b.js(
                f"[...document.querySelectorAll('.ordbruk-table-wrap')][{t}]"
                f".querySelector('thead').rows[0].cells[{c}].id = 'ordbruk-test-th'"
            )
            sel = "#ordbruk-test-th"
            click(b, sel)  # a numeric column sorts largest first: the top rows of all rows
            after = visible_column(b, t, c)

            def value(v):
                return float(v.replace(",", "").replace("%", ""))

            top = sorted(every, key=value, reverse=True)[: len(before)]
            assert [value(v) for v in after] == [value(v) for v in top], page.name
            assert after != before, page.name
            assert b.js(f"document.querySelector({sel!r}).getAttribute('aria-sort')") == (
                "descending"
            )

            if page.name.startswith("02_"):  # collocate scores were object dtype: text
                coll = b.js(COLLOCATES)
                assert coll and all(coll["num"]), coll
                assert coll["values"] == sorted(coll["values"], reverse=True), coll

            cut = b.js(SHOW_ALL_PICK)
            if cut:  # "Show all" shows every row the report holds
                click(b, "#ordbruk-test-all")
                assert len(visible_column(b, cut[0], 0)) == cut[1], page.name

            pick = b.js(FILTER_PICK)
            assert pick, f"{page.name}: no table to filter"
            t, value, n_match = pick
            shown = len(visible_column(b, t, 0))
            b.js(
                f"[...document.querySelectorAll('.ordbruk-table-wrap')][{t}]"
                f".previousElementSibling.querySelector('input').id = 'ordbruk-test-filter'"
            )
            click(b, "#ordbruk-test-filter")
            b.call("Input.insertText", text=value)
            rows = b.js(
                f"[...[...document.querySelectorAll('.ordbruk-table-wrap')][{t}]"
                f".querySelector('tbody').rows].filter(r => !r.hidden)"
                f".map(r => r.textContent.toLowerCase())"
            )
            assert 1 <= len(rows) == n_match < shown, (page.name, value)
            assert all(value in r for r in rows), page.name

        b.drain()
        remote, errors = problems(b.events)
        assert not remote, f"{page.name} requested {remote[:3]}"
        assert not errors, f"{page.name}: {errors[:3]}"

        # printed: the page's content width on A4, print media
        b.open(page.as_uri())
        b.call(
            "Emulation.setDeviceMetricsOverride",
            width=PRINT_CONTENT_PX, height=1123, deviceScaleFactor=1, mobile=False,
        )  # fmt: skip
        b.call("Emulation.setEmulatedMedia", media="print")
        wide = b.js(f"{WIDEST}(false)")
        assert wide["width"] <= PRINT_CONTENT_PX, wide
        assert not wide["over"], f"{page.name} printed wider than A4: {wide['over'][:5]}"
        b.call(
            "Emulation.setDeviceMetricsOverride",
            width=LANDSCAPE_CONTENT_PX, height=794, deviceScaleFactor=1, mobile=False,
        )  # fmt: skip
        wide = b.js(f"{WIDEST}(true)")
        assert not wide["over"], f"{page.name} wider than a landscape page: {wide['over'][:5]}"
        pdf = b.call("Page.printToPDF", paperWidth=8.27, paperHeight=11.69, printBackground=True)
        assert base64.b64decode(pdf["data"])[:5] == b"%PDF-", page.name
        assert PRINT_CONTENT_PX < A4_WIDTH_PX


def page_of(tmp_path, df, show, groups=None):
    """A page with one report table and the report's own script and stylesheet."""
    body, _, _ = tables.table_html(df, show, groups, "tables/t.csv")
    page = tmp_path / "t.html"
    page.write_text(
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>{resource_text('report.css')}"
        f"</style></head><body><main><div class='ordbruk-result'>{body}</div><script>{resource_text('tables.js')}</script>"
        "</main></body></html>",
        encoding="utf-8",
    )
    return page


def test_sort_shows_the_top_rows_of_every_embedded_row(tmp_path, browser):
    # seen: a sort reordered only the preview; 2,000,000 and 9,999 stayed hidden
    df = pd.DataFrame(
        {
            "group": ["a"] * 6 + ["b"] * 6,
            "n": [1234, 40, 2_000_000, 1, 2, 6, 5, 3, 9_999, 4, 7, 8],
            "p_value": [0.5, 0.2, 1e-9, 0.9, 0.3, 0.4, 0.01, 0.6, 0.7, 0.8, 0.05, 0.1],
        }
    )
    b = browser
    b.call("Emulation.setEmulatedMedia", media="screen")
    b.open(page_of(tmp_path, df, 4, "group").as_uri())
    assert visible_column(b, 0, 1) == ["1,234", "40", "5", "3"]  # each group's first two
    b.js("document.querySelectorAll('th')[1].id = 'ordbruk-test-th'")
    click(b, "#ordbruk-test-th")  # n: largest first, the top 4 of all 12 rows
    assert visible_column(b, 0, 1) == ["2,000,000", "9,999", "1,234", "40"]
    status = b.js("document.querySelector('.ordbruk-table-status').textContent")
    assert status.startswith("4 of 12 rows shown, sorted by n (descending)"), status
    click(b, "#ordbruk-test-th")  # again: smallest first
    assert visible_column(b, 0, 1) == ["1", "2", "3", "4"]
    click(b, ".ordbruk-show-all")  # "Show all" still shows every row, in the sorted order
    assert len(visible_column(b, 0, 1)) == 12 and visible_column(b, 0, 1)[0] == "1"
    click(b, ".ordbruk-show-all")
    b.js("document.querySelectorAll('th')[2].id = 'ordbruk-test-p'")
    click(b, "#ordbruk-test-p")  # a p-value column: smallest p first
    assert b.js("document.querySelector('#ordbruk-test-p').getAttribute('aria-sort')") == (
        "ascending"
    )
    assert visible_column(b, 0, 1) == ["2,000,000", "5", "7", "8"]


def test_filter_matches_within_a_cell_only(tmp_path, browser):
    # seen: the row's textContent joined its cells, so "a1,2" matched group "a" + n "1,234"
    df = pd.DataFrame({"group": ["a", "b"], "n": [1234, 5]})
    b = browser
    b.open(page_of(tmp_path, df, 0).as_uri())
    click(b, ".ordbruk-filter")
    b.call("Input.insertText", text="a1,2")
    assert visible_column(b, 0, 0) == []
    b.js("const i = document.querySelector('.ordbruk-filter'); i.value = '';"
         "i.dispatchEvent(new Event('input'))")  # fmt: skip
    click(b, ".ordbruk-filter")
    b.call("Input.insertText", text="1,23")
    assert visible_column(b, 0, 0) == ["a"]


def test_printed_cells_break_between_words_and_wide_tables_at_7pt(tmp_path, browser):
    # seen in the policy-sv PDF: arbetsm|arknad (overflow-wrap: anywhere in every cell) and
    # tables of more than 12 columns at 5.5 pt
    df = pd.DataFrame(
        {
            "doc_id": ["gov-artiklar-2014-10-projektet-smocs-gor-fororenade-muddermas-c4580f"],
            "left": ["en arbetsmarknad som fungerar för alla och en nationell " * 2],
            "match": ["samverkan"],
            "right": ["mellan regionen och kommunerna på arbetsmarknaden " * 2],
        }
        | {f"n{i}": [i] for i in range(10)}
    )
    b = browser
    b.open(page_of(tmp_path, df, 0).as_uri())
    b.call("Emulation.setEmulatedMedia", media="print")
    style = b.js(
        "(() => { const s = e => getComputedStyle(document.querySelector(e));"
        " return {text: s('td.kwic-left').overflowWrap, ident: s('td.ident').overflowWrap,"
        " th: s('th').overflowWrap, size: parseFloat(s('table').fontSize),"
        " page: s('.ordbruk-result').page}; })()"
    )
    assert style["text"] == "break-word" and style["ident"] == style["th"] == "anywhere", style
    assert style["size"] >= MIN_PRINT_PX, style
    assert style["page"] == "wide", style  # 14 columns: on a landscape page (report.css)
