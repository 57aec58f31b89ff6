"""A small folder corpus and the one-error check shared by the corpus tests."""

from ordbruk.corpus.validate import corpus_check

HEADER = "doc_id,actor,actor_level,date\n"
ROWS = "d1,Borås Stad,local,2019-08-23\nd2,Delegationen mot segregation,national,2018-11\n"
TEXTS = {
    "d1.txt": "Skillnaderna i livsvillkor ska minska i Borås.\n".encode(),
    "d2.txt": "Delegationen besöker Borlänge.\n".encode(),
}


def folder_write(root, metadata=HEADER + ROWS, texts=None):
    """Write a folder corpus: metadata.csv (str or bytes) plus text files (name -> bytes)."""
    root.mkdir(parents=True, exist_ok=True)
    data = metadata.encode() if isinstance(metadata, str) else metadata
    (root / "metadata.csv").write_bytes(data)
    for name, content in (TEXTS if texts is None else texts).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    return root


def only_error(path, **kwargs):
    """Check a corpus that must fail with exactly one error, and return that error."""
    raw, problems = corpus_check(path, **kwargs)
    assert raw is None
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1, [str(p) for p in problems]
    return errors[0]
