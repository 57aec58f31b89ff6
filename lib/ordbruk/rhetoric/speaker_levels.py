"""The actor level of a quoted speaker, inferred from their organisation or role.

The ordered rules and municipality names of ``resources/organisations.yaml`` map an
organisation as written ("Borlänge kommun", "Länsstyrelsen i ...") or a role
("kommunalrådet", "socialminister") to national, regional, local or other.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ordbruk.resources import resource_yaml


@lru_cache(maxsize=1)
def _level_rules() -> tuple[list[tuple[str, re.Pattern]], re.Pattern]:
    cfg = resource_yaml("organisations.yaml")
    rules = [(r["level"], re.compile(r["pattern"], re.IGNORECASE)) for r in cfg["rules"]]
    names = sorted(cfg["municipalities"], key=len, reverse=True)
    munis = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")s?\b")
    return rules, munis


def level_infer(organisation: str, role: str = "") -> str:
    """Infer an actor level from an organisation, falling back on the role.

    Args:
        organisation: organisation as written ("Borlänge kommun", "Länsstyrelsen i ...").
        role: the speaker's role ("kommunalrådet"), used when the organisation says nothing.

    Returns:
        "national", "regional", "local", "other" or "unknown".
    """
    rules, munis = _level_rules()
    for text in (organisation, role):
        if not text:
            continue
        for level, pattern in rules:
            if pattern.search(text):
                return level
        if munis.search(text):
            return "local"
    return "unknown"
