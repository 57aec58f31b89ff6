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
