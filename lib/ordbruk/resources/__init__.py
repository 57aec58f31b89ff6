"""The shipped Swedish resources and the one loader for them and for the user's YAML files.

This folder holds the data files the library ships: stop words and abbreviations
(``*_sv.txt``, one entry a line, ``#`` starts a comment line), boilerplate rules, term
families, rhetorical markers, the framing dictionary, organisations (YAML), and the
report's stylesheet and templates. Every module reads them through ``resource_text``,
``resource_lines`` or ``resource_yaml``, which read and parse each file once per process;
``yaml_read`` reads a YAML file the user gave (a params file, a family file, a framing
dictionary, a rules file) and turns every way it can fail into a one-line
``ParameterError`` naming the file.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ordbruk.errors import ParameterError

RESOURCES_DIR = Path(__file__).resolve().parent


def resource_path(name: str) -> Path:
    """Return the path of a file shipped in ``lib/ordbruk/resources``.

    Args:
        name: the file name relative to the resources folder (e.g. ``"markers.yaml"``).

    Returns:
        The absolute path (which may not exist: use ``resource_text`` to read).
    """
    return RESOURCES_DIR / name


@cache
def resource_text(name: str) -> str:
    """Return the text of a shipped file, read once per process.

    Args:
        name: the file name relative to the resources folder.

    Returns:
        The file's text (UTF-8).

    Raises:
        FileNotFoundError: no such shipped file (an installation fault, not a user error).
    """
    return resource_path(name).read_text(encoding="utf-8")


@cache
def resource_lines(name: str) -> tuple[str, ...]:
    """Return the entries of a shipped word list: stripped lines, blanks and ``#`` lines left out.

    Args:
        name: the file name relative to the resources folder (e.g. ``"stopwords_sv.txt"``).

    Returns:
        The entries in file order.
    """
    lines = (s.strip() for s in resource_text(name).splitlines())
    return tuple(s for s in lines if s and not s.startswith("#"))


@cache
def _resource_parsed(name: str) -> Any:
    return _yaml_parse(resource_text(name), resource_path(name))


def resource_yaml(name: str) -> Any:
    """Return a shipped YAML file parsed, parsed once per process.

    Args:
        name: the file name relative to the resources folder (e.g. ``"framing.yaml"``).

    Returns:
        The parsed value, a fresh copy on every call (a caller may change it freely).

    Raises:
        ParameterError: the file is not valid YAML (a shipped file edited by hand).
    """
    return copy.deepcopy(_resource_parsed(name))


def yaml_read(path: str | Path) -> Any:
    """Read a YAML file of the user's, turning every failure into a one-line ``ParameterError``.

    Only plain YAML is accepted (``yaml.safe_load``): a tag such as ``!!python/object``
    is refused, never executed.

    Args:
        path: the YAML file.

    Returns:
        The parsed YAML value (None for an empty file).

    Raises:
        ParameterError: the file is missing, unreadable, not valid YAML or uses a tag
            plain YAML does not have; the message names the file (and the line).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ParameterError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ParameterError(f"{path}: cannot read the file ({e})") from None
    return _yaml_parse(text, path)


def _yaml_parse(text: str, path: Path) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        if isinstance(e, yaml.constructor.ConstructorError):
            problem = f"{problem}; only plain YAML is read, without tags like !!python"
        raise ParameterError(f"{path}{where}: invalid YAML ({problem})") from None
