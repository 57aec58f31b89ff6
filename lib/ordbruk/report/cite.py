"""How to cite a run: the repository, its version, the commit and the run's provenance file.

Built from the values the runner records in ``provenance.json`` (``git``, ``run_id``, the
package version), so the sentence shown on the index page and at the end of every report
names exactly what was run. ``CITATION.cff`` at the repository root cites the software.
"""

from __future__ import annotations

import html

from ordbruk import __version__

REPOSITORY = "ordbruk"
AUTHORS = "ordbruk developers"
PROVENANCE_FILE = "provenance.json"


def cite_text(git: dict | None, run_id: str, version: str | None = None) -> str:
    """Return the plain-text citation of a run.

    Args:
        git: ``{"commit", "dirty"}`` as in provenance (``run.provenance.git_state``).
        run_id: the run's id (its folder name).
        version: the package version; default ``ordbruk.__version__``.

    Returns:
        E.g. ``"ordbruk developers. ordbruk (version 0.1.0, commit fa06df27a7a9). Run
        20261203-...; provenance in provenance.json."``
    """
    git = git or {}
    commit = (git.get("commit") or "")[:12]
    where = f"commit {commit}" if commit else "no git commit recorded"
    if commit and git.get("dirty"):
        where += ", with uncommitted changes"
    return (
        f"{AUTHORS}. {REPOSITORY} (version {version or __version__}, {where}). "
        f"Run {run_id}; parameters, versions and input checksums in {PROVENANCE_FILE}."
    )


def cite_html(git: dict | None, run_id: str, version: str | None = None, link: str = "") -> str:
    """Return the "How to cite this run" block for a report or the index page.

    Args:
        git: as for ``cite_text``.
        run_id: the run's id.
        version: as for ``cite_text``.
        link: the href of the provenance file ("": no link).
    """
    text = html.escape(cite_text(git, run_id, version))
    if link:
        name = html.escape(PROVENANCE_FILE)
        text = text.replace(name, f'<a href="{html.escape(link)}">{name}</a>', 1)
    return (
        '<section class="cite"><h2>How to cite this run</h2>\n'
        f"<p>{text}</p>\n<p>Cite the software with <code>CITATION.cff</code> in the "
        "repository; name the run and its provenance file so a reader can rerun it.</p>\n"
        "</section>"
    )
