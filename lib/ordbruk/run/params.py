"""Study parameters: where the defaults live, a study file checked against them, what a notebook gets.

Every default has one home. A notebook's keys take their defaults from its ``parameters``
cell (papermill's convention, so *Run All* runs on them; ``notebook_defaults`` reads the
cell), the ``cleaning`` settings from ``ordbruk.text.cleaning.CLEANING_DEFAULTS`` (checked
by ``cleaning.settings_check``), the ``validation`` settings from ``ordbruk.corpus.validate``.
A study is one YAML file in ``params/`` that lists only what it chooses
(``params/default.yaml``: the seed corpus and the seed). It may not name a key that no
notebook or setting has, give a value of another type, or use a renamed key: each fails at
once with a one-line message naming the file and the key, instead of being silently
ignored; so does a value outside its range (``ordbruk.run.limits.LIMITS``).
``params_load`` returns the complete parameters (defaults overridden by the file), which
provenance records; ``notebook_parameters`` turns them into the values papermill
injects into one notebook (the contract at the end of ``docs/architecture.md``).
"""

from __future__ import annotations

import ast
import copy
import json
from pathlib import Path
from typing import Any

from ordbruk import paths
from ordbruk.corpus.validate import DEFAULT_LEVELS
from ordbruk.engine import ENGINE_DEFAULT, engine_check
from ordbruk.errors import ParameterError
from ordbruk.resources import yaml_read
from ordbruk.run.limits import limits_check
from ordbruk.text.cleaning import CLEANING_DEFAULTS, settings_check
from ordbruk.text.shards import SHARD_TOKENS
from ordbruk.text.subset import subset_spec_check

DEFAULT_PARAMS_PATH = paths.PARAMS_DIR / "default.yaml"

# Keys the runner itself injects into every notebook (each parameters cell declares them);
# a notebook section may not redefine them.
COMMON_KEYS = (
    "corpus_path",
    "cache_dir",
    "output_dir",
    "seed",
    "validation",
    "cleaning",
    "subset",
    "strata",
    "notebook_name",
    "cache_key",
    "engine",
)

#: The ``validation`` settings and their defaults (those of ``corpus_check``).
VALIDATION_DEFAULTS: dict[str, Any] = {
    "allowed_levels": list(DEFAULT_LEVELS),
    "encoding_fallback": None,  # or the name of an encoding, e.g. "cp1252"
}

#: Keys renamed by the naming grammar of issue 8, per section: old name -> (new name, hint).
#: A study file that still uses an old name gets a one-line error naming the new one.
RENAMED: dict[str, dict[str, tuple[str, str]]] = {
    "notebooks.03_rhetoric_comparison": {
        "group_col": ("group_by", ""),
        "remove_stopwords": ("drop_stopwords", ""),
        "level": ("token_level", " (form or lemma)"),
    },
    "notebooks.04_topic_model": {
        "families": ("merge_families", " (a list of family names; [] = none)"),
    },
}


def notebook_defaults(notebook: str | Path) -> dict[str, Any]:
    """Read the defaults of a notebook's keys from its ``parameters`` cell.

    The cell holds literals only (``name: type = literal  # comment``), so it is parsed,
    never executed.

    Args:
        notebook: an ``.ipynb`` file.

    Returns:
        ``{name: default}`` in cell order, the keys the runner injects included; empty
        when the notebook has no cell tagged ``parameters``.

    Raises:
        ParameterError: the notebook cannot be read, or the cell holds anything but
            assignments of literals.
    """
    path = Path(notebook)
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError) as e:
        raise ParameterError(f"{path}: cannot read the notebook ({e})") from None
    cell = next((c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        return {}
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else source
    try:
        tree = ast.parse(source)
    except SyntaxError as e:
        raise ParameterError(f"{path}: parameters cell: line {e.lineno}: {e.msg}") from None
    out: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            target = value = None
        if not isinstance(target, ast.Name):
            raise ParameterError(
                f"{path}: parameters cell: line {node.lineno}: only `name: type = literal` "
                "assignments belong here; derive values in the next cell"
            )
        try:
            out[target.id] = ast.literal_eval(value)
        except ValueError:
            raise ParameterError(
                f"{path}: parameters cell: line {node.lineno}: {target.id}: not a literal; "
                "derive values in the next cell"
            ) from None
    return out


def _common_default(cells: dict[str, dict], key: str, fallback: Any) -> Any:
    values = {name: d[key] for name, d in cells.items() if key in d}
    if len({repr(v) for v in values.values()}) > 1:
        listed = ", ".join(f"{n}: {v!r}" for n, v in values.items())
        raise ParameterError(f"notebooks: parameters cells disagree on {key} ({listed})")
    return next(iter(values.values()), fallback)


def defaults_load(notebooks_dir: str | Path | None = None) -> dict:
    """Return the complete default parameters, in the shape of a params file.

    Args:
        notebooks_dir: the folder of ``NN_*.ipynb`` notebooks (default ``notebooks/``).

    Returns:
        ``corpus`` and ``seed`` (the parameters cells' ``corpus_path`` and ``seed``, on
        which every cell agrees), ``cache_dir`` (None), ``validation``, ``cleaning`` and
        ``notebooks``: ``{notebook name: {key: default}}`` without the injected keys.
    """
    folder = Path(notebooks_dir) if notebooks_dir else paths.NOTEBOOKS_DIR
    found = sorted(folder.glob("[0-9][0-9]_*.ipynb")) if folder.is_dir() else []
    cells = {nb.stem: notebook_defaults(nb) for nb in found}
    return {
        "corpus": _common_default(cells, "corpus_path", ""),
        "cache_dir": None,
        "seed": _common_default(cells, "seed", 0),
        "validation": copy.deepcopy(VALIDATION_DEFAULTS),
        "cleaning": copy.deepcopy(CLEANING_DEFAULTS),
        "subset": {},
        "strata": "",
        "pdf": False,  # a PDF of every report beside its HTML (ordbruk.run.pdf)
        "engine": ENGINE_DEFAULT,  # where the corpus is prepared and counted (ordbruk.engine)
        "shard_tokens": SHARD_TOKENS,  # the size of a shard of the store (text.shards)
        "notebooks": {
            name: {k: v for k, v in d.items() if k not in COMMON_KEYS} for name, d in cells.items()
        },
    }


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "true/false", int: "integer", float: "number", str: "text"}.get(
        type(value), {list: "list", dict: "mapping"}.get(type(value), type(value).__name__)
    )


def _type_ok(value: Any, reference: Any) -> bool:
    # A null default means "optional text or number": the value may be null or a scalar.
    if reference is None:
        return value is None or isinstance(value, str | int | float) and not isinstance(value, bool)
    if isinstance(reference, bool):
        return isinstance(value, bool)
    if isinstance(reference, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(reference, float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(reference, str):
        return isinstance(value, str)
    if isinstance(reference, list):
        if not isinstance(value, list):
            return False
        items = {type(r) for r in reference}
        return not reference or all(any(_type_ok(v, t()) for t in items) for v in value)
    if isinstance(reference, dict):
        return isinstance(value, dict)
    return True


def _section_check(values: dict, reference: dict, where: str, path: Path) -> None:
    renamed = RENAMED.get(where.rstrip("."), {})
    for key, value in values.items():
        if key in renamed and key not in reference:
            new, hint = renamed[key]
            raise ParameterError(f"{path}: {where}{key} was renamed {new}{hint}")
        if key not in reference:
            known = ", ".join(sorted(map(str, reference))) or "(none)"
            raise ParameterError(f"{path}: {where}{key}: unknown key (known keys: {known})")
        if not _type_ok(value, reference[key]):
            raise ParameterError(
                f"{path}: {where}{key}: expected {_type_name(reference[key])}, "
                f"got {_type_name(value)} {value!r}"
            )


_SECTIONS = ("validation", "cleaning", "subset", "notebooks")


def _mapping(value: Any, where: str, path: Path) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ParameterError(f"{path}: {where}: expected a mapping, got {_type_name(value)}")
    return value


def params_validate(data: Any, path: str | Path, defaults: dict | None = None) -> dict:
    """Check a study's parameters against the defaults and fill in the keys it leaves out.

    Args:
        data: parameters as read from YAML.
        path: the file they came from (for messages).
        defaults: the default parameters (default: ``defaults_load()``).

    Returns:
        The complete parameters: defaults overridden by ``data``; ``notebooks`` holds a
        complete section for every notebook.

    Raises:
        ParameterError: unknown or renamed key, wrong type or bad value, naming the file
            and the key.
    """
    path = Path(path)
    defaults = defaults_load() if defaults is None else defaults
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ParameterError(f"{path}: expected a mapping of parameters, got {_type_name(data)}")
    # An empty section ("cleaning:" with nothing under it) is an empty mapping.
    data = {k: {} if v is None and k in _SECTIONS else v for k, v in data.items()}
    _section_check(data, {**defaults, "notebooks": {}}, "", path)
    params = copy.deepcopy(defaults)
    top = ("corpus", "cache_dir", "seed", "strata", "pdf", "engine", "shard_tokens")
    params.update(copy.deepcopy({k: data[k] for k in top if k in data}))
    validation = _mapping(data.get("validation"), "validation", path)
    _section_check(validation, VALIDATION_DEFAULTS, "validation.", path)
    params["validation"].update(copy.deepcopy(validation))
    try:
        params["cleaning"] = settings_check(_mapping(data.get("cleaning"), "cleaning", path))
    except ParameterError as e:
        raise ParameterError(f"{path}: {e}") from None
    try:
        params["subset"] = subset_spec_check(data.get("subset"))
    except ParameterError as e:
        raise ParameterError(f"{path}: {e}") from None
    for name, section in _mapping(data.get("notebooks"), "notebooks", path).items():
        section = _mapping(section, f"notebooks.{name}", path)
        clash = sorted(set(section) & set(COMMON_KEYS))
        if clash:
            raise ParameterError(
                f"{path}: notebooks.{name}.{clash[0]}: reserved name, set it at the top level"
            )
        if name not in params["notebooks"]:
            known = ", ".join(sorted(params["notebooks"]))
            raise ParameterError(
                f"{path}: notebooks.{name}: no such notebook in notebooks/ (known: {known})"
            )
        _section_check(section, params["notebooks"][name], f"notebooks.{name}.", path)
        limits_check(section, f"notebooks.{name}.", path)
        params["notebooks"][name].update(copy.deepcopy(section))
    if not isinstance(params.get("corpus"), str) or not params["corpus"].strip():
        raise ParameterError(f"{path}: corpus: give the corpus path (folder, .jsonl or .csv)")
    if not isinstance(params.get("seed"), int) or isinstance(params["seed"], bool):
        raise ParameterError(f"{path}: seed: expected a non-negative integer")
    limits_check({"seed": params["seed"]}, "", path)
    params["engine"] = engine_check(params["engine"], f"{path}: engine")
    n = params["shard_tokens"]
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ParameterError(f"{path}: shard_tokens: expected a whole number of tokens, at least 1")
    return params


def params_load(path: str | Path | None = None, notebooks_dir: str | Path | None = None) -> dict:
    """Load and validate a params YAML file.

    Args:
        path: the params file; default ``params/default.yaml``.
        notebooks_dir: the notebooks whose parameters cells give the defaults (default
            ``notebooks/``).

    Returns:
        The complete, validated parameters (defaults for every key the file omits).

    Raises:
        ParameterError: the file is missing, not YAML, or has an unknown or renamed key or
            a wrong type.
    """
    path = Path(path) if path else DEFAULT_PARAMS_PATH
    return params_validate(yaml_read(path), path, defaults_load(notebooks_dir))


#: Notebook keys whose value is a file the notebook reads ("" = none or the shipped one).
FILE_KEYS = ("families_file", "framing_path", "kwic_coded")


def params_input_files(params: dict) -> dict[str, Path]:
    """Return the files the parameters name, beside the corpus: inputs of the run.

    Provenance hashes them (a file outside the repository is not covered by the git
    commit); the run checks them again at its end like the corpus.

    Args:
        params: validated parameters.

    Returns:
        ``{"cleaning.boilerplate" | "notebooks.<name>.<key>": absolute path}`` for every
        rules file, family file, framing dictionary and hand-coded KWIC file given, resolved
        as the notebooks resolve them (``paths.path_resolve``), sorted by key.
    """
    out: dict[str, Path] = {}
    rules = (params.get("cleaning") or {}).get("boilerplate")
    if isinstance(rules, str) and rules:
        out["cleaning.boilerplate"] = paths.path_resolve(rules)
    for name, section in sorted((params.get("notebooks") or {}).items()):
        for key in FILE_KEYS:
            value = (section or {}).get(key)
            if isinstance(value, str) and value:
                out[f"notebooks.{name}.{key}"] = paths.path_resolve(value)
    return out


def notebook_parameters(
    params: dict, notebook_name: str, output_dir: str | Path, cache_key: str = ""
) -> dict:
    """Build the parameters papermill injects into one notebook.

    Args:
        params: validated parameters (``params_load``).
        notebook_name: the notebook's file name without ``.ipynb`` (e.g. ``02_term_frequency``).
        output_dir: the run folder the notebook writes tables and figures into.
        cache_key: the key of the corpus the run prepared ("": the notebook prepares it).

    Returns:
        ``corpus_path`` (absolute), ``cache_dir`` (absolute or None), ``output_dir``
        (absolute), ``seed``, ``validation``, ``cleaning``, ``subset``, ``strata``,
        ``notebook_name``, ``cache_key``, ``engine`` (where the notebook counts the
        shards), then the keys of ``notebooks.<notebook_name>``.
    """
    cache_dir = params.get("cache_dir")
    out = {
        "corpus_path": str(paths.path_resolve(params["corpus"])),
        "cache_dir": str(paths.path_resolve(cache_dir)) if cache_dir else None,
        "output_dir": str(Path(output_dir).resolve()),
        "seed": int(params["seed"]),
        "validation": copy.deepcopy(params.get("validation") or {}),
        "cleaning": copy.deepcopy(params.get("cleaning") or {}),
        "subset": copy.deepcopy(params.get("subset") or {}),
        "strata": params.get("strata") or "",
        "notebook_name": notebook_name,
        "cache_key": cache_key,
        "engine": params.get("engine") or "",
    }
    section = (params.get("notebooks") or {}).get(notebook_name) or {}
    out.update(copy.deepcopy(section))
    return out
