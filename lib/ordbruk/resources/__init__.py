"""The shipped Swedish resources and the one loader for them and for the user's YAML files.

This folder holds the data files the library ships: stop words and abbreviations
(``*_sv.txt``, one entry a line, ``#`` starts a comment line), boilerplate rules, term
families, rhetorical markers, the framing dictionary, organisations (YAML), and the
report's stylesheet and templates. Every module reads them through ``resource_text``,
``resource_lines`` or ``resource_yaml``, which read and parse each file once per process;
``yaml_read`` reads a YAML file the user gave (a params file, a family file, a framing
dictionary, a rules file) and turns every way it can fail into a one-line
``ParameterError`` naming the file. YAML is parsed with limits (``YAML_MAX_BYTES``,
``YAML_MAX_DEPTH``, ``YAML_MAX_NODES`` counted with aliases expanded), so a deeply nested
file or an alias bomb fails at once instead of exhausting the stack or the memory of a
later step, and a key given twice in one mapping is an error instead of the last one
silently winning.
"""

from __future__ import annotations

import copy
from collections.abc import Hashable
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ordbruk.errors import ParameterError

RESOURCES_DIR = Path(__file__).resolve().parent
#: Limits of YAML parsing: file size, nesting depth, and nodes with every alias expanded
#: (what a consumer that walks the value, such as a JSON dump, would have to visit).
YAML_MAX_BYTES = 10 * 2**20
YAML_MAX_DEPTH = 100
YAML_MAX_NODES = 1_000_000


class _YamlLimit(yaml.YAMLError):
    """A limit of ``_LimitedLoader`` was passed: ``args`` = (1-based line, what is wrong)."""


class _LimitedLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader with a nesting limit, an expanded-size limit and no duplicate keys."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        # The composer recurses once per level: stop long before Python's recursion limit.
        self._depth += 1
        try:
            if self._depth > YAML_MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise _YamlLimit(
                    mark.line + 1, f"nested deeper than {YAML_MAX_DEPTH} levels; flatten it"
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_document(self, node):
        _nodes_count(node)
        return super().construct_document(node)

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                if isinstance(key, Hashable) and key in seen:
                    raise _YamlLimit(
                        line,
                        f"key {key!r} given twice in one mapping (first on line "
                        f"{seen[key]}); keep one",
                    )
                if isinstance(key, Hashable):
                    seen[key] = line
        return super().construct_mapping(node, deep=deep)


def _nodes_count(root) -> int:
    """Count the nodes of a composed document with aliases expanded; raise past the limit."""
    sizes: dict[int, int] = {}
    # Iterative post-order walk: a shared (aliased) node is sized once and counted per use.
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[id(node)] = 1
            continue
        children = (
            [n for pair in node.value for n in pair]
            if isinstance(node, yaml.MappingNode)
            else list(node.value)
        )
        if done:
            total = 1 + sum(sizes.get(id(c), 0) for c in children)
            if total > YAML_MAX_NODES:
                raise _YamlLimit(
                    node.start_mark.line + 1,
                    f"holds more than {YAML_MAX_NODES:,} values, each use of an alias (*name) "
                    "counting all it stands for; write the values out or split the file",
                )
            sizes[id(node)] = total
        else:
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(root)]


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

    Only plain YAML is accepted (a ``yaml.SafeLoader`` with limits): a tag such as ``!!python/object``
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
        size = path.stat().st_size
        if size > YAML_MAX_BYTES:
            raise ParameterError(
                f"{path}: {size / 2**20:.0f} MB, more than the {YAML_MAX_BYTES // 2**20} MB a "
                "YAML file of settings may have; check that this is the right file"
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ParameterError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ParameterError(f"{path}: cannot read the file ({e})") from None
    return _yaml_parse(text, path)


def _yaml_parse(text: str, path: Path) -> Any:
    try:
        return yaml.load(text, Loader=_LimitedLoader)  # noqa: S506 (a SafeLoader)
    except _YamlLimit as e:
        line, problem = e.args
        raise ParameterError(f"{path}:{line}: {problem}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        if isinstance(e, yaml.constructor.ConstructorError):
            problem = f"{problem}; only plain YAML is read, without tags like !!python"
        raise ParameterError(f"{path}{where}: invalid YAML ({problem})") from None
