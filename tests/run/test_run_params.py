import ast
import json
from pathlib import Path

import nbformat
import pytest

from ordbruk import paths
from ordbruk.errors import ParameterError
from ordbruk.resources import yaml_read
from ordbruk.run.params import (
    COMMON_KEYS,
    RENAMED,
    VALIDATION_DEFAULTS,
    defaults_load,
    notebook_defaults,
    notebook_parameters,
    params_load,
    params_validate,
)
from ordbruk.text.cleaning import CLEANING_DEFAULTS

SHIPPED = ["default.yaml", "test.yaml", "policy-sv.yaml"]
COMMON = """\
corpus_path: str = "data/seeds"  # the corpus
cache_dir: str = ""
output_dir: str = "outputs/interactive"
seed: int = 7
validation: dict = {}
cleaning: dict = {}
subset: dict = {}
strata: str = ""
notebook_name: str = "x"
cache_key: str = ""
engine: str = ""
"""


def notebook_write(folder, name, parameters=None):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}"), nbformat.v4.new_code_cell("x = 1")]
    if parameters is not None:
        cell = nbformat.v4.new_code_cell(parameters)
        cell.metadata["tags"] = ["parameters"]
        nb.cells.insert(1, cell)
    folder.mkdir(exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")
    return folder / f"{name}.ipynb"


@pytest.fixture
def nbs(tmp_path):
    folder = tmp_path / "notebooks"
    notebook_write(folder, "01_corpus_overview", COMMON + "excerpt_chars: int = 400  # chars\n")
    notebook_write(folder, "02_term_frequency", COMMON + "families: list = ['a']\nk: float = 2.0\n")
    notebook_write(folder, "03_plain")  # no parameters cell: no keys
    return folder


def write(tmp_path, text, name="study.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path, text, nbs):
    return params_load(write(tmp_path, text), nbs)


# ---- the defaults: parameters cells, CLEANING_DEFAULTS, VALIDATION_DEFAULTS ----


def test_notebook_defaults_parses_the_cell(nbs):
    got = notebook_defaults(nbs / "02_term_frequency.ipynb")
    assert list(got) == [*COMMON_KEYS, "families", "k"]
    assert got["families"] == ["a"] and got["k"] == 2.0 and got["seed"] == 7
    assert notebook_defaults(nbs / "03_plain.ipynb") == {}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("x: int = 1 + len('ab')\n", "line 1: x: not a literal"),
        ("import os\n", "line 1: only `name: type = literal`"),
        ("a = 1\nprint(a)\n", "line 2: only"),
        ("x: int\n", "line 1: only"),
        ("x: int = (\n", "parameters cell: line 1"),
    ],
)
def test_notebook_defaults_refuses_code(tmp_path, source, message):
    nb = notebook_write(tmp_path / "nb", "05_code", source)
    with pytest.raises(ParameterError, match=message) as info:
        notebook_defaults(nb)
    assert str(nb) in str(info.value)


def test_defaults_load(nbs):
    d = defaults_load(nbs)
    assert d["corpus"] == "data/seeds" and d["seed"] == 7 and d["cache_dir"] is None
    assert d["cleaning"] == CLEANING_DEFAULTS and d["validation"] == VALIDATION_DEFAULTS
    assert d["notebooks"] == {
        "01_corpus_overview": {"excerpt_chars": 400},
        "02_term_frequency": {"families": ["a"], "k": 2.0},
        "03_plain": {},
    }


def test_cells_must_agree_on_the_common_defaults(nbs):
    notebook_write(nbs, "04_other", COMMON.replace("seed: int = 7", "seed: int = 8"))
    with pytest.raises(ParameterError, match=r"parameters cells disagree on seed"):
        defaults_load(nbs)


def test_shipped_cells_agree_and_give_every_default():
    d = defaults_load()
    assert d["corpus"] == "data/seeds" and d["seed"] == 20261122
    assert sorted(d["notebooks"]) == sorted(
        p.stem for p in paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")
    )
    for name, keys in d["notebooks"].items():
        cell = notebook_defaults(paths.NOTEBOOKS_DIR / f"{name}.ipynb")
        assert set(cell) == set(keys) | set(COMMON_KEYS), name


# ---- a study file checked against the defaults ----


def test_study_file_inherits_missing_keys(tmp_path, nbs):
    params = load(tmp_path, "seed: 11\ncleaning:\n  boilerplate: false\n", nbs)
    assert params["seed"] == 11
    assert params["cleaning"] == {**CLEANING_DEFAULTS, "boilerplate": False}
    assert params["validation"] == VALIDATION_DEFAULTS
    assert params["notebooks"]["01_corpus_overview"] == {"excerpt_chars": 400}


def test_empty_study_file_gives_the_defaults(tmp_path, nbs):
    assert load(tmp_path, "", nbs) == defaults_load(nbs)


def test_a_list_value_replaces_the_default(tmp_path, nbs):
    text = "notebooks:\n  02_term_frequency:\n    families: [b, c]\n    k: 3\n"
    section = load(tmp_path, text, nbs)["notebooks"]["02_term_frequency"]
    assert section == {"families": ["b", "c"], "k": 3}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("korpus: data/x\n", "korpus: unknown key"),
        ("cleaning:\n  boilerplat: true\n", "cleaning.boilerplat: unknown"),
        ("validation:\n  levels: [a]\n", "validation.levels: unknown key"),
        (
            "notebooks:\n  01_corpus_overview:\n    excerpt: 3\n",
            "notebooks.01_corpus_overview.excerpt: unknown key",
        ),
        ("notebooks:\n  03_plain:\n    alpha: 0.5\n", "notebooks.03_plain.alpha: unknown key"),
    ],
)
def test_unknown_key_names_file_and_key(tmp_path, nbs, text, key):
    path = write(tmp_path, text)
    with pytest.raises(ParameterError) as info:
        params_load(path, nbs)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and key in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("seed: abc\n", "seed"),
        ("seed: 1.5\n", "seed"),
        ("corpus: 3\n", "corpus"),
        # true is a bool, not the integer the default has
        ("cleaning:\n  repeated_min_docs: true\n", "cleaning.repeated_min_docs"),
        ("cleaning:\n  boilerplate: 1\n", "cleaning.boilerplate"),
        ("cleaning:\n  disabled_rules: logga\n", "cleaning.disabled_rules"),
        ("cleaning: [a]\n", "cleaning: expected mapping"),
        ("validation:\n  allowed_levels: national\n", "validation.allowed_levels"),
        ("validation:\n  allowed_levels: [1, 2]\n", "validation.allowed_levels"),
        ("validation: [a]\n", "validation"),
        ("notebooks:\n  01_corpus_overview:\n    excerpt_chars: many\n", "excerpt_chars"),
        ("notebooks:\n  02_term_frequency:\n    families: a\n", "families: expected list"),
        ("notebooks:\n  02_term_frequency:\n    k: '2'\n", "k: expected number"),
        ("notebooks:\n  01_corpus_overview: 3\n", "notebooks.01_corpus_overview"),
        ("notebooks: [a]\n", "notebooks: expected mapping"),
    ],
)
def test_wrong_type_names_key(tmp_path, nbs, text, key):
    path = write(tmp_path, text)
    with pytest.raises(ParameterError, match=key) as info:
        params_load(path, nbs)
    assert str(info.value).startswith(f"{path}: ")


def test_null_default_accepts_text(tmp_path, nbs):
    params = load(tmp_path, "cache_dir: /tmp/c\nvalidation:\n  encoding_fallback: cp1252\n", nbs)
    assert params["cache_dir"] == "/tmp/c"
    assert params["validation"]["encoding_fallback"] == "cp1252"


def test_negative_seed_and_empty_corpus_rejected(tmp_path, nbs):
    with pytest.raises(ParameterError, match="seed"):
        load(tmp_path, "seed: -1\n", nbs)
    with pytest.raises(ParameterError, match="corpus"):
        load(tmp_path, "corpus: ''\n", nbs)


def test_null_notebook_section_is_empty(tmp_path, nbs):
    params = load(tmp_path, "notebooks:\n  02_term_frequency:\n", nbs)
    assert params["notebooks"]["02_term_frequency"] == {"families": ["a"], "k": 2.0}
    empty = load(tmp_path, "validation:\ncleaning:\nnotebooks:\n", nbs)
    assert empty == defaults_load(nbs)


def test_notebook_section_may_not_redefine_injected_names(tmp_path, nbs):
    with pytest.raises(ParameterError, match=r"notebooks\.03_plain\.seed: reserved"):
        load(tmp_path, "notebooks:\n  03_plain:\n    seed: 3\n", nbs)


def test_misspelt_notebook_section_is_an_error(tmp_path):
    # regression: "notebooks: {02_term_frequncy: ...}" silently ran 02 on its defaults
    f = write(tmp_path, "corpus: data/seeds\nnotebooks:\n  02_term_frequncy:\n    window: 3\n")
    with pytest.raises(ParameterError, match="notebooks.02_term_frequncy: no such notebook"):
        params_load(f)


def test_invalid_yaml_names_line(tmp_path, nbs):
    with pytest.raises(ParameterError, match=r"study\.yaml:\d+: invalid YAML"):
        load(tmp_path, "seed: 1\ncleaning: [\n", nbs)


def test_missing_file(tmp_path):
    with pytest.raises(ParameterError, match="not found"):
        params_load(tmp_path / "nope.yaml")


def test_top_level_must_be_mapping(tmp_path, nbs):
    with pytest.raises(ParameterError, match="mapping"):
        params_validate(["a"], tmp_path / "x.yaml", defaults_load(nbs))


def test_cleaning_rules_file_and_min_chars_reachable(tmp_path):
    # regression: `boilerplate: my_rules.yaml` and `repeated_min_chars` were rejected
    f = write(tmp_path, "cleaning:\n  boilerplate: my_rules.yaml\n  repeated_min_chars: 30\n")
    params = params_load(f)
    assert params["cleaning"]["boilerplate"] == "my_rules.yaml"
    assert params["cleaning"]["repeated_min_chars"] == 30


# ---- renamed keys ----


@pytest.mark.parametrize(
    ("section", "old", "new"),
    [(s, old, new) for s, names in RENAMED.items() for old, (new, _) in names.items()],
)
def test_renamed_key_names_the_new_one(tmp_path, section, old, new):
    notebook = section.split(".", 1)[1]
    path = write(tmp_path, f"notebooks:\n  {notebook}:\n    {old}: 1\n")
    with pytest.raises(ParameterError) as info:
        params_load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: {section}.{old} was renamed {new}")
    assert "\n" not in message
    # the new name is a key of that notebook
    assert new in defaults_load()["notebooks"][notebook]


def test_renamed_key_message_example(tmp_path):
    path = write(tmp_path, "notebooks:\n  03_rhetoric_comparison:\n    group_col: year\n")
    with pytest.raises(ParameterError) as info:
        params_load(path)
    assert (
        str(info.value)
        == f"{path}: notebooks.03_rhetoric_comparison.group_col was renamed group_by"
    )


# ---- what papermill injects ----


def test_notebook_parameters(tmp_path, nbs):
    params = load(tmp_path, "corpus: data/seeds\n", nbs)
    out = notebook_parameters(params, "01_corpus_overview", tmp_path / "run")
    assert out["corpus_path"] == str(paths.ROOT / "data" / "seeds")
    assert Path(out["corpus_path"]).is_absolute()
    assert out["cache_dir"] is None
    assert out["output_dir"] == str((tmp_path / "run").resolve())
    assert out["seed"] == 7
    assert out["notebook_name"] == "01_corpus_overview"
    assert out["cache_key"] == ""  # no prepared corpus: the notebook prepares it
    assert notebook_parameters(params, "01_corpus_overview", tmp_path, "k1")["cache_key"] == "k1"
    assert out["excerpt_chars"] == 400
    assert out["validation"] == VALIDATION_DEFAULTS
    # a copy: a notebook changing its dict cannot change the next notebook's parameters
    out["validation"]["allowed_levels"].append("x")
    assert params["validation"]["allowed_levels"] == VALIDATION_DEFAULTS["allowed_levels"]


def test_notebook_parameters_absolute_paths_and_cache(tmp_path, nbs):
    params = load(tmp_path, f"corpus: {tmp_path}/c.jsonl\ncache_dir: cache\n", nbs)
    out = notebook_parameters(params, "09_unknown", "rel/out")
    assert out["corpus_path"] == f"{tmp_path}/c.jsonl"
    assert out["cache_dir"] == str(paths.ROOT / "cache")
    assert set(out) == set(COMMON_KEYS)


# ---- the shipped params files ----


def _migrate(pinned: dict, study: str) -> dict:
    # The pinned parameters use the names of before issue 8: rename them as RENAMED says.
    out = {}
    for name, values in pinned.items():
        renamed = RENAMED.get(f"notebooks.{name}", {})
        values = {renamed.get(k, (k,))[0]: v for k, v in values.items()}
        if name == "04_topic_model" and isinstance(values.get("merge_families"), bool):
            # families: false merged no family; true would have merged every shipped one
            assert values["merge_families"] is False
            values["merge_families"] = []
        for key, (old, new) in CHANGED_SINCE_PIN.get(name, {}).items():
            if values.get(key) == old:
                values[key] = new
        chosen = CHOSEN_SINCE_PIN.get(study, {}).get(name, {})
        out[name] = {**ADDED_SINCE_PIN.get(name, {}), **INJECTED_SINCE_PIN, **values, **chosen}
    return out


# Parameters added after the pin (issue 8 item 3: the one adequacy policy), with their defaults.
ADDED_SINCE_PIN = {
    "01_corpus_overview": {"lemma_min_count": 20},
    "02_term_frequency": {
        "min_docs": 10,
        "min_actors": 5,
        "min_tokens": 20000,
        "n_boot": 1000,
        "ci_level": 0.95,
        "kwic_coding_size": 10,
        "kwic_coded": "",
    },
    "03_rhetoric_comparison": {
        "min_tokens": 20000,
        "drop_names": True,
        # issue 9 item 5: genres without quotation conventions are not searched for quotes
        "quote_skip_doc_types": ["interpellation", "parliamentary_speech"],
    },
    "04_topic_model": {
        "min_units": 200, "min_terms": 300, "min_tokens": 20000, "drop_names": True,
        # issue 11: k on stability and coherence, convergence checked, fits in parallel
        "min_stable_share": 0.75, "compare_unstable": False, "evaluate_every": 5,
        "perp_tol": 0.1, "nmf_tol": 1e-4, "n_jobs": 0,
        # issue 14: a corpus of more units is fitted on a seeded sample
        "fit_max_units": 20000,
    },
}  # fmt: skip
# Defaults changed since the pin, (old, new); a study that chose another value keeps it.
# Issue 11: `method: auto` (NMF above a measured size) and iterations enough to converge.
CHANGED_SINCE_PIN = {"04_topic_model": {"method": ("lda", "auto"), "max_iter": (50, 200)}}
# Set by a shipped study since the pin, per notebook.
CHOSEN_SINCE_PIN: dict = {
    # issue 11: NMF, a grid around the chosen k, iterations to convergence (the LDA speed
    # settings max_iter 10, mean_change_tol 0.01, max_doc_update_iter 30 are gone)
    "policy-sv.yaml": {
        "04_topic_model": {"method": "nmf", "k_grid": [10, 15, 20, 25], "max_iter": 500,
                           "mean_change_tol": 0.001, "max_doc_update_iter": 100},
    },
}  # fmt: skip
# Injected into every notebook since the run prepares the corpus once (issue 8 item 4),
# and the documents and strata a study analyses (issue 10), and where the notebooks count
# the shards (issue 14).
INJECTED_SINCE_PIN = {"cache_key": "", "subset": {}, "strata": "", "engine": "local"}


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_params_files_give_the_parameters_of_before(name):
    # Pinned from the code before the defaults moved into the parameters cells: what each
    # notebook ran with (its cell overridden by what the runner injected).
    pinned = json.loads((paths.ROOT / "tests/fixtures/params_effective.json").read_text())[name]
    params = params_load(paths.PARAMS_DIR / name)
    got = {}
    for nb in sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")):
        injected = notebook_parameters(params, nb.stem, "/OUT")
        effective = {**notebook_defaults(nb), **injected}
        text = json.dumps(effective, sort_keys=True, ensure_ascii=False)
        # Paths depend on where the checkout sits: the repository and the shared folder beside it.
        shared = str((paths.ROOT.parent / "shared").resolve())
        text = text.replace(shared, "<PARENT>/shared").replace(str(paths.ROOT), "<ROOT>")
        got[nb.stem] = json.loads(text)
    assert got == _migrate(pinned, name)


def _leaves(data: dict, prefix: str = ""):
    for key, value in data.items():
        if isinstance(value, dict) and key in ("validation", "cleaning", "notebooks"):
            yield from _leaves(value, f"{prefix}{key}.")
        elif isinstance(value, dict) and prefix == "notebooks.":
            yield from _leaves(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_params_files_repeat_no_default(name):
    # A study lists what it chooses; a value equal to the default is a second home for it
    # (it would silently stay behind when the default changes). corpus and seed are the
    # two choices every study states.
    defaults = dict(_leaves(defaults_load()))
    for key, value in _leaves(yaml_read(paths.PARAMS_DIR / name) or {}):
        assert key in defaults, f"params/{name}: {key}: no notebook or setting has this key"
        if key not in ("corpus", "seed"):
            assert value != defaults[key], f"params/{name}: {key}: repeats the default {value!r}"


def test_default_study_is_what_run_all_runs():
    # params/default.yaml and the parameters cells describe the same study: the seed
    # corpus, the same seed, nothing else (so Run All and `ordbruk run` agree).
    data = yaml_read(paths.PARAMS_DIR / "default.yaml")
    assert set(data) == {"corpus", "seed"}
    assert params_load() == defaults_load()
    for nb in sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")):
        cell = notebook_defaults(nb)
        assert (cell["corpus_path"], cell["seed"]) == (data["corpus"], data["seed"]), nb.name


@pytest.mark.parametrize(
    "notebook", sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.stem
)
def test_shipped_parameters_cells_are_typed_and_commented(notebook):
    # The cells are where a study's author reads what a key means and what it defaults to.
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    cell = next(c for c in cells if "parameters" in c["metadata"].get("tags", []))
    source = "".join(cell["source"])
    lines = source.splitlines()
    for node in ast.parse(source).body:
        assert isinstance(node, ast.AnnAssign), f"{notebook.name}: line {node.lineno} untyped"
        name, kind = node.target.id, node.annotation.id
        value = ast.literal_eval(node.value)
        assert type(value).__name__ == kind, f"{notebook.name}: {name}: {kind} = {value!r}"
        span = lines[node.lineno - 1 : node.end_lineno]
        assert any("  # " in line for line in span), f"{notebook.name}: {name}: no comment"
