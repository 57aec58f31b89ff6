"""Numbered results, key results, method notes shown once, and deliberate source listings.

The parts of a report that tie its tables and figures together (issue 13):

- every table and figure a Recorder shows gets a number counted per report in order of
  appearance ("Table 3", "Figure 2"); the pages of one figure share its number ("Figure 2a",
  "Figure 2b"); the number is in the HTML title, the first line of the ``.notes.md`` file
  and the record file (``results``), so the index and the key results can refer to it;
- ``key_result`` collects three to six sentences built from computed values into the record
  file; ``report_write`` shows them in a "Key results" box under the title and
  ``index_write`` on the index page;
- method notes are rendered one paragraph at a time with a hash (``notes_html``), so that
  ``notes_dedupe`` can show a paragraph once per section of a report and refer back to it;
- ``source_show`` shows a library function's source as a labelled, folded listing, as the
  house style asks ("show the library function's source from the notebook").

``ResultsMixin`` holds the Recorder's part; the functions below it are used by
``report.html`` when a report is rendered.
"""

from __future__ import annotations

import hashlib
import html
import inspect
import re

import mistune
from IPython.display import display

from ordbruk.escape import text_clean

KINDS = {"table": "Table", "figure": "Figure"}
#: A method-notes paragraph as ``notes_html`` renders it (no ``div`` inside: mistune escapes HTML).
_NOTE_RE = re.compile(r'<div class="note" data-note="(\w+)">(.*?)</div>', re.DOTALL)
_LABEL_RE = re.compile(r'data-label="([^"]+)"')
_SECTION_RE = re.compile(r"^#{1,2} ", re.MULTILINE)


# escape=True: notes may quote corpus text, which must not become markup (raw HTML is
# escaped, javascript: and other harmful link protocols become "#harmful-link"). Built once:
# every paragraph of every note is rendered with it.
_MARKDOWN = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])


def markdown_html(text: str) -> str:
    """Render Markdown built from values (raw HTML escaped, harmful links refused)."""
    return _MARKDOWN(text_clean(text or ""))


def notes_html(notes: str) -> str:
    """Render method notes one paragraph (block) at a time, each marked with its hash.

    Args:
        notes: Markdown; blocks are separated by blank lines.

    Returns:
        ``<div class="note" data-note="<hash>">...</div>`` per block, so that
        ``notes_dedupe`` can recognise a paragraph already shown in the same section.
    """
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text_clean(notes or "")) if b.strip()]
    out = []
    for block in blocks:
        digest = hashlib.sha1(block.encode("utf-8")).hexdigest()[:12]
        out.append(f'<div class="note" data-note="{digest}">{markdown_html(block)}</div>')
    return "\n".join(out)


def label_of(record: dict, ref: str) -> str:
    """Return the label ("Table 3") of a result of a record ("" when it has none).

    Args:
        record: a notebook's record (``results``).
        ref: the result's name (``topic_selection``: the table when both exist), or
            ``"figure:<name>"`` / ``"table:<name>"``.
    """
    kind, _, name = (ref or "").rpartition(":")
    for r in record.get("results", []):
        if r["name"] == name and (r["kind"] == kind or not kind):
            return r["label"]
    return ""


def part_letter(part: int) -> str:
    """Return the letter of a figure's page: 1 -> "a", 2 -> "b" ("" for 0: not paged)."""
    if part <= 0:
        return ""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[part - 1] if part <= len(letters) else f"-{part}"


def label_anchor(label: str) -> str:
    """Return the HTML id of a numbered result: "Table 3" -> "table-3"."""
    return label.lower().replace(" ", "-")


def result_title_html(label: str, title: str) -> str:
    """Return a result's numbered title: ``<span class="result-number">Table 3.</span> Title``."""
    return (
        f'<span class="result-number">{html.escape(label)}.</span> {html.escape(text_clean(title))}'
    )


class ResultsMixin:
    """The Recorder's numbering, key results and source listings (see the module docstring).

    Expects ``self._record`` (the record dict) and ``self._record_write()``.
    """

    def _label_next(self, kind: str, name: str, title: str, part: int = 0) -> str:
        # Numbered per report in order of appearance, tables and figures apart; the pages
        # of one figure (part 1, 2, ... of Recorder.figures) share its number: 2a, 2b.
        results = self._record.setdefault("results", [])
        n = sum(1 for r in results if r["kind"] == kind and r.get("part", 1) == 1)
        n += 0 if part > 1 else 1
        label = f"{KINDS[kind]} {n}{part_letter(part)}"
        path = f"tables/{name}.csv" if kind == "table" else f"figures/{name}.svg"
        title = " ".join(text_clean(title).split())  # the record is text for the index
        entry = {"kind": kind, "label": label, "name": name, "title": title, "path": path}
        results.append(entry | ({"part": part} if part else {}))
        return label

    def key_result(self, text: str, ref: str = "", warning: bool = False) -> None:
        """Add one key result (shown at the top of the report and on the index page).

        Args:
            text: one sentence of Markdown built from computed values; corpus and parameter
                strings in it escaped with ``escape.md_escape``.
            ref: the result it rests on (see ``label_of``; it may be shown later); the
                report and the index add its label, "(Table 3)".
            warning: a design or stability warning (shown as such on the index page).
        """
        self._key_add(text, ref, warning)
        self._record_write()

    def _key_add(self, text: str, ref: str, warning: bool) -> None:
        text = " ".join(text_clean(text).split())
        entry = {"text": text, "ref": ref, "warning": bool(warning)}
        self._record.setdefault("key_results", []).append(entry)

    def key_results(self, items) -> None:
        """Add key results from ``(text, ref, warning)`` tuples (a notes module builds them).

        After a flagged ``design_note`` its warning is added as the last key result.
        """
        items = list(items)
        for text, ref, warning in items:
            self._key_add(text, ref, warning)
        design = self._record.get("design") or {}
        if items and design.get("flagged") and design.get("warning"):
            self._key_add(design["warning"], "", warning=True)  # Markdown, values escaped
        self._record_write()  # once for all of them

    def title_set(self, title: str) -> None:
        """Set the report's title (built from the parameters); replaces the notebook's H1."""
        self._record["title"] = " ".join(text_clean(title).split())
        self._record_write()

    def source_show(self, func, label: str = "") -> None:
        """Show a library function's source as a labelled listing, folded by default.

        Args:
            func: the function.
            label: the summary line; default "Source of ``module.function``".
        """
        qual = f"{func.__module__}.{func.__qualname__}"
        label = label or f"Source of {qual}"
        code = html.escape(inspect.getsource(func))
        listing = (
            f'<details class="source-listing"><summary>{html.escape(label)}</summary>\n'
            f"<pre><code>{code}</code></pre>\n</details>"
        )
        display({"text/html": listing, "text/plain": f"[{label}]"}, raw=True)


def _notes_once(html_text: str, seen: dict[str, str]) -> str:
    # One result's HTML: keep the paragraphs not seen in this section, refer to the others.
    m = _LABEL_RE.search(html_text)
    label = m.group(1) if m else ""
    refs: list[str] = []
    kept = 0
    parts, pos = [], 0
    for match in _NOTE_RE.finditer(html_text):
        parts.append(html_text[pos : match.start()])
        pos = match.end()
        digest = match.group(1)
        if digest not in seen:
            seen[digest] = label
            kept += 1
            parts.append(match.group(0))
            continue
        if not refs:
            parts.append("\x00REF\x00")
        if seen[digest] not in refs:
            refs.append(seen[digest])
    parts.append(html_text[pos:])
    out = "".join(parts)
    if refs:
        where = " and ".join(r for r in refs if r) or "the results above"
        what = "Further notes" if kept else "Method notes"
        ref = (
            f'<div class="note note-ref"><p>{what}: as under {html.escape(where)} '
            "(a note is shown once per section).</p></div>"
        )
        out = out.replace("\x00REF\x00", ref)
    return out


def notes_dedupe(nb) -> None:
    """Show a method-notes paragraph once per section of an executed notebook.

    A section starts at a Markdown heading of level 1 or 2. A paragraph (``notes_html``)
    seen before in the same section is left out, and the result's notes say under which
    result it was shown ("Further notes: as under Table 3"); the ``.notes.md`` files keep
    every paragraph.

    Args:
        nb: an nbformat notebook, changed in place.
    """
    seen: dict[str, str] = {}
    for cell in nb.cells:
        if cell.cell_type == "markdown" and _SECTION_RE.search(cell.source):
            seen = {}
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data") or {}
            text = data.get("text/html")
            if not text or 'class="note"' not in text:
                continue
            html_text = "".join(text) if isinstance(text, list) else text
            data["text/html"] = _notes_once(html_text, seen)
