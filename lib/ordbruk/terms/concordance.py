"""Where the terms occur: KWIC lines and positions in documents.

KWIC lines are cut from the cleaned, redacted text (``Corpus.texts``) so they read as the
document does, with punctuation: a hit's tokens span the characters from the first
token's offset to the last token's end (``Corpus.char_starts``, kept at tokenisation),
so a hit at token position p maps exactly onto the text. The word left and right of each
match (as lowercase forms) are columns to sort on. ``dispersion_positions`` gives each
hit's relative position in its document for the dispersion plot (``terms.plots``),
documents ordered by date.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ordbruk.errors import ParameterError
from ordbruk.stats.actors import rng_make

# Context first, as a concordance is read; then where it comes from.
KWIC_COLUMNS = [
    "family",
    "left",
    "match",
    "right",
    "doc_id",
    "actor",
    "actor_level",
    "date",
    "left_word",
    "right_word",
    "masked",
    "token_pos",
]
_SPACE = re.compile(r"\s+")


def _context(text: str, a: int, b: int) -> str:
    return _SPACE.sub(" ", text[a:b]).strip()


def kwic_build(corpus, hits: pd.DataFrame, width: int = 60) -> pd.DataFrame:
    """Build keyword-in-context lines for hits.

    Args:
        corpus: the ``ordbruk.text.corpus.Corpus`` the hits come from.
        hits: ``terms.locate.terms_locate`` hits (masked hits are included, flagged
            ``masked``).
        width: characters of context on each side (cut back to a whole word).

    Returns:
        One row per hit (``KWIC_COLUMNS``), in corpus order: left, match and right are
        text as written (whitespace collapsed); left_word and right_word are the
        lowercase neighbouring tokens ("" at a document edge), for sorting; token_pos is
        the match's first token within its document (0 = first), with doc_id and family
        a stable id of the line.
    """
    if width < 0:
        raise ParameterError(f"kwic width={width}: give 0 or more characters")
    form_ids = corpus.ids("form")
    h = hits.sort_values("start", kind="stable")
    start = h["start"].to_numpy(dtype=np.int64)
    length = h["length"].to_numpy(dtype=np.int64)
    doc = h["doc"].to_numpy(dtype=np.int64)
    char_a = corpus.char_starts[start]
    char_b = corpus.char_ends(start + length - 1)
    doc_end = corpus.doc_starts[doc + 1]
    rows = []
    for r in range(len(start)):
        text = corpus.texts[doc[r]]
        a, b = int(char_a[r]), int(char_b[r])
        lo_c, hi_c = max(0, a - width), min(len(text), b + width)
        left, right = _context(text, lo_c, a), _context(text, b, hi_c)
        # A word cut by the width is dropped, so contexts start and end on whole words.
        if 0 < lo_c < a and text[lo_c - 1].isalnum() and text[lo_c].isalnum():
            left = left.split(" ", 1)[1] if " " in left else ""
        if b < hi_c < len(text) and text[hi_c - 1].isalnum() and text[hi_c].isalnum():
            right = right.rsplit(" ", 1)[0] if " " in right else ""
        first, after = int(start[r]), int(start[r] + length[r])
        lw = corpus.forms[form_ids[first - 1]] if first > corpus.doc_starts[doc[r]] else ""
        rw = corpus.forms[form_ids[after]] if after < doc_end[r] else ""
        rows.append((r, left, _context(text, a, b), right, lw, rw))
    cols = ["row", "left", "match", "right", "left_word", "right_word"]
    df = pd.DataFrame(rows, columns=cols)
    order = df["row"].to_numpy(dtype=np.int64)
    df["family"] = h["family"].to_numpy()[order]
    df["masked"] = h["masked"].to_numpy(dtype=bool)[order]
    df["token_pos"] = (start - corpus.doc_starts[doc])[order]
    meta = corpus.meta
    for c in ("doc_id", "actor", "actor_level", "date"):
        df[c] = meta[c].to_numpy()[doc[order]] if c in meta.columns else ""
    return df[KWIC_COLUMNS]


def kwic_sort(kwic: pd.DataFrame, by: str = "right") -> pd.DataFrame:
    """Sort KWIC lines within each family by the word right (or left) of the match.

    Args:
        kwic: ``kwic_build`` lines.
        by: "right" or "left".

    Returns:
        The lines sorted by family, then the neighbouring word, then the match.
    """
    if by not in ("left", "right"):
        raise ParameterError(f"kwic sort by={by!r}: use 'left' or 'right'")
    return kwic.sort_values(["family", f"{by}_word", "match"], kind="stable", ignore_index=True)


def kwic_sample(kwic: pd.DataFrame, n: int, seed: int, masked: bool = False) -> pd.DataFrame:
    """Draw up to ``n`` lines per family at random (reproducible), ordered by date.

    Args:
        kwic: ``kwic_build`` lines.
        n: lines per family.
        seed: the study seed (``ordbruk.stats.actors.rng_make``).
        masked: include masked mentions (default: uses only).

    Returns:
        The sample, sorted by family and date.
    """
    rng = rng_make(seed)
    pool = kwic if masked else kwic[~kwic["masked"]]
    parts = []
    for _fam, g in pool.groupby("family", sort=True):
        take = rng.choice(len(g), size=min(n, len(g)), replace=False)
        parts.append(g.iloc[np.sort(take)])
    if not parts:
        return pool.iloc[0:0]
    return pd.concat(parts).sort_values(["family", "date"], kind="stable", ignore_index=True)


def dispersion_positions(corpus, hits: pd.DataFrame) -> pd.DataFrame:
    """Relative position of each use in its document, documents ranked by date.

    Args:
        corpus: the corpus the hits come from.
        hits: ``terms_locate`` hits (masked hits are left out).

    Returns:
        family, doc_id, date, position (0 = first token, 1 = last) and doc_rank (0 =
        earliest document with any use; undated documents last).
    """
    h = hits[~hits["masked"].to_numpy(dtype=bool)]
    d = h["doc"].to_numpy(dtype=np.int64)
    a = corpus.doc_starts[d]
    n = np.maximum(corpus.doc_starts[d + 1] - a - 1, 1)
    dates = corpus.meta["date"].astype(str).to_numpy()
    with_hits = np.unique(d)
    order = sorted(with_hits, key=lambda i: (dates[i] == "", dates[i], i))
    rank = {doc: r for r, doc in enumerate(order)}
    return pd.DataFrame(
        {
            "family": h["family"].to_numpy(),
            "doc_id": corpus.meta["doc_id"].to_numpy()[d],
            "date": dates[d],
            "position": (h["start"].to_numpy() - a) / n,
            "doc_rank": [rank[i] for i in d],
        }
    )
