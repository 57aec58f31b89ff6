"""The whole suite on the seed corpus, as `make report` runs it.

One cold run (fresh cache) and one rerun (cached corpus) of every notebook. The run
folder must hold every report, table and figure, display offline, and the two runs must
give byte-identical CSV tables and SVG figures (determinism).
"""

import json
import re

import pytest
import yaml

from ordbruk.paths import NOTEBOOKS_DIR, PARAMS_DIR
from ordbruk.run import cli

pytestmark = pytest.mark.slow

NOTEBOOKS = sorted(p.stem for p in NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("suite")
    params = yaml.safe_load((PARAMS_DIR / "default.yaml").read_text(encoding="utf-8"))
    params["cache_dir"] = str(base / "cache")
    params_file = base / "params.yaml"
    params_file.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    folders = []
    for name in ("cold", "cached"):
        out = base / name
        assert cli.main(["run", "--params", str(params_file), "--out", str(out)]) == 0
        folders.append(out)
    return folders


def test_every_notebook_reported(runs):
    cold, _ = runs
    assert NOTEBOOKS, "no notebooks found"
    for name in NOTEBOOKS:
        assert (cold / f"{name}.html").stat().st_size > 10_000
        assert (cold / f"{name}.ipynb").exists()
    index = (cold / "index.html").read_text(encoding="utf-8")
    for name in NOTEBOOKS:
        assert f'href="{name}.html"' in index


def test_expected_tables_written_with_notes(runs):
    cold, _ = runs
    expected = {
        "documents.csv", "cleaning_log.csv", "term_counts.csv", "term_forms.csv", "kwic.csv",
        "collocates.csv", "keyness.csv", "fightin_words.csv", "rhetoric_markers.csv",
        "quotes.csv", "topic_selection.csv", "topic_stability.csv", "topic_terms.csv",
        "doc_topics.csv", "topic_prevalence.csv",
    }  # fmt: skip
    tables = {p.name for p in (cold / "tables").glob("*.csv")}
    assert expected <= tables, sorted(expected - tables)
    for csv in (cold / "tables").glob("*.csv"):
        assert csv.with_suffix(".notes.md").exists(), f"{csv.name} has no method notes"
    header = (cold / "tables" / "documents.csv").read_text(encoding="utf-8").splitlines()[0]
    for col in ("doc_id", "actor", "actor_level", "date", "n_tokens", "n_sentences", "lix"):
        assert col in header.split(",")


def test_figures_as_svg_and_png(runs):
    cold, _ = runs
    svgs = sorted((cold / "figures").glob("*.svg"))
    assert svgs
    for svg in svgs:
        assert svg.with_suffix(".png").exists()


def test_reports_display_offline(runs):
    cold, _ = runs
    for html in cold.glob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]+src=", text), html.name
        assert not re.search(r"<link[^>]+href=[\"']https?:", text), html.name
        assert not re.search(r"(src|href)=[\"']https?://[^\"']+\.(js|css)", text), html.name


def test_reports_carry_no_contact_data(runs):
    cold, _ = runs
    phone = re.compile(r"\b0\d{1,3}-\d{2,3}[ \u00a0]?\d{2}[ \u00a0]?\d{2}\b")
    email = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")
    for path in list(cold.glob("*.html")) + list((cold / "tables").glob("*.csv")):
        text = path.read_text(encoding="utf-8")
        assert not phone.search(text), (path.name, phone.search(text).group())
        assert not email.search(text), (path.name, email.search(text).group())


def test_provenance(runs):
    cold, _ = runs
    prov = json.loads((cold / "provenance.json").read_text(encoding="utf-8"))
    text = json.dumps(prov)
    for word in ("commit", "dirty", "python", "numpy", "sha256", "seed"):
        assert word in text, word
    assert "metadata.csv" in text


def test_two_runs_give_identical_tables_and_figures(runs):
    cold, cached = runs
    for kind, pattern in (("tables", "*.csv"), ("figures", "*.svg")):
        names = sorted(p.name for p in (cold / kind).glob(pattern))
        assert names == sorted(p.name for p in (cached / kind).glob(pattern))
        different = [
            n for n in names if (cold / kind / n).read_bytes() != (cached / kind / n).read_bytes()
        ]
        assert not different, f"{kind} differ between two runs: {different}"
