"""The front and back of a rendered report: its title, the "Key results" box, the citation.

A notebook computes its key results late (after its tables), but a reader needs them first,
so placement belongs to rendering: ``report_front`` puts the box right after the title and
abstract, replaces the notebook's generic title by the one the notebook built from its
parameters (``Recorder.title_set``), shows each method note once per section
(``results.notes_dedupe``) and ends the report with how to cite the run.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import nbformat

from ordbruk.escape import md_escape
from ordbruk.report.results import label_anchor, label_of, markdown_html, notes_dedupe


def record_read(executed: str | Path) -> dict:
    """Return the record file of an executed notebook (``records/<name>.json``), or {}."""
    path = Path(executed).parent / "records" / f"{Path(executed).stem}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def key_results_html(record: dict, heading: str = "h2", page: str = "") -> str:
    """Return the "Key results" box of a record ("" when it has none).

    Args:
        record: a notebook's record (``key_results``: ``text`` in Markdown, ``ref``,
            ``warning``); a result referred to is named by its label, "(Table 3)", linked.
        heading: the heading element of the box.
        page: the report the labels link into ("": this page).
    """
    items = record.get("key_results") or []
    if not items:
        return ""
    lis = []
    for item in items:
        inner = markdown_html(item["text"]).strip()
        inner = inner.removeprefix("<p>").removesuffix("</p>")
        label = label_of(record, item.get("ref", ""))
        if label:
            link = f'<a href="{html.escape(page)}#{label_anchor(label)}">{label}</a>'
            inner = f"{inner.removesuffix('.')} ({link})."
        css = ' class="warning"' if item.get("warning") else ""
        lis.append(f"<li{css}>{inner}</li>")
    return (
        f'<section class="key-results"><{heading}>Key results</{heading}>\n'
        f"<ul>\n{chr(10).join(lis)}\n</ul></section>"
    )


def _html_cell(text: str):
    cell = nbformat.v4.new_code_cell(source="")
    cell.metadata["transient"] = {"remove_source": True}
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": text})]
    return cell


def report_front(nb, record: dict, cite: str = "") -> None:
    """Title, key results, notes once per section and the citation (see module docstring).

    Args:
        nb: the executed notebook after ``html.cell_tags_apply``, changed in place.
        record: its record (``record_read``).
        cite: the HTML of the citation block ("": none).
    """
    notes_dedupe(nb)
    first = next((i for i, c in enumerate(nb.cells) if c.cell_type == "markdown"), None)
    title = record.get("title")
    if title and first is not None:
        lines = nb.cells[first].source.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("# "):
                lines[i] = f"# {md_escape(title)}"
                break
        nb.cells[first].source = "\n".join(lines)
    box = key_results_html(record)
    if box:
        nb.cells.insert(0 if first is None else first + 1, _html_cell(box))
    if cite:
        nb.cells.append(_html_cell(cite))
