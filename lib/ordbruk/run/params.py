"""Study parameters: load and validate a params YAML file, and build notebook parameters.

A study is described by one YAML file in ``params/``. ``params/default.yaml`` is the
reference: a study file may leave keys out (they take the default values) but may not
add keys the reference does not know, nor give a value of another type, so a typo fails
at once with a message naming the file and the key instead of being silently ignored.
``notebook_parameters`` turns the validated parameters into the values papermill
injects into one notebook (the contract at the end of ``docs/architecture.md``).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from ordbruk import paths
from ordbruk.errors import ParameterError

DEFAULT_PARAMS_PATH = paths.PARAMS_DIR / "default.yaml"

# Used when params/default.yaml is not available (a wheel install): the top-level
# structure every params file must have, with values of the expected types.
_BUILTIN_REFERENCE: dict[str, Any] = {
    "corpus": "data/seeds",
    "cache_dir": None,
    "seed": 0,
    "validation": {"allowed_levels": ["national"], "encoding_fallback": None},
    "cleaning": {},
    "notebooks": {},
}

# Keys the runner itself injects; a notebook section may not redefine them.
COMMON_KEYS = (
    "corpus_path",
    "cache_dir",
    "output_dir",
    "seed",
    "validation",
    "cleaning",
    "notebook_name",
    "cache_key",
)

# Sections whose keys are checked one by one against the reference.
_STRICT_SECTIONS = ("validation", "cleaning")


def yaml_read(path: str | Path) -> Any:
    """Read a YAML file, turning parse errors into a one-line ``ParameterError``.

    Args:
        path: the YAML file.

    Returns:
        The parsed YAML value.

    Raises:
        ParameterError: the file is missing or is not valid YAML.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ParameterError(f"{path}: parameter file not found") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ParameterError(f"{path}: cannot read parameter file ({e})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ParameterError(f"{path}{where}: invalid YAML ({problem})") from None


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


#: Switches that also take a file path instead of true/false.
_SWITCH_OR_PATH = {"cleaning.boilerplate"}


def _section_check(values: dict, reference: dict, where: str, path: Path) -> None:
    for key, value in values.items():
        if key not in reference:
            known = ", ".join(sorted(map(str, reference))) or "(none)"
            raise ParameterError(f"{path}: {where}{key}: unknown key (known keys: {known})")
        if f"{where}{key}" in _SWITCH_OR_PATH and isinstance(value, str):
            continue
        if not _type_ok(value, reference[key]):
            raise ParameterError(
                f"{path}: {where}{key}: expected {_type_name(reference[key])}, "
                f"got {_type_name(value)} {value!r}"
            )


def _merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def reference_load(reference_path: str | Path | None = None) -> dict:
    """Return the reference parameters the structure of every params file is checked against.

    Args:
        reference_path: a params YAML to use as reference; default ``params/default.yaml``
            (or a built-in minimal structure when that file does not exist).

    Returns:
        The reference parameters as a dict.
    """
    path = Path(reference_path) if reference_path else DEFAULT_PARAMS_PATH
    if reference_path is None and not path.exists():
        return copy.deepcopy(_BUILTIN_REFERENCE)
    data = yaml_read(path)
    if not isinstance(data, dict):
        raise ParameterError(f"{path}: expected a mapping of parameters at the top level")
    return data


def params_validate(data: Any, path: str | Path, reference: dict | None = None) -> dict:
    """Check parameters against the reference and fill in the keys they leave out.

    Args:
        data: parameters as read from YAML.
        path: the file they came from (for messages).
        reference: reference parameters (default: ``reference_load()``).

    Returns:
        The complete parameters: reference values overridden by ``data``.

    Raises:
        ParameterError: unknown key, wrong type or bad value, naming the file and key.
    """
    path = Path(path)
    reference = reference_load() if reference is None else reference
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ParameterError(f"{path}: expected a mapping of parameters, got {_type_name(data)}")
    _section_check(data, reference, "", path)
    for section in _STRICT_SECTIONS:
        if isinstance(data.get(section), dict) and isinstance(reference.get(section), dict):
            _section_check(data[section], reference[section], f"{section}.", path)
    ref_notebooks = reference.get("notebooks") or {}
    for name, section in (data.get("notebooks") or {}).items():
        if section is None:
            data["notebooks"][name] = section = {}
        if not isinstance(section, dict):
            raise ParameterError(
                f"{path}: notebooks.{name}: expected a mapping, got {_type_name(section)}"
            )
        clash = sorted(set(section) & set(COMMON_KEYS))
        if clash:
            raise ParameterError(
                f"{path}: notebooks.{name}.{clash[0]}: reserved name, set it at the top level"
            )
        # Notebooks the reference does not know are checked only for existing: a new
        # notebook in notebooks/ is fine, a misspelt name would silently run on defaults.
        if isinstance(ref_notebooks.get(name), dict):
            _section_check(section, ref_notebooks[name], f"notebooks.{name}.", path)
        elif not (paths.NOTEBOOKS_DIR / f"{name}.ipynb").exists():
            known = ", ".join(sorted(ref_notebooks))
            raise ParameterError(
                f"{path}: notebooks.{name}: no such notebook in notebooks/ (known: {known})"
            )
    params = _merge(reference, data)
    if not isinstance(params.get("corpus"), str) or not params["corpus"].strip():
        raise ParameterError(f"{path}: corpus: give the corpus path (folder, .jsonl or .csv)")
    if not isinstance(params.get("seed"), int) or params["seed"] < 0:
        raise ParameterError(f"{path}: seed: expected a non-negative integer")
    return params


def params_load(path: str | Path | None = None, reference_path: str | Path | None = None) -> dict:
    """Load and validate a params YAML file.

    Args:
        path: the params file; default ``params/default.yaml``.
        reference_path: the reference structure; default ``params/default.yaml``.

    Returns:
        The complete, validated parameters (reference values for keys the file omits).

    Raises:
        ParameterError: the file is missing, not YAML, or has an unknown key or a wrong type.
    """
    path = Path(path) if path else DEFAULT_PARAMS_PATH
    reference = reference_load(reference_path)
    return params_validate(yaml_read(path), path, reference)


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
        (absolute), ``seed``, ``validation``, ``cleaning``, ``notebook_name``,
        ``cache_key``, then the keys of ``notebooks.<notebook_name>``.
    """
    cache_dir = params.get("cache_dir")
    out = {
        "corpus_path": str(paths.path_resolve(params["corpus"])),
        "cache_dir": str(paths.path_resolve(cache_dir)) if cache_dir else None,
        "output_dir": str(Path(output_dir).resolve()),
        "seed": int(params["seed"]),
        "validation": copy.deepcopy(params.get("validation") or {}),
        "cleaning": copy.deepcopy(params.get("cleaning") or {}),
        "notebook_name": notebook_name,
        "cache_key": cache_key,
    }
    section = (params.get("notebooks") or {}).get(notebook_name) or {}
    out.update(copy.deepcopy(section))
    return out
