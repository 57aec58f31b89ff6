"""Errors that a user can act on.

Every error raised for bad input or bad parameters derives from ``OrdbrukError`` and
carries a one-line message that names the file, row and field and says what to fix. The
command line prints that line without a traceback; notebooks show it as the cell's error.
A message may quote a value from the metadata or the parameters: its control characters
are replaced (``ordbruk.escape.text_clean``), so none reaches the terminal raw.
"""

from ordbruk.escape import text_clean


class OrdbrukError(Exception):
    """An error in the user's input or parameters, with a one-line, actionable message."""

    def __str__(self) -> str:
        return text_clean(super().__str__())


class CorpusError(OrdbrukError):
    """The corpus cannot be loaded: missing files, bad metadata, undecodable text.

    Attributes:
        problems: every problem found (``ordbruk.corpus.problems.Problem``), errors and warnings.
    """

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        self.problems = list(problems or [])


class ParameterError(OrdbrukError):
    """A parameter (from a params YAML file or a notebook's parameters cell) is invalid."""
