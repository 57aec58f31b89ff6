"""Render a run for reading: executed notebooks as self-contained HTML, and the index page.

Used by the runner, not by notebooks. ``report_write`` turns an executed notebook into one
HTML file with nbconvert and the ``ordbruk`` template: styles inlined, figures embedded,
no remote scripts, code hidden unless a cell tag asks for it (``cell_tags_apply``, Jupyter
Book's tag names). ``index_write`` writes the run's ``index.html``: what was run on which
corpus, and a link and a one-line summary per report.
"""

from __future__ import annotations

import html
import re
import warnings
from pathlib import Path

from ordbruk import paths
from ordbruk.escape import text_clean
from ordbruk.numbers import count_format
from ordbruk.report import tables
from ordbruk.report.cite import cite_html
from ordbruk.resources import resource_path, resource_text

TEMPLATES_DIR = resource_path("templates")
_REMOTE_RE = re.compile(
    r"<script\b[^>]*\bsrc\s*=[^>]*>.*?</script\s*>"
    r"|<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>",
    re.IGNORECASE | re.DOTALL,
)


def cell_tags_apply(nb) -> None:
    """Apply Jupyter Book cell tags to a notebook before rendering it for a report.

    Code is hidden by default. Tags: ``show-input`` shows a code cell's source,
    ``hide-input`` shows it folded in a ``<details>``, ``remove-input`` hides it (the
    default), ``remove-output`` drops the outputs, ``remove-cell`` drops the cell. Error
    banners papermill adds and stderr output (warnings) are dropped from the report; the
    executed notebook next to it keeps everything.

    Args:
        nb: an nbformat notebook, changed in place.
    """
    kept = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if "remove-cell" in tags or "papermill-error-cell-tag" in tags:
            continue
        if cell.cell_type == "code":
            if "remove-output" in tags:
                cell.outputs = []
            cell.outputs = [
                o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")
            ]
            if "remove-input" in tags or not tags & {"show-input", "hide-input"}:
                cell.metadata.setdefault("transient", {})["remove_source"] = True
                if not cell.outputs:
                    continue  # nothing left to show
            elif "hide-input" in tags:
                cell.metadata["ordbruk"] = {"input": "collapsed"}
        kept.append(cell)
    nb.cells = kept


def html_remote_strip(text: str) -> tuple[str, int]:
    """Remove ``<script src=...>`` elements and remote stylesheet links from HTML.

    Args:
        text: an HTML page.

    Returns:
        The page without them, and how many were removed.
    """
    return _REMOTE_RE.subn("", text)


def notebook_title(nb, default: str) -> str:
    """Return the text of the first level-1 Markdown heading of a notebook, or ``default``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return default


def report_write(
    executed: str | Path,
    html_path: str | Path,
    run_id: str = "",
    source_dir: str | Path = ".",
    cite: str = "",
) -> Path:
    """Render an executed notebook as a self-contained HTML report.

    Uses nbconvert's HTMLExporter with the ``ordbruk`` template (JupyterLab's layout
    without require.js, MathJax or any other remote script), ``resources/report.css``
    and the table script ``resources/tables.js`` inlined, images embedded, prompts removed and cell tags applied (``cell_tags_apply``).

    Args:
        executed: the executed notebook.
        html_path: the HTML file to write.
        run_id: shown in the report's header line with a link to the run's index.
        source_dir: folder that relative image paths in Markdown are resolved against.
        cite: HTML of the "How to cite this run" block at the end (``report.cite``).

    Returns:
        The HTML path.
    """
    # imported here: nbconvert and nbformat add about a second to every `ordbruk` command,
    # and this module is imported by the CLI; only rendering needs them.
    import nbformat
    from nbconvert import HTMLExporter

    from ordbruk.report.front import record_read, report_front  # needs nbformat, as above

    nb = nbformat.read(executed, as_version=4)
    cell_tags_apply(nb)
    record = record_read(executed)  # title, key results (placed first), numbered results
    report_front(nb, record, cite)
    title = record.get("title") or notebook_title(nb, Path(executed).stem)
    exporter = HTMLExporter(
        template_name="ordbruk",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    header = (
        f'<p class="run-meta"><a href="index.html">All reports</a> · run '
        f"{html.escape(run_id)} · <code>{html.escape(Path(executed).stem)}</code></p>"
    )
    resources = {
        "metadata": {"name": title, "path": str(source_dir)},
        "ordbruk_css": resource_text("report.css"),
        "ordbruk_js": resource_text("tables.js"),  # sort, filter, show all (report.tables)
        "ordbruk_header": header,
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    body, removed = html_remote_strip(body)
    if removed:
        warnings.warn(
            f"{Path(executed).stem}: removed {removed} remote script/stylesheet reference(s) "
            "from the report; outputs should not load code from the web",
            stacklevel=2,
        )
    body, n_cut = tables.budget_fit(body)  # the byte budget: hidden table rows go first
    if len(body.encode("utf-8")) > tables.REPORT_BUDGET:
        warnings.warn(
            f"{Path(executed).stem}: the report is larger than its budget of "
            f"{tables.REPORT_BUDGET:,} bytes even with {n_cut} table(s) cut to their previews",
            stacklevel=2,
        )
    Path(html_path).write_text(body, encoding="utf-8")
    return Path(html_path)


def _count_show(value) -> str:
    return count_format(value) if isinstance(value, int) else "not reported"


def index_write(
    run_dir: str | Path, record: dict, records: dict, corpus_info: dict | None = None
) -> Path:
    """Write the run's ``index.html``: what was run on what, and a link to every report.

    Args:
        run_dir: the run folder holding ``<notebook>.html`` and ``<notebook>.ipynb``.
        record: the run's provenance (``provenance_build``).
        records: per notebook, what its Recorder noted (``records/<notebook>.json``):
            ``summary`` (one line), ``corpus`` (``n_documents``, ``n_tokens``), tables, figures.
        corpus_info: fallback corpus size from validation.

    Returns:
        The index path.
    """
    import nbformat  # imported here: see report_write

    from ordbruk.report.front import key_results_html  # needs nbformat, as above

    def esc(s) -> str:
        # A value from the corpus, the parameters or a record: no markup, no control character.
        return html.escape(text_clean(s))

    run_dir = Path(run_dir)
    noted = [r["corpus"] for r in records.values() if isinstance(r.get("corpus"), dict)]
    size = noted[0] if noted else (corpus_info or {})
    git = record.get("git") or {}
    commit = (git.get("commit") or "")[:12] or "none (not a git repository or no commit)"
    if git.get("dirty"):
        commit += ", with uncommitted changes"
    params_file = (record.get("params_file") or {}).get("path") or "(none)"
    meta = [
        ("Corpus", paths.path_report(record["inputs"]["corpus"] or "")),
        ("Documents", _count_show(size.get("n_documents"))),
        ("Tokens", _count_show(size.get("n_tokens"))),
        ("Date of run", record["ended"]),
        ("Git commit", commit),
        ("Parameters", paths.path_report(params_file) if params_file != "(none)" else params_file),
    ]
    subset = size.get("subset")
    if subset:  # the analyses read a subset: say which, and of how much
        meta[1:3] = [
            ("Subset", subset["description"]),
            (
                "Documents",
                f"{_count_show(subset['n_documents'])} of "
                f"{_count_show(subset['n_documents_before'])}",
            ),
            (
                "Tokens",
                f"{_count_show(subset['n_tokens'])} of {_count_show(subset['n_tokens_before'])}",
            ),
        ]
    items = []
    for name, timing in record["notebooks"].items():
        nb = nbformat.read(run_dir / f"{name}.ipynb", as_version=4)
        noted = records.get(name, {})
        summary = noted.get("summary") or (
            f"{len(noted.get('tables', []))} tables, {len(noted.get('figures', []))} figures"
        )
        title = noted.get("title") or notebook_title(nb, name)
        # the key results, with their warnings, say more than the one line; else the line
        shown = key_results_html(noted, "h3", f"{name}.html")
        shown = shown or f'<span class="summary">{esc(summary)}</span>'
        pdf = f' · <a href="{esc(name)}.pdf">PDF</a>' if (run_dir / f"{name}.pdf").is_file() else ""
        items.append(
            f'<li><a href="{esc(name)}.html">{esc(title)}</a>{shown}'
            f'<span class="run-meta">{esc(name)} · {timing["seconds"]:.1f} s · '
            f'<a href="{esc(name)}.ipynb">executed notebook</a>{pdf}</span></li>'
        )
    css = resource_text("report.css")
    rows = "\n".join(f"<dt>{esc(k)}</dt><dd>{esc(str(v))}</dd>" for k, v in meta)
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>ordbruk run {esc(record['run_id'])}</title>\n<style>\n{css}</style>\n"
        "</head>\n<body>\n<main>\n"
        f'<h1>ordbruk reports</h1>\n<p class="run-meta">Run {esc(record["run_id"])}</p>\n'
        f'<dl class="run-meta">\n{rows}\n</dl>\n'
        f'<h2>Reports</h2>\n<ol class="reports">\n{chr(10).join(items)}\n</ol>\n'
        '<p class="run-meta">Tables: <code>tables/*.csv</code> with method notes in '
        "<code>tables/*.notes.md</code>; figures: <code>figures/</code>; versions, "
        'parameters and input checksums: <a href="provenance.json">provenance.json</a>.</p>\n'
        f"{cite_html(git, record['run_id'], (record.get('packages') or {}).get('ordbruk'), 'provenance.json')}\n"
        "</main>\n</body>\n</html>\n"
    )
    path = run_dir / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
