"""Parameter values checked against the corpus before any notebook starts.

``params_validate`` checks keys, types and ranges (``limits``) from the study file alone.
What depends on the corpus is checked here, so that a wrong value stops the run with one
line naming the file, the parameter, the value and what is allowed, instead of failing
in a cell minutes later:

- ``header_check``: before the corpus is prepared (a cold preparation takes minutes), the
  ``group_by`` and ``strata`` columns against the header of a folder corpus's metadata.csv;
- ``values_check``: once it is prepared, the ``groups`` of notebook 03 against the values
  of its ``group_by`` column (at least two to compare, ``groups`` given or not), and the ``k`` and ``k_grid`` of
  notebook 04 against the number of units it models (a k needs fewer topics than training
  units; ``topics.select.topics_grid`` skips the larger values of the grid).
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

from ordbruk import paths
from ordbruk.corpus.metadata import COMPUTED_COLUMNS, REQUIRED_COLUMNS
from ordbruk.errors import ParameterError
from ordbruk.run.limits import columns_check, columns_named
from ordbruk.run.params import defaults_load
from ordbruk.stats.groups import labels_get

RHETORIC, TOPICS = "03_rhetoric_comparison", "04_topic_model"
#: Columns every prepared corpus has beside those of its metadata.csv.
DERIVED_COLUMNS = ("date_precision", "year", *COMPUTED_COLUMNS)


def header_columns(corpus: str | Path) -> list[str] | None:
    """Return the metadata columns of a folder corpus from the first line of its metadata.csv.

    Args:
        corpus: the corpus path (as in the parameters).

    Returns:
        The header's columns (as the reader cleans them) and the derived ones; None when the
        corpus is no folder with a readable metadata.csv header holding the required
        columns (then the preparation reports what is wrong).
    """
    path = paths.path_resolve(corpus) / "metadata.csv"
    try:
        with path.open("rb") as f:
            first = f.readline(1 << 20).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    delimiter = max(",;\t", key=first.count)  # as ordbruk.corpus.readers decides
    header = next(csv.reader([first.rstrip("\r\n")], delimiter=delimiter), [])
    header = [unicodedata.normalize("NFC", h.strip()) for h in header]
    if not set(REQUIRED_COLUMNS) <= set(header):
        return None
    return [*header, *(c for c in DERIVED_COLUMNS if c not in header)]


def header_check(params: dict, params_path, notebooks: list[str]) -> None:
    """Check ``group_by`` and ``strata`` against metadata.csv's header, before preparing.

    Raises:
        ParameterError: a column is missing (``limits.columns_check``'s one line).
    """
    if not columns_named(params, notebooks):
        return
    columns = header_columns(params["corpus"])
    if columns is not None:
        columns_check(params, columns, params_path or "params", notebooks)


def needs_corpus(params: dict, notebooks: list[str]) -> bool:
    """True when ``values_check`` has something to check for these notebooks."""
    return TOPICS in notebooks or RHETORIC in notebooks


def _shown(values, n: int = 12) -> str:
    values = [str(v) for v in values]
    return ", ".join(values[:n]) + (f", ... ({len(values)} in all)" if len(values) > n else "")


def _groups_check(section: dict, meta, where: str) -> None:
    group_by = section["group_by"]
    present = sorted(set(labels_get(meta, group_by, f"{where}group_by")) - {""})
    groups = [str(g) for g in section.get("groups") or []]
    missing = [g for g in groups if g not in present]
    if missing:
        shown = _shown(f"'{g}'" for g in missing) + (" is" if len(missing) == 1 else " are")
        raise ParameterError(f"{where}groups: {shown} not a value of {group_by} in the "
                             f"analysed documents; values: {_shown(present)}")  # fmt: skip
    chosen = groups or present
    if len(chosen) < 2:
        key = "groups" if groups else "group_by"
        raise ParameterError(f"{where}{key}: {group_by} has {len(chosen)} group(s) "
                             f"({_shown(chosen) or 'none'}) in the analysed documents; a "
                             "comparison needs at least two")  # fmt: skip


def _k_check(section: dict, corpus, where: str) -> None:
    unit = section["unit"]
    n = len(corpus.units(unit)[0]) - 1
    share = float(section["test_share"])
    n_train = n - min(max(1, round(share * n)), n - 1) if n >= 2 else 0
    k_max = n_train - 1  # at most: features can only lower it (fewer terms, empty units)
    k, grid = int(section.get("k") or 0), [int(x) for x in section.get("k_grid") or []]
    allowed = f"at most {k_max}" if k_max >= 2 else "none (too few units for a topic model)"
    size = f"{n:,} {unit}s, {n_train:,} of them for training"
    if k == 1:
        raise ParameterError(f"{where}k: 1; give 0 (chosen by the rule) or a k of at least 2")
    if k and k > k_max:
        raise ParameterError(f"{where}k: {k} does not fit the corpus ({size}); a k needs "
                             f"fewer topics than training units: {allowed}")  # fmt: skip
    if not k and grid and min(grid) > k_max:
        raise ParameterError(f"{where}k_grid: {grid}: no k fits the corpus ({size}); a k "
                             f"needs fewer topics than training units: {allowed}")  # fmt: skip


def values_check(params: dict, corpus, params_path, notebooks: list[str]) -> None:
    """Check the values that depend on the prepared corpus (see the module docstring).

    Args:
        params: validated parameters.
        corpus: the opened corpus, its ``subset`` applied (``text.cache.corpus_open``).
        params_path: the params file, for messages.
        notebooks: names of the notebooks that run.

    Raises:
        ParameterError: one line naming the file, the key, the value and what is allowed.
    """
    path = params_path or "params"
    # the notebooks' own defaults (their parameters cells) under the study's values: one home
    # for a default, so a check never tests another value than the notebook will use
    defaults = defaults_load()["notebooks"]
    given = params.get("notebooks") or {}
    sections = {nb: {**defaults.get(nb, {}), **(given.get(nb) or {})} for nb in (RHETORIC, TOPICS)}
    if RHETORIC in notebooks:
        _groups_check(sections[RHETORIC], corpus.meta, f"{path}: notebooks.{RHETORIC}.")
    if TOPICS in notebooks:
        _k_check(sections[TOPICS], corpus, f"{path}: notebooks.{TOPICS}.")
