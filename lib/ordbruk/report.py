"""Record every table and figure a notebook shows, with its method notes, into the run folder.

Notebooks never call ``display`` or ``savefig`` themselves: a ``Recorder`` writes each
result as a file (``tables/<name>.csv`` with ``tables/<name>.notes.md``,
``figures/<name>.svg`` and ``.png``) and shows it in the notebook with its title and the
method notes under it, so the HTML report and the files agree. Output files are
deterministic (fixed float format, no dates in SVG metadata), so two runs on the same
input are byte-identical.

A notebook also tells the runner about itself through the Recorder, in
``<output_dir>/records/<notebook_name>.json``: ``summary_set`` gives the one-line summary
shown next to the report's link on the run's index page, and ``corpus_note`` records the
corpus size and cache key for the index page and ``provenance.json``.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from pathlib import Path

import pandas as pd

from ordbruk import paths
from ordbruk.errors import ParameterError

CSV_FLOAT_FORMAT = "%.6g"
SVG_HASHSALT = "ordbruk"
FIGURE_DPI = 200
# Okabe and Ito (2008) colour-blind-safe palette, black last.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _display(html_text: str, plain: str) -> None:
    from IPython.display import display

    display({"text/html": html_text, "text/plain": plain}, raw=True)


def _markdown_html(text: str) -> str:
    import mistune

    # escape=True: notes may quote corpus text, which must not become markup.
    return mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])(text or "")


def _cell_format(value, numeric: bool) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if numeric and isinstance(value, float):
        # 4 significant digits for reading; large values in full so they never show as 1e+04
        return f"{value:,.0f}" if 1e4 <= abs(value) < 1e15 else f"{value:.4g}"
    return str(value)


def table_html(df: pd.DataFrame, show: int | None = 20) -> str:
    """Render a DataFrame as an escaped HTML table with numeric columns right-aligned.

    Args:
        df: the table.
        show: number of rows shown (None or 0: all).

    Returns:
        An HTML ``<table>``; every header and cell is HTML-escaped, numeric cells carry
        ``class="num"``.
    """
    part = df if not show else df.head(show)
    numeric = [
        pd.api.types.is_numeric_dtype(part[c]) and not pd.api.types.is_bool_dtype(part[c])
        for c in part.columns
    ]
    num_attr = [' class="num"' if num else "" for num in numeric]
    head = "".join(
        f"<th{a}>{html.escape(str(c))}</th>" for c, a in zip(part.columns, num_attr, strict=True)
    )
    rows = []
    for values in part.itertuples(index=False, name=None):
        cells = "".join(
            f"<td{a}>{html.escape(_cell_format(v, bool(a)))}</td>"
            for v, a in zip(values, num_attr, strict=True)
        )
        rows.append(f"<tr>{cells}</tr>")
    return (
        f'<table class="ordbruk-table">\n<thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>"
    )


class Recorder:
    """Write a notebook's tables and figures into the run folder and display them.

    Args:
        output_dir: the run folder (injected by the runner; relative paths are taken
            from the repository root). ``tables/`` and ``figures/`` are created in it.
        notebook_name: the notebook's name (injected by the runner as ``notebook_name``);
            names its record file. None: ``"interactive"``.
    """

    def __init__(self, output_dir: str | Path, notebook_name: str | None = None):
        self.output_dir = paths.path_resolve(output_dir)
        self.notebook_name = notebook_name or "interactive"
        self.tables_dir = self.output_dir / "tables"
        self.figures_dir = self.output_dir / "figures"
        self.tables_dir.mkdir(parents=True, exist_ok=True)
        self.figures_dir.mkdir(parents=True, exist_ok=True)
        self.written: list[dict] = []
        self._record: dict = {"notebook": self.notebook_name, "tables": [], "figures": []}

    def _name_check(self, name: str) -> None:
        if not isinstance(name, str) or not _NAME_RE.match(name):
            raise ParameterError(
                f"{self.notebook_name}: name {name!r}: use letters, digits, '_', '-' or '.' only"
            )

    def _record_write(self) -> None:
        folder = self.output_dir / "records"
        folder.mkdir(exist_ok=True)
        text = json.dumps(self._record, sort_keys=True, indent=2, ensure_ascii=False)
        (folder / f"{self.notebook_name}.json").write_text(text + "\n", encoding="utf-8")

    def table(
        self, df: pd.DataFrame, name: str, title: str, notes: str, show: int | None = 20
    ) -> None:
        """Write a table as CSV with its method notes and display it.

        Args:
            df: a tidy table; columns named with units (``n_tokens``, ``freq_per_10k``).
            name: file name stem: ``tables/<name>.csv`` and ``tables/<name>.notes.md``.
            title: shown above the table.
            notes: method notes (Markdown): what was counted, normalised, excluded, tested.
            show: rows shown in the report (None or 0: all); the CSV has every row.
        """
        self._name_check(name)
        csv_path = self.tables_dir / f"{name}.csv"
        df.to_csv(
            csv_path,
            index=False,
            encoding="utf-8",
            float_format=CSV_FLOAT_FORMAT,
            lineterminator="\n",
        )
        notes_path = self.tables_dir / f"{name}.notes.md"
        notes_path.write_text(f"# {title}\n\n{(notes or '').strip()}\n", encoding="utf-8")
        n = len(df)
        shown = n if not show else min(show, n)
        rows = "row" if n == 1 else "rows"
        caption = f"{n} {rows}" if shown == n else f"First {shown} of {n} {rows}"
        block = (
            f'<div class="ordbruk-result">\n<h3 class="result-title">{html.escape(title)}</h3>\n'
            f"{table_html(df, show)}\n"
            f'<p class="result-caption">{caption}; all rows in '
            f"<code>tables/{html.escape(name)}.csv</code>.</p>\n"
            f'<div class="method-notes">{_markdown_html(notes)}</div>\n</div>'
        )
        _display(block, f"{title}\n{df.head(shown).to_string(index=False)}\n\n{notes}")
        entry = {"kind": "table", "name": name, "title": title, "path": f"tables/{name}.csv"}
        self.written.append(entry)
        self._record["tables"].append(name)
        self._record_write()

    def figure(self, fig, name: str, title: str, notes: str) -> None:
        """Write a figure as SVG and PNG, display it with its notes, then close it.

        Args:
            fig: a matplotlib Figure.
            name: file name stem: ``figures/<name>.svg`` and ``figures/<name>.png``.
            title: shown above the figure (and its alt text).
            notes: method notes (Markdown) shown under the figure.
        """
        import matplotlib
        import matplotlib.pyplot as plt

        self._name_check(name)
        svg_path = self.figures_dir / f"{name}.svg"
        png_path = self.figures_dir / f"{name}.png"
        # A fixed hash salt and no date make the SVG byte-identical between runs.
        with matplotlib.rc_context({"svg.hashsalt": SVG_HASHSALT}):
            fig.savefig(svg_path, format="svg", metadata={"Date": None}, bbox_inches="tight")
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=FIGURE_DPI, bbox_inches="tight")
        png_path.write_bytes(buf.getvalue())
        width_px = round(fig.get_figwidth() * 96)
        plt.close(fig)
        data = base64.b64encode(buf.getvalue()).decode("ascii")
        block = (
            f'<div class="ordbruk-result ordbruk-figure">\n'
            f'<h3 class="result-title">{html.escape(title)}</h3>\n'
            f'<img src="data:image/png;base64,{data}" alt="{html.escape(title)}" '
            f'style="max-width:100%;width:{width_px}px">\n'
            f'<div class="method-notes">{_markdown_html(notes)}</div>\n</div>'
        )
        _display(block, f"{title}\n[figure: figures/{name}.svg]\n\n{notes}")
        entry = {"kind": "figure", "name": name, "title": title, "path": f"figures/{name}.svg"}
        self.written.append(entry)
        self._record["figures"].append(name)
        self._record_write()

    def prose(self, markdown: str) -> None:
        """Display Markdown prose built from computed values (numbers never retyped).

        Args:
            markdown: the text; corpus text in it must go through ``text_safe`` first.
        """
        from IPython.display import Markdown, display

        display(Markdown(markdown))

    def summary_set(self, text: str) -> None:
        """Set the one-line summary shown next to this notebook's link on the index page.

        Args:
            text: one line of plain text (newlines are folded into spaces), e.g.
                ``"12 term families; 'segregation' most frequent (34.2 per 10k tokens)"``.
        """
        self._record["summary"] = " ".join(str(text).split())
        self._record_write()

    def corpus_note(self, corpus) -> dict:
        """Record the corpus size and cache key for the index page and ``provenance.json``.

        Args:
            corpus: a prepared ``Corpus`` (``meta`` with ``n_tokens``; ``manifest`` with
                ``key``, ``cache_hit`` and ``cache_path`` when cached).

        Returns:
            The recorded ``{"n_documents", "n_tokens", "cache_key", "cache_hit"}``.
        """
        manifest = getattr(corpus, "manifest", None) or {}
        meta = corpus.meta
        note = {
            "n_documents": int(len(meta)),
            "n_tokens": int(meta["n_tokens"].sum()) if "n_tokens" in meta else None,
            "cache_key": manifest.get("key"),
            "cache_hit": manifest.get("cache_hit"),
        }
        self._record["corpus"] = note
        self._record_write()
        return note

    def summary(self) -> pd.DataFrame:
        """Return what this Recorder wrote: one row per table or figure.

        Returns:
            Columns ``kind``, ``name``, ``title``, ``path`` (relative to the run folder).
        """
        return pd.DataFrame(self.written, columns=["kind", "name", "title", "path"])


def figure_style() -> None:
    """Set matplotlib rcParams for print-quality, deterministic figures.

    Colour-blind-safe palette (Okabe-Ito), fonts of at least 9 pt at the saved size,
    no top or right spines, text kept as text in SVG, DejaVu Sans (shipped with
    matplotlib, so figures look the same on every machine).
    """
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update(
        {
            "axes.prop_cycle": cycler(color=list(PALETTE)),
            "font.family": "sans-serif",
            "font.sans-serif": ["DejaVu Sans"],
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.labelsize": 10,
            "xtick.labelsize": 9,
            "ytick.labelsize": 9,
            "legend.fontsize": 9,
            "figure.titlesize": 12,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": False,
            "figure.figsize": (6.4, 4.0),
            "figure.dpi": 100,
            "savefig.dpi": FIGURE_DPI,
            "svg.fonttype": "none",
            "svg.hashsalt": SVG_HASHSALT,
        }
    )


def text_safe(s: str) -> str:
    """Redact personal data in corpus text and HTML-escape it for a report.

    Args:
        s: corpus text.

    Returns:
        ``html.escape(cleaning.text_redact(s))``.
    """
    from ordbruk import cleaning

    return html.escape(cleaning.text_redact(s))


# Rendering executed notebooks as self-contained HTML (used by the runner, not in notebooks).

TEMPLATES_DIR = paths.RESOURCES_DIR / "templates"
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
    executed: str | Path, html_path: str | Path, run_id: str = "", source_dir: str | Path = "."
) -> Path:
    """Render an executed notebook as a self-contained HTML report.

    Uses nbconvert's HTMLExporter with the ``ordbruk`` template (JupyterLab's layout
    without require.js, MathJax or any other remote script), ``resources/report.css``
    inlined, images embedded, prompts removed and cell tags applied (``cell_tags_apply``).

    Args:
        executed: the executed notebook.
        html_path: the HTML file to write.
        run_id: shown in the report's header line with a link to the run's index.
        source_dir: folder that relative image paths in Markdown are resolved against.

    Returns:
        The HTML path.
    """
    import warnings

    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(executed, as_version=4)
    cell_tags_apply(nb)
    title = notebook_title(nb, Path(executed).stem)
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
        "ordbruk_css": paths.resource_path("report.css").read_text(encoding="utf-8"),
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
    Path(html_path).write_text(body, encoding="utf-8")
    return Path(html_path)
