"""Problems: one line each, errors first, metadata first."""

from ordbruk.corpus.problems import Findings, Problem, problems_format, problems_sort


def test_problem_prints_one_line():
    assert str(Problem("error", "metadata.csv", 4, "date", "bad")) == "metadata.csv:4: date: bad"
    assert str(Problem("warning", "a.txt", None, None, "x\ny")) == "a.txt: x y"


def test_problems_format_errors_first():
    problems = [
        Problem("warning", "a.txt", None, "text", "w"),
        Problem("error", "metadata.csv", 2, "date", "e"),
    ]
    assert problems_format(problems) == [
        "error: metadata.csv:2: date: e",
        "warning: a.txt: text: w",
    ]


def test_findings_shorthands():
    found = Findings()
    found.warning("a.txt", None, "text", "empty")
    assert not found.has_errors
    found.error("metadata.csv", 3, "date", "bad")
    assert found.has_errors and found == [
        Problem("warning", "a.txt", None, "text", "empty"),
        Problem("error", "metadata.csv", 3, "date", "bad"),
    ]


def test_problems_sort_metadata_first_then_file_and_row():
    found = [
        Problem("error", "b.txt", None, None, "1"),
        Problem("error", "metadata.csv", 7, "date", "2"),
        Problem("warning", "a.txt", None, "text", "3"),
        Problem("error", "metadata.csv", 2, "actor", "4"),
        Problem("error", "b.txt", None, "text", "5"),
    ]
    # metadata.csv first (rows 2, 7), then b.txt and a.txt in the order first named
    assert [q.message for q in problems_sort(found, "metadata.csv")] == ["4", "2", "1", "5", "3"]
