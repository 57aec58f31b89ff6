"""Validation findings: one ``Problem`` per thing to fix, collected before any is reported.

Every reader and every check of ``ordbruk.corpus`` records what it finds in a
``Findings`` list instead of raising at the first problem, so one run of ``ordbruk check``
lists every fix a user has to make. Errors stop the load; warnings travel with the
corpus. ``problems_format`` gives the one-line form the command line prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from ordbruk.escape import text_clean


@dataclass
class Problem:
    """One validation finding: where it is and what to do about it.

    Attributes:
        severity: ``"error"`` (stops the load) or ``"warning"``.
        file: path as the user gave it, relative to the corpus folder where possible.
        row: 1-based data row in metadata.csv or a .csv, line in a .jsonl; None for a file.
        field: the column, or ``"text"``; None when the whole row or file is meant.
        message: what is wrong and what to do.
    """

    severity: str
    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        """Return ``<file>[:<row>]: <field>: <message>`` on one line."""
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        parts = [where, self.field, self.message] if self.field else [where, self.message]
        # One line, and no control character from a quoted value reaches the terminal.
        return ": ".join(" ".join(text_clean(p).split("\n")) for p in parts)


class Findings(list):
    """The problems found so far, with shorthands to add errors and warnings."""

    def error(self, file: str, row: int | None, fld: str | None, message: str) -> None:
        """Record an error (the corpus will not load)."""
        self.append(Problem("error", file, row, fld, message))

    def warning(self, file: str, row: int | None, fld: str | None, message: str) -> None:
        """Record a warning (the corpus loads; the warning is kept with it)."""
        self.append(Problem("warning", file, row, fld, message))

    @property
    def has_errors(self) -> bool:
        """Whether any error has been recorded."""
        return any(p.severity == "error" for p in self)


def problems_sort(found: list[Problem], meta_file: str) -> list[Problem]:
    """Order problems as a reader fixes them: metadata first, then by file and row.

    Args:
        found: the problems, in the order they were found.
        meta_file: the file that holds the metadata (``metadata.csv``, or the corpus file).

    Returns:
        A new list: problems of ``meta_file`` first, then each file in the order it was
        first named, rows ascending within a file (file-level problems first).
    """
    first_seen: dict[str, int] = {meta_file: -1}
    for q in found:
        first_seen.setdefault(q.file, len(first_seen))
    return sorted(found, key=lambda q: (first_seen[q.file], q.row or 0))


def problems_format(problems: list[Problem]) -> list[str]:
    """Return one line per problem, errors first: ``error: <file>:<row>: <field>: <message>``.

    Args:
        problems: problems from ``corpus_check`` or ``CorpusError.problems``.

    Returns:
        Lines without newlines, errors before warnings, otherwise in the order found.
    """
    ordered = sorted(problems, key=lambda q: q.severity != "error")
    return [f"{q.severity}: {q}" for q in ordered]
