"""The clean-output check (report.clean), the citation (report.cite) and CITATION.cff."""

import yaml

from ordbruk import __version__, paths
from ordbruk.report.cite import cite_html, cite_text
from ordbruk.report.clean import report_problems


def test_clean_report_has_no_problems():
    page = (
        "<html><style>{'css': 1}</style><body><h1>Title</h1><p>5 documents, 1,570 tokens;"
        " data/seeds, policy-sv.</p>"
        '<details class="source-listing"><summary>Source of f</summary>'
        "<pre><code>def f(x):\n    return {'a': 1}</code></pre></details>"
        '<img src="data:image/png;base64,AAAA/tmp/work="></body></html>'
    )
    assert report_problems(page) == []


def test_debug_output_found():
    cases = {
        "a Python dict": "<pre>{'n_documents': 5674, 'cache_hit': True}</pre>",
        "an object repr": "<p>&lt;ordbruk.text.corpus.Corpus object at 0x7f3a2b&gt;</p>",
        "a pandas dtype line": "<pre>0    1\nName: n, dtype: int64</pre>",
        "a NumPy array repr": "<pre>array([1, 2])</pre>",
        "a traceback": '<pre>Traceback (most recent call last):\n  File "x"</pre>',
        "a source listing": "<pre>def form_rule(fam: TermFamily, form: str) -> str:\n    x</pre>",
        "an absolute local path": "<p>Corpus <code>/work/wt/x/data/seeds</code></p>",
    }
    for what, page in cases.items():
        found = report_problems(page)
        assert any(f.startswith(what) for f in found), (what, found)


def test_cite_text_names_repository_version_commit_and_provenance():
    git = {"commit": "fa06df27a7a98a3c90bb32e2334fc00ba85c5525", "dirty": True}
    text = cite_text(git, "20261203-x", "0.1.0")
    assert text == (
        "ordbruk developers. ordbruk (version 0.1.0, commit fa06df27a7a9, with uncommitted "
        "changes). Run 20261203-x; parameters, versions and input checksums in provenance.json."
    )
    assert "no git commit recorded" in cite_text({}, "r")
    assert f"version {__version__}" in cite_text(None, "r")
    block = cite_html(git, "<r>", link="provenance.json")
    assert '<a href="provenance.json">provenance.json</a>' in block and "&lt;r&gt;" in block


def test_citation_cff_parses_and_matches_the_package():
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["title"] and cff["type"] == "software"
    assert cff["authors"] == [{"name": "ordbruk developers"}]
    assert cff["version"] == __version__
    assert "repository-code" not in cff  # no address is known; never a guessed one


def test_path_report_names_no_local_folder():
    assert paths.path_report("data/seeds") == "data/seeds"
    assert paths.path_report(paths.ROOT / "data" / "seeds") == "data/seeds"
    assert paths.path_report("/srv/corpora/policy-sv") == "policy-sv"
    assert paths.path_report("../shared/corpora/policy-sv") == "policy-sv"
    assert paths.path_report("") == ""


def test_local_paths_outside_the_usual_roots_are_found(monkeypatch):
    # review: only /home, /root, /tmp, /work and /Users were looked for
    for page in (
        "<p>/srv/corpora/policy/texts</p>",
        "<p>/mnt/data/x</p>",
        "<p>C:\\Users\\anna\\corpus</p>",
    ):
        assert any(f.startswith("an absolute local path") for f in report_problems(page)), page
    monkeypatch.setattr(paths, "ROOT", paths.Path("/u/k/ordbruk"))
    assert report_problems("<p>see /u/k/ordbruk/data/seeds</p>")
    # a fraction, a date or a URL is no path
    assert report_problems("<p>10/20 · 2024/25 · https://example.org/srv/x</p>") == []
