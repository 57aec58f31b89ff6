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

import pytest
import yaml
from browser import CHROMIUM, Browser

from ordbruk.paths import PARAMS_DIR, SEEDS_DIR
from ordbruk.report import tables

pytestmark = pytest.mark.slow
#: A4 is 210 mm wide, 794 px at 96 px per inch; report.css prints with 12 mm side margins.
A4_WIDTH_PX = 794
PRINT_CONTENT_PX = round((210 - 2 * 12) / 25.4 * 96)

# A numeric column of a table, visible cells not already in descending order: (table, column).
SORT_PICK = """(() => {
  const wraps = [...document.querySelectorAll('.ordbruk-table-wrap')];
  for (let t = 0; t < wraps.length; t++) {
    const table = wraps[t].querySelector('table');
    const heads = [...table.tHead.rows[0].cells];
    const rows = [...table.tBodies[0].rows].filter(r => !r.hidden);
    if (rows.length < 3) continue;
    for (let c = 0; c < heads.length; c++) {
      if (!heads[c].classList.contains('num')) continue;
      const v = rows.map(r => Number(r.cells[c].textContent.replace(/[,%]/g, '')));
      if (v.some(isNaN)) continue;
      if (v.some((x, i) => i > 0 && v[i - 1] < x)) return [t, c];
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
      const n = rows.filter(r => r.textContent.toLowerCase().includes(v)).length;
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
WIDEST = """(() => {
  const w = document.documentElement.clientWidth;
  const over = [];
  document.querySelectorAll('table, img').forEach((e, i) => {
    const r = e.getBoundingClientRect();
    const width = e.tagName === 'TABLE' ? Math.max(e.scrollWidth, r.width) : r.width;
    if (r.width > 0 && (width > w + 1 || r.right > w + 1))
      over.push(`${e.tagName.toLowerCase()} ${i}: ${Math.round(width)} px`);
  });
  return {width: w, over: over};
})()"""


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
            b.js(
                f"[...document.querySelectorAll('.ordbruk-table-wrap')][{t}]"
                f".querySelector('thead').rows[0].cells[{c}].id = 'ordbruk-test-th'"
            )
            sel = "#ordbruk-test-th"
            click(b, sel)  # a numeric column sorts largest first
            after = visible_column(b, t, c)
            values = [float(v.replace(",", "").replace("%", "")) for v in after]
            assert sorted(before) == sorted(after), page.name  # the same cells, reordered
            assert after != before and values == sorted(values, reverse=True), page.name
            assert b.js(f"document.querySelector({sel!r}).getAttribute('aria-sort')") == (
                "descending"
            )

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
        wide = b.js(WIDEST)
        assert wide["width"] <= PRINT_CONTENT_PX, wide
        assert not wide["over"], f"{page.name} printed wider than A4: {wide['over'][:5]}"
        pdf = b.call("Page.printToPDF", paperWidth=8.27, paperHeight=11.69, printBackground=True)
        assert base64.b64decode(pdf["data"])[:5] == b"%PDF-", page.name
        assert PRINT_CONTENT_PX < A4_WIDTH_PX
