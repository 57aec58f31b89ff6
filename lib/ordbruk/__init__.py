"""ordbruk: reproducible notebooks for analysing Swedish policy discourse.

The library behind the notebooks in ``notebooks/``. One module per analysis family:
``corpus`` (loading and validation), ``cleaning`` (boilerplate removal and redaction),
``tokens`` (Swedish tokens, sentences, lemmas, stop words), ``prepare`` (the processed,
cached corpus), ``readability`` (LIX, MTLD, MATTR), ``terms`` (term families and
frequencies), ``keyness``, ``rhetoric`` and ``quotes`` (rhetoric comparison), ``topics``
(topic models), ``report`` (tables and figures with method notes), ``runner`` and
``provenance`` (the papermill runner).
"""

from ordbruk.errors import OrdbrukError

__version__ = "0.1.0"

__all__ = ["OrdbrukError", "__version__"]
