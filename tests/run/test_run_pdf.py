"""PDF copies of the reports (ordbruk.run.pdf): the flag and parameter, the renderer check, a print."""

import json
import shutil
import time
from pathlib import Path

import pytest

from ordbruk import paths
from ordbruk.errors import OrdbrukError, ParameterError
from ordbruk.run import cli, pdf
from ordbruk.run.params import defaults_load, params_validate

HAS_CHROMIUM = any(shutil.which(n) for n in pdf.RENDERERS)
needs_chromium = pytest.mark.skipif(
    not HAS_CHROMIUM, reason="no chromium/chromium-browser/google-chrome on PATH"
)


def _defaults():
    # The real defaults (every top-level key, engine and shard_tokens included), with a
    # corpus and no notebooks, so the test follows the parameters as they grow.
    return {**defaults_load(), "corpus": "c", "seed": 1, "notebooks": {}}


def test_pdf_parameter_default_and_type(tmp_path):
    assert params_validate({}, tmp_path / "p.yaml", _defaults())["pdf"] is False
    assert params_validate({"pdf": True}, tmp_path / "p.yaml", _defaults())["pdf"] is True
    with pytest.raises(ParameterError, match=r"p\.yaml: pdf: expected true/false, got text"):
        params_validate({"pdf": "yes"}, tmp_path / "p.yaml", _defaults())


def test_pdf_is_a_default_of_the_shipped_parameters():
    from ordbruk.run.params import params_load

    assert params_load(paths.PARAMS_DIR / "default.yaml")["pdf"] is False


def test_pdf_flag_parsed():
    args = cli.parser_build().parse_args(["run", "--pdf", "--only", "01"])
    assert args.pdf is True and args.only == ["01"]
    assert cli.parser_build().parse_args(["run"]).pdf is False


def test_no_renderer_names_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no chromium
    with pytest.raises(OrdbrukError, match=r"apt-get install chromium"):
        pdf.renderer_find()


def test_run_pdf_without_renderer_stops_before_anything_runs(
    one_notebook, monkeypatch, tmp_path, capsys
):
    nb = one_notebook
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    out = tmp_path / "run"
    assert cli.main(["run", "--pdf", "--notebooks", str(nb), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # not even the corpus was prepared
    err = captured.err.splitlines()
    assert len(err) == 1 and err[0].startswith("error: --pdf: no PDF renderer found")
    assert "apt-get install chromium" in err[0]
    assert not out.exists() and not (tmp_path / "cache").exists()


def test_pdf_parameter_also_checks_up_front(monkeypatch, tmp_path, capsys):
    study = tmp_path / "study.yaml"
    study.write_text(f"corpus: {paths.SEEDS_DIR}\npdf: true\n", encoding="utf-8")
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    assert cli.main(["run", "--params", str(study), "--out", str(tmp_path / "run")]) == 2
    assert "no PDF renderer" in capsys.readouterr().err


def test_failed_print_leaves_no_file(tmp_path):
    html = tmp_path / "r.html"
    html.write_text("<p>x</p>", encoding="utf-8")
    fake = tmp_path / "fake-chromium"
    fake.write_text("#!/bin/sh\nfor a; do case $a in --print-to-pdf=*) printf half > ${a#*=};; "
                    "esac; done\nexit 3\n")  # fmt: skip
    fake.chmod(0o755)
    renderer = {"renderer": "fake", "path": str(fake), "version": "0"}
    with pytest.raises(OrdbrukError, match=r"r\.html: printing to PDF with fake failed \(exit"):
        pdf.pdf_write(html, tmp_path / "r.pdf", renderer)
    assert not (tmp_path / "r.pdf").exists()
    assert not list(tmp_path.glob(".chromium-*"))  # the profile is removed too


def test_timeout_kills_the_renderers_children_too(tmp_path):
    # review: subprocess.run's timeout killed only the parent; Chromium's children kept
    # running (and writing into the profile folder that was being removed)
    html = tmp_path / "r.html"
    html.write_text("<p>x</p>", encoding="utf-8")
    pidfile = tmp_path / "child.pid"
    fake = tmp_path / "fake-chromium"
    fake.write_text(f"#!/bin/sh\nsleep 60 &\necho $! > {pidfile}\nsleep 60\n")
    fake.chmod(0o755)
    renderer = {"renderer": "fake", "path": str(fake), "version": "0"}
    with pytest.raises(OrdbrukError, match=r"no PDF after 1 s"):
        pdf.pdf_write(html, tmp_path / "r.pdf", renderer, timeout=1)
    child = int(pidfile.read_text())
    time.sleep(0.2)
    state = Path(f"/proc/{child}/stat")
    assert not state.exists() or state.read_text().split()[2] == "Z"  # gone (or a zombie)
    assert not (tmp_path / "r.pdf").exists()


@needs_chromium
def test_tiny_html_becomes_a_pdf(tmp_path):
    html = tmp_path / "r.html"
    html.write_text("<!doctype html><title>t</title><h1>Rapport</h1><p>å ä ö</p>", "utf-8")
    renderer = pdf.renderer_find()
    assert renderer["version"] != "unknown"
    out = pdf.pdf_write(html, tmp_path / "r.pdf", renderer)
    assert out.read_bytes()[:5] == b"%PDF-"


@needs_chromium
@pytest.mark.slow
def test_run_with_pdf_writes_one_pdf_per_report(one_notebook, tmp_path, monkeypatch, capsys):
    nb = one_notebook
    out = tmp_path / "run"
    assert cli.main(["run", "--pdf", "--notebooks", str(nb), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert sorted(p.name for p in out.glob("*.pdf")) == ["01_fixture_ok.pdf"]
    assert (out / "01_fixture_ok.pdf").read_bytes()[:5] == b"%PDF-"
    assert not list(out.glob(".chromium-*"))
    prov = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert prov["params"]["pdf"] is True
    assert prov["pdf"]["renderer"] in pdf.RENDERERS and prov["pdf"]["version"].strip()
    # progress went to stderr (the section reached), stdout kept its lines
    assert "  01_fixture_ok: cell 1/12, " in captured.err and "Fixture report" in captured.err
    assert "[1/1] 01_fixture_ok ... done in " in captured.out
    assert "cell 1/" not in captured.out
    html = (out / "01_fixture_ok.html").read_text(encoding="utf-8")
    assert "cell 1/" not in html and "01_fixture_ok: " not in html  # the report stays clean


def test_index_links_the_pdf_of_a_report_that_has_one(tmp_path):
    import nbformat
    from nbformat.v4 import new_markdown_cell, new_notebook

    from ordbruk.report.html import index_write

    for name in ("01_x", "02_y"):
        nbformat.write(new_notebook(cells=[new_markdown_cell("# T")]), tmp_path / f"{name}.ipynb")
    (tmp_path / "01_x.pdf").write_bytes(b"%PDF-1.4\n")
    record = {
        "run_id": "r1",
        "inputs": {"corpus": "data/seeds"},
        "ended": "2026-01-01",
        "git": {},
        "notebooks": {"01_x": {"seconds": 1.0}, "02_y": {"seconds": 1.0}},
    }
    page = index_write(tmp_path, record, {}).read_text(encoding="utf-8")
    assert '<a href="01_x.pdf">PDF</a>' in page and "02_y.pdf" not in page
