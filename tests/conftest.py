"""Shared test helpers: executing a notebook on the seed corpus and checking its tables."""

from pathlib import Path

import pandas as pd

from ordbruk.paths import NOTEBOOKS_DIR


def notebook_run(name: str, out: Path, **parameters) -> Path:
    """Execute notebooks/<name>.ipynb with papermill on its defaults (the seed corpus).

    Tables and figures go to ``out``; the processed corpus is cached under ``out/cache``.
    """
    import papermill

    executed = out / f"{name}.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / f"{name}.ipynb"),
        str(executed),
        kernel_name="python3",
        cwd=str(NOTEBOOKS_DIR),
        parameters={"output_dir": str(out), "cache_dir": str(out / "cache"), **parameters},
    )
    return executed


def tables_check(out: Path, expected: dict[str, list[str]]) -> dict[str, pd.DataFrame]:
    """Assert each expected table exists with exactly these columns and some rows."""
    tables = {}
    for name, cols in expected.items():
        df = pd.read_csv(out / "tables" / f"{name}.csv", keep_default_na=False)
        assert df.columns.tolist() == cols, name
        assert len(df) > 0, name
        tables[name] = df
    return tables


# Wall-clock times of the topic fits (issue 11 item 6) are the one thing a rerun cannot
# repeat; every other cell of those tables must be identical.
TIMED_TABLES = ("topic_selection.csv", "topic_fits.csv")
PUBLISHED = (("tables", "*.csv"), ("figures", "*.svg"), ("figures", "*.pdf"), ("figures", "*.png"))


def outputs_differ(a: Path, b: Path) -> dict[str, list[str]]:
    """Compare two run folders' tables and figures byte for byte (timing columns aside).

    Returns:
        Per kind ("tables", "figures"), the names that differ or exist in one folder only.
    """
    from ordbruk.topics.select import TIMING_COLUMNS

    found: dict[str, list[str]] = {}
    for kind, pattern in PUBLISHED:
        names_a = {x.name for x in (a / kind).glob(pattern)}
        names_b = {x.name for x in (b / kind).glob(pattern)}
        bad = sorted(names_a ^ names_b)
        for n in sorted(names_a & names_b):
            if (a / kind / n).read_bytes() == (b / kind / n).read_bytes():
                continue
            if n in TIMED_TABLES:
                x, y = (pd.read_csv(r / kind / n).drop(columns=list(TIMING_COLUMNS), errors="ignore")
                        for r in (a, b))  # fmt: skip
                if x.equals(y):
                    continue
            bad.append(n)
        if bad:
            found.setdefault(kind, []).extend(bad)
    return found
