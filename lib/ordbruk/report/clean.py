"""Find what a report shows that is not meant for its reader (issue 13: clean output).

``report_problems`` reads a rendered report and names every piece of debug output in it:
a Python repr (a dict, a pandas Series or DataFrame footer, a NumPy array, an object
address), a traceback, a source listing outside a deliberate, labelled listing
(``Recorder.source_show``), and an absolute path of the machine the run was made on. The
suite's test runs it over every report of a seed run; a user can run it over their own.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from ordbruk import paths

#: Debug output as it reads once the HTML is reduced to text: name and pattern.
PATTERNS = {
    "a Python dict": re.compile(r"\{'[^']*': "),
    "an object repr": re.compile(r"<[\w.]+ object at 0x[0-9a-f]+>"),
    "a pandas dtype line": re.compile(r"\bdtype: \w+"),
    "a pandas Series name line": re.compile(r"(?m)^Name: \w+, "),
    "a NumPy array repr": re.compile(r"\barray\(\["),
    "a traceback": re.compile(r"Traceback \(most recent call last\)|\w+Error: .*\n?.*File \""),
    "a source listing": re.compile(r"(?m)^\s*def \w+\(.*\)(?: -> .+)?:\s*$"),
    "an absolute local path": re.compile(
        r"(?<![\w.:/])/(?:home|root|tmp|work|Users|mnt|media|srv|data|scratch|proj|projects"
        r"|net|nfs|opt|var|private|Volumes)/[\w.-]+"
        r"|(?<![\w])[A-Za-z]:\\(?:Users|Documents|home)\\[\w.-]+"
    ),
}
_LISTING_RE = re.compile(r'<details class="source-listing">.*?</details>', re.DOTALL)
_STRIP_RE = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]+>", re.DOTALL | re.IGNORECASE)
_DATA_URI_RE = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+")


def report_text(page: str) -> str:
    """Return the text a reader sees in a report, deliberate source listings left out."""
    page = _LISTING_RE.sub(" ", page)
    page = _DATA_URI_RE.sub(" ", page)
    return html.unescape(_STRIP_RE.sub("\n", page))


def report_problems(page: str) -> list[str]:
    """Return a line for each piece of debug output in a report's HTML ([] when clean).

    Args:
        page: the report's HTML.

    Returns:
        E.g. ``["a Python dict: {'n_documents': 5, ..."]``.
    """
    text = report_text(page)
    found = []
    # this machine's own folders, wherever they are (a repository in /srv/x, a home in /u/y)
    for base in {str(paths.ROOT), str(Path.home())} - {"/"}:
        at = text.find(base + "/")
        if at >= 0:
            found.append(f"an absolute local path: {text[at : at + 60]!r}")
    for what, pattern in PATTERNS.items():
        for m in pattern.finditer(text):
            found.append(f"{what}: {text[m.start() : m.start() + 60]!r}")
    return found


def run_problems(run_dir: str | Path) -> dict[str, list[str]]:
    """Return ``report_problems`` of every HTML page of a run folder that has any."""
    out = {}
    for page in sorted(Path(run_dir).glob("*.html")):
        found = report_problems(page.read_text(encoding="utf-8"))
        if found:
            out[page.name] = found
    return out
