"""Files named in the parameters are inputs of the run (issue 12 item 9): their paths come
from one function, so provenance hashes them instead of recording the path only."""

from ordbruk import paths
from ordbruk.run.params import defaults_load, params_input_files, params_validate


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
