"""Record every table and figure a notebook shows, with its method notes, into the run folder.

Notebooks never call ``display`` or ``savefig`` themselves: a ``Recorder`` writes each
result as a file (``tables/<name>.csv`` with ``tables/<name>.notes.md``,
``figures/<name>.svg``, ``.pdf`` and ``.png``, at print size: ``ordbruk.figures``) and
shows it in the notebook with its title and the method notes under it, so the HTML report
and the files agree. Output files are deterministic (fixed float format, no dates in SVG
or PDF metadata), so two runs on the same input are byte-identical.

A notebook also tells the runner about itself through the Recorder, in
``<output_dir>/records/<notebook_name>.json``: ``summary_set`` gives the one-line summary
shown next to the report's link on the run's index page, and ``corpus_note`` records the
corpus size and cache key for the index page and ``provenance.json``.
"""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from cycler import cycler
from IPython.display import display

from ordbruk import figures, paths
from ordbruk.errors import ParameterError
from ordbruk.escape import CSV_NOTE, csv_frame, md_escape, text_clean
from ordbruk.report import results, tables
from ordbruk.text.redaction import text_redact

CSV_FLOAT_FORMAT = "%.6g"
SVG_HASHSALT = "ordbruk"
FIGURE_DPI = figures.FIGURE_DPI
PALETTE = figures.PALETTE  # Okabe-Ito (colour-blind safe) first, 12 distinct colours
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class _Quiet(dict):
    # A value returned for the notebook to use, never shown as a repr in the report.
    def _ipython_display_(self) -> None:
        pass


def _display(html_text: str, plain: str) -> None:
    display({"text/html": html_text, "text/plain": plain}, raw=True)


def table_html(df: pd.DataFrame, show: int | None = 20) -> str:
    """Render a DataFrame as an escaped HTML table (``report.tables.table_html``)."""
    return tables.table_html(df, show)[0]


class Recorder(results.ResultsMixin):
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
        self._subset_note = ""  # set by corpus_note when the analysis reads a subset
        self._design_warning = ""  # set by design_note when the groups differ in composition
        self._embed_left = tables.REPORT_EMBED_BYTES  # bytes of table rows the report may add

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

    def _notes_full(self, notes: str) -> str:
        # Every result of an analysis of a subset says so, under its own notes.
        notes = (notes or "").strip()
        if self._design_warning:
            notes += f"\n\n{self._design_warning}"
        return f"{notes}\n\n{self._subset_note}" if self._subset_note else notes

    def design_note(self, composition) -> None:
        """Carry a grouping's composition warning into every later result and the summary.

        Args:
            composition: ``stats.design.Composition``; when it is flagged, the notes of
                every later table and figure and the index summary end with its warning.
        """
        self._record["design"] = {
            "group_by": composition.group_by,
            "strata": composition.strata,
            "cramers_v": composition.cramers_v,
            "flagged": composition.flagged,
            "warning": composition.warning,
        }
        v = composition.cramers_v
        self._design_warning = (
            f"**Design warning.** The {md_escape(composition.group_by)} groups differ in their "
            f"mix of {md_escape(composition.strata)}"
            + (f" (Cramér's V = {v:.2f})" if v is not None else "")
            + ": a difference between them may be a difference between genres (see the design "
            "table at the top)."
            if composition.flagged
            else ""
        )
        self._record_write()

    def _result_show(
        self, kind: str, name: str, title: str, body: str, notes: str, plain: str, label: str = ""
    ) -> None:
        # Display a table or figure between its title and its method notes, and note it in
        # the summary and the record file.
        css = "ordbruk-result" if kind == "table" else "ordbruk-result ordbruk-figure"
        block = (
            f'<div class="{css}" id="{results.label_anchor(label)}" data-label="{label}">\n'
            f'<h3 class="result-title">{results.result_title_html(label, title)}</h3>\n{body}\n'
            f'<div class="method-notes">{results.notes_html(notes)}</div>\n</div>'
        )
        _display(block, text_clean(f"{label}. {plain}"))
        path = f"tables/{name}.csv" if kind == "table" else f"figures/{name}.svg"
        self.written.append({"kind": kind, "name": name, "title": title, "path": path})
        self._record[f"{kind}s"].append(name)
        self._record_write()

    def table(
        self,
        df: pd.DataFrame,
        name: str,
        title: str,
        notes: str,
        show: int | None = 20,
        groups=None,
    ) -> None:
        """Write a table as CSV with its method notes and display it.

        Args:
            df: a tidy table; columns named with units (``n_tokens``, ``freq_per_10k``).
            name: file name stem: ``tables/<name>.csv`` and ``tables/<name>.notes.md``.
            title: shown above the table.
            notes: method notes (Markdown): what was counted, normalised, excluded, tested.
            show: rows of the preview (None or 0: all); the CSV has every row, and the
                report embeds the others (hidden, for "Show all" and the filter) while its
                byte budget lasts (``report.tables``).
            groups: column(s) whose every value the preview shows (the first rows of each
                group); None: ``tables.groups_guess`` (the ``group_by`` of ``design_note``,
                or the table's ``group`` or ``group_a``/``group_b`` columns).
        """
        self._name_check(name)
        csv_df, n_changed = csv_frame(df)
        if n_changed:  # say so under the notes: the CSV differs from the table shown
            notes = f"{(notes or '').strip()}\n\n{CSV_NOTE.format(n=n_changed)}"
        notes = self._notes_full(notes)
        csv_path = self.tables_dir / f"{name}.csv"
        csv_df.to_csv(
            csv_path,
            index=False,
            encoding="utf-8",
            float_format=CSV_FLOAT_FORMAT,
            lineterminator="\n",
        )
        label = self._label_next("table", name, title)
        notes_path = self.tables_dir / f"{name}.notes.md"
        notes_path.write_text(f"# {label}. {md_escape(title)}\n\n{text_clean(notes)}\n", "utf-8")
        csv = f"tables/{name}.csv"
        if groups is None:  # the grouping the notebook compares, or the table's own groups
            groups = tables.groups_guess(df, (self._record.get("design") or {}).get("group_by"))
        embed = min(tables.TABLE_EMBED_BYTES, max(0, self._embed_left))
        shown_html, shown, n_embedded = tables.table_html(df, show, groups, csv, embed)
        self._embed_left -= len(shown_html.encode("utf-8"))
        caption = tables.preview_caption(len(df), shown, groups, df, csv)
        body = f'{shown_html}\n<p class="result-caption">{caption}</p>'
        preview = df.iloc[tables.preview_rows(df, show, groups)]  # the rows the HTML shows
        plain = f"{title}\n{preview.to_string(index=False)}\n\n{notes}"
        self._result_show("table", name, title, body, notes, plain, label)

    def figure(self, fig, name: str, title: str, notes: str, part: int = 0) -> None:
        """Write a figure as SVG, PDF and PNG, display it with its notes, then close it.

        Args:
            fig: a matplotlib Figure, saved at its own size (``ordbruk.figures``: a print
                width) and shown in the HTML at that size.
            name: file name stem: ``figures/<name>.svg``, ``.pdf`` and ``.png`` (300 dpi).
            title: shown above the figure (and its alt text).
            notes: method notes (Markdown) shown under the figure and written to
                ``figures/<name>.notes.md``.
            part: the page of a paged figure (``figures``): pages share a number, "2a".
        """
        self._name_check(name)
        notes = self._notes_full(f"{(notes or '').strip()} {figures.notes_of(fig)}".strip())
        label = self._label_next("figure", name, title, part)
        notes_path = self.figures_dir / f"{name}.notes.md"
        notes_path.write_text(f"# {label}. {md_escape(title)}\n\n{text_clean(notes)}\n", "utf-8")
        shown = figures.figure_save(fig, self.figures_dir / name, SVG_HASHSALT)
        width_in = round(fig.get_figwidth(), 2)
        plt.close(fig)
        data = base64.b64encode(shown).decode("ascii")
        alt = f"{label}. {html.escape(text_clean(title))}"
        body = (  # shown at print size (CSS in = 96 px), narrower on a small screen
            f'<img src="data:image/png;base64,{data}" alt="{alt}" '
            f'style="max-width:100%;width:{width_in}in">'
        )
        plain = f"{title}\n[figure: figures/{name}.svg]\n\n{notes}"
        self._result_show("figure", name, title, body, notes, plain, label)

    def figures(self, figs: list, name: str, title: str, notes: str) -> None:
        """Record a figure drawn as pages: ``name``, ``name_2``, ... titled "(part i of n)".

        The pages share one number, lettered: "Figure 2a", "Figure 2b".

        Args:
            figs: the pages (a list of Figures; one page is recorded as ``figure`` would).
            name: the first page's file stem; the others get ``_2``, ``_3``, ...
            title: shown above each page, with "(part i of n)" when there are several.
            notes: the method notes of every page.
        """
        for i, fig in enumerate(figs, start=1):
            part = f" (part {i} of {len(figs)})" if len(figs) > 1 else ""
            page = i if len(figs) > 1 else 0  # one number: "Figure 2a", "Figure 2b"
            self.figure(fig, name if i == 1 else f"{name}_{i}", title + part, notes, page)

    def prose(self, markdown: str) -> None:
        """Display Markdown prose built from computed values (numbers never retyped).

        Args:
            markdown: the text; a value from the corpus, the metadata or the parameters in
                it goes through ``escape.md_escape`` first (corpus text is redacted first,
                never HTML-escaped: ``text_safe`` is for HTML). Rendered here, raw HTML
                escaped and harmful links refused; never by nbconvert's Markdown, which lets
                raw HTML and ``javascript:`` links through.
        """
        _display(results.markdown_html(markdown), text_clean(markdown))

    def summary_set(self, text: str, key_results=()) -> None:
        """Set the one-line summary shown next to this notebook's link on the index page.

        Args:
            text: one line of plain text (newlines are folded into spaces), e.g.
                ``"12 term families; 'segregation' most frequent (34.2 per 10k tokens)"``.
                After a flagged ``design_note`` the summary ends with a short design warning.
            key_results: ``(text, ref, warning)`` tuples for ``key_results`` (a notes
                module builds them); a flagged design warning is added as the last one.
        """
        text = " ".join(text_clean(text).split())
        design = self._record.get("design") or {}
        if design.get("flagged"):
            v = design.get("cramers_v")
            v_text = f", Cramér's V = {v:.2f}" if v is not None else ""
            text += (
                f". Design warning: the {design['group_by']} groups differ in "
                f"{design['strata']}{v_text}; differences may be genre, not level"
            )
        self._record["summary"] = text
        self._record_write()
        self.key_results(key_results)

    def corpus_note(self, corpus) -> dict:
        """Record the corpus size and cache key for the index page and ``provenance.json``.

        Args:
            corpus: a prepared ``Corpus`` (``meta`` with ``n_tokens``; ``manifest`` with
                ``key``, ``cache_hit`` and ``cache_path`` when cached).

        Returns:
            The recorded ``{"n_documents", "n_tokens", "cache_key", "cache_hit"}``, and
            ``subset`` (``manifest["subset"]``: conditions and counts) when the corpus is a
            subset; from then on every table's and figure's notes end with a line saying
            which documents were analysed.
        """
        manifest = getattr(corpus, "manifest", None) or {}
        meta = corpus.meta
        note = {
            "n_documents": int(len(meta)),
            "n_tokens": int(meta["n_tokens"].sum()) if "n_tokens" in meta else None,
            "cache_key": manifest.get("key"),
            "cache_hit": manifest.get("cache_hit"),
        }
        subset = manifest.get("subset")
        if subset:
            note["subset"] = subset
            self._subset_note = (
                f"Documents analysed: a subset ({subset['description']}), "
                f"{subset['n_documents']:,} of {subset['n_documents_before']:,} documents, "
                f"{subset['n_tokens']:,} of {subset['n_tokens_before']:,} tokens."
            )
        self._record["corpus"] = note
        self._record_write()
        return _Quiet(note)  # a notebook that ends a cell with it shows nothing (issue 13)

    def summary(self) -> pd.DataFrame:
        """Return what this Recorder wrote: one row per table or figure.

        Returns:
            Columns ``kind``, ``name``, ``title``, ``path`` (relative to the run folder).
        """
        return pd.DataFrame(self.written, columns=["kind", "name", "title", "path"])


def figure_style() -> None:
    """Set matplotlib rcParams for print-quality, deterministic figures.

    Colour-blind-safe palette (Okabe-Ito first), fonts of at least 7 pt at the print
    size (``ordbruk.figures``), constrained layout, no top or right spines, text kept as
    text in SVG and TrueType in PDF, DejaVu Sans (shipped with matplotlib, so figures
    look the same on every machine).
    """
    mpl.rcParams.update(
        {
            "axes.prop_cycle": cycler(color=list(PALETTE)),
            "font.family": "sans-serif",
            "font.sans-serif": ["DejaVu Sans"],
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": False,
            "figure.dpi": 100,
            "svg.fonttype": "none",
            "svg.hashsalt": SVG_HASHSALT,
        }
        | figures.rc_params()  # sizes: the print widths and the 7 pt minimum
    )


def text_safe(s: str) -> str:
    """Redact personal data in corpus text and HTML-escape it for a report.

    Args:
        s: corpus text.

    Returns:
        ``html.escape(redaction.text_redact(s))``.
    """
    return html.escape(text_redact(s))
