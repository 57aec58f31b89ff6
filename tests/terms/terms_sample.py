"""A three-document corpus with two term families, shared by the terms tests.

Document x has two samverkan uses and one segregation mention masked inside
"Delegationen mot segregation"; y has none; z has one use of each.
"""

from ordbruk.terms import families as T

TEXTS = [
    "Vi vill öka samverkan, sa hon.\n\nSamverkans- och samordningsformer är bra för "
    "Delegationen mot segregation.",
    "Ingen träff här.",
    "Segregation minskar. Samverkan!",
]
META = [
    {"doc_id": "x", "actor": "A", "actor_level": "local", "date": "2020-02-01"},
    {"doc_id": "y", "actor": "B", "actor_level": "national", "date": "2018"},
    {"doc_id": "z", "actor": "B", "actor_level": "national", "date": "2016-05"},
]
FAMS = [
    T.family_from_spec("samverkan", {"stems": ["samverkan"], "endings": ["", "s"]}),
    T.family_from_spec(
        "segregation", {"stems": ["segregation"], "masks": ["Delegationen mot segregation"]}
    ),
]
