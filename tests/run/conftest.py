"""Fixtures shared by the runner and run-folder tests."""

import pytest
from test_run_runner import MANIFEST, fake_execute, make_notebook

from ordbruk.run import provenance, runner


@pytest.fixture
def fake_suite(tmp_path, monkeypatch):
    """A folder of two fake notebooks (01 passes, 02 fails) run without a kernel."""
    monkeypatch.setattr(runner, "notebook_execute", fake_execute)
    # MANIFEST names no real corpus: its files "hash" to what the manifest says, unchanged.
    monkeypatch.setattr(provenance, "inputs_hash", lambda path: dict(MANIFEST["input_sha256"]))
    folder = tmp_path / "nb"
    folder.mkdir()
    make_notebook(folder, "01_alpha")
    make_notebook(folder, "02_beta", fail=True)
    return folder


@pytest.fixture
def one_notebook(tmp_path, monkeypatch):
    """A folder holding the fixture notebook 01_fixture_ok, with a cache of the test's own."""
    import shutil
    from pathlib import Path

    monkeypatch.setenv("ORDBRUK_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "nb"
    folder.mkdir()
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks"
    shutil.copy(fixtures / "01_fixture_ok.ipynb", folder)
    return folder
