"""Fixtures of the terms tests."""

import pytest
from terms_sample import FAMS, META, TEXTS

from ordbruk.terms.locate import terms_locate
from ordbruk.text.corpus import corpus_from_texts


@pytest.fixture(scope="module")
def data():
    c = corpus_from_texts(TEXTS, META)
    hits, _ = terms_locate(c, FAMS)
    return c, hits
