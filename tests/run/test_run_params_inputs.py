"""Files named in the parameters are inputs of the run (issue 12 item 9): their paths come
from one function, so provenance hashes them instead of recording the path only."""

import subprocess
import sys

import pytest

from ordbruk import paths
from ordbruk.corpus.inputs import sha256_hex
from ordbruk.run.params import defaults_load, params_input_files, params_validate
from ordbruk.run.provenance import provenance_build


def test_files_named_in_parameters_are_listed_resolved(tmp_path):
    fam = tmp_path / "fam.yaml"
    frames = tmp_path / "frames.yaml"
    rules = tmp_path / "rules.yaml"
    data = {
        "corpus": "data/seeds",
        "cleaning": {"boilerplate": str(rules)},
        "notebooks": {
            "02_term_frequency": {"families_file": str(fam), "kwic_coded": "coded.csv"},
            "03_rhetoric_comparison": {"framing_path": str(frames)},
        },
    }
    rules.write_text("rules: []\n")
    params = params_validate(data, "study.yaml", defaults_load())
    assert params_input_files(params) == {
        "cleaning.boilerplate": rules,
        "notebooks.02_term_frequency.families_file": fam,
        "notebooks.02_term_frequency.kwic_coded": paths.ROOT / "coded.csv",
        "notebooks.03_rhetoric_comparison.framing_path": frames,
    }


def test_defaults_name_no_files():
    assert params_input_files(params_validate({"corpus": "x"}, "s.yaml", defaults_load())) == {}


def test_provenance_hashes_the_files_the_parameters_name(tmp_path):
    fam = tmp_path / "fam.yaml"
    fam.write_text("families: []\n")
    record = provenance_build(
        {"seed": 1}, None, {"source": str(tmp_path)}, {}, "r", "s", "e", git={},
        param_files={"notebooks.02_term_frequency.families_file": (fam, sha256_hex(fam.read_bytes()))},
    )  # fmt: skip
    got = record["inputs"]["param_files"]["notebooks.02_term_frequency.families_file"]
    assert got["sha256"] == sha256_hex(b"families: []\n")


@pytest.mark.slow
def test_run_hashes_a_families_file_and_a_missing_group_by_column_stops_it_first(tmp_path):
    # A group_by naming a column the metadata lacks stopped notebook 02 in cell 16 with a
    # KeyError; it is now one line before any notebook starts.
    study = tmp_path / "study.yaml"
    study.write_text(
        "corpus: data/seeds\nnotebooks:\n  02_term_frequency:\n    group_by: doctype\n"
    )
    out = subprocess.run(
        [sys.executable, "-m", "ordbruk.run.cli", "run", "--params", str(study), "--only", "02",
         "--out", str(tmp_path / "o")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 2, out.stderr
    lines = [ln for ln in out.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1 and "doctype" in lines[0] and "Traceback" not in out.stderr
    assert "[1/1]" not in out.stdout + out.stderr
