"""Run every notebook with papermill into one run folder, all or nothing.

``suite_run`` prepares the corpus once (or takes the manifest of the corpus the caller
prepared), executes ``notebooks/NN_*.ipynb`` in order with the study parameters and the
corpus cache key injected, renders each executed notebook as a self-contained HTML report
(``ordbruk.report.html``), and writes an index page and ``provenance.json``. Everything goes
into a temporary folder ``outputs/.tmp-<run_id>/`` that is moved into place only when
every notebook has succeeded, so a failed run never replaces or damages the previous
complete run; the last failed run is kept as ``outputs/failed-<run_id>/`` for debugging.
``outputs/latest`` points at the newest complete run. What may be deleted: ``folders``.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import TextIO

from ordbruk import paths
from ordbruk.corpus.inputs import sha256_hex
from ordbruk.corpus.metadata import REQUIRED_COLUMNS
from ordbruk.errors import OrdbrukError, ParameterError
from ordbruk.report.cite import cite_html
from ordbruk.report.html import index_write, report_write
from ordbruk.run import checks, folders
from ordbruk.run.execute import KERNEL_NAME, notebook_execute  # noqa: F401 - runner API
from ordbruk.run.folders import latest_point  # noqa: F401 - the runner's documented API
from ordbruk.run.limits import columns_check, columns_named
from ordbruk.run.params import notebook_parameters, params_input_files
from ordbruk.run.pdf import pdf_write, renderer_find
from ordbruk.run.provenance import (
    git_state,
    inputs_snapshot,
    inputs_verify,
    notebook_paths_show,
    provenance_build,
    provenance_write,
)
from ordbruk.run.status import NotebookProgress
from ordbruk.text.cache import cache_ensure, corpus_open

_NOTEBOOK_RE = re.compile(r"^\d\d_[^/]+\.ipynb$")
_ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class NotebookFailedError(OrdbrukError):
    """A notebook raised an error; the message names the notebook, the cell and the error."""


def notebooks_find(notebooks_dir: str | Path = paths.NOTEBOOKS_DIR) -> list[Path]:
    """Return the notebooks of the suite: ``NN_*.ipynb`` in ``notebooks_dir``, sorted by name.

    Args:
        notebooks_dir: the folder of notebooks.

    Returns:
        Paths in run order.
    """
    folder = Path(notebooks_dir)
    if not folder.is_dir():
        raise OrdbrukError(f"{folder}: notebooks folder not found")
    return sorted(p for p in folder.iterdir() if _NOTEBOOK_RE.match(p.name))


def notebooks_select(found: list[Path], only: list[str] | None) -> list[Path]:
    """Keep the notebooks named in ``only`` (full name, name with .ipynb, or ``NN`` prefix).

    Args:
        found: the suite's notebooks (``notebooks_find``).
        only: names to keep; None or empty keeps all.

    Returns:
        The selected notebooks, in run order.

    Raises:
        OrdbrukError: a name matches no notebook; the message lists the available names.
    """
    if not only:
        return list(found)
    keep = set()
    for name in only:
        stem = name.removesuffix(".ipynb")
        hits = [p for p in found if p.stem == stem or p.stem.split("_", 1)[0] == stem]
        if not hits:
            available = ", ".join(p.stem for p in found) or "(none)"
            raise OrdbrukError(f"--only {name}: no such notebook (available: {available})")
        keep.update(hits)
    return [p for p in found if p in keep]


def _corpus_check(
    params: dict, params_path, manifest: dict, stream: TextIO, notebooks: list[str]
) -> dict | None:
    """Check the parameters against the prepared corpus once, before any notebook starts.

    The ``subset`` is applied, and every ``group_by`` and ``strata`` is checked against the
    metadata columns (``limits.columns_check``), groups and k against the corpus
    (``checks.values_check``): a condition that matches nothing, a missing
    or reserved column stops the run here with a one-line error, instead of in a notebook.
    Returns the subset record (conditions and counts) for provenance, or None when every
    document is analysed.
    """
    named = {c for _, c in columns_named(params, notebooks)}
    if not params.get("subset") and named <= set(REQUIRED_COLUMNS):
        if not checks.needs_corpus(params, notebooks):
            return None  # nothing to check: the required columns exist in every valid corpus
    try:
        corpus = corpus_open(
            params["corpus"],
            params.get("cache_dir"),
            manifest["key"],
            params.get("validation"),
            params.get("cleaning"),
            params.get("subset") or {},
        )
        columns_check(params, corpus.meta.columns, params_path or "params", notebooks)
        checks.values_check(params, corpus, params_path, notebooks)  # groups, k
    except ParameterError as e:
        text = str(e)
        where = str(params_path) if params_path else ""
        raise ParameterError(f"{where}: {text}" if where and where not in text else text) from None
    if not params.get("subset"):
        return None
    record = corpus.manifest["subset"]
    stream.write(
        f"subset: {record['description']}: {record['n_documents']:,} of "
        f"{record['n_documents_before']:,} documents\n"
    )
    return record


def run_id_make(params: dict, now: datetime | None = None, git: dict | None = None) -> str:
    """Return a run id: time, a short hash, a random suffix: ``20261122-193000-3f2a9c1-5e0b7d``.

    The random suffix makes the id unique per process: two runs started in the same second
    on the same commit get different ids (and different temporary folders).

    Args:
        params: the run's parameters.
        now: the time of the run (default now).
        git: the repository state (default: read now with ``git_state``).

    Returns:
        ``YYYYmmdd-HHMMSS-<7 hex>-<6 hex>``: the git commit's first 7 characters (or a
        hash of the parameters when there is no commit), then 6 random hex digits.
    """
    now = now or datetime.now()
    commit = (git if git is not None else git_state()).get("commit")
    digest = commit or sha256_hex(json.dumps(params, sort_keys=True).encode())
    return f"{now:%Y%m%d-%H%M%S}-{digest[:7]}-{secrets.token_hex(3)}"


def _now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _path_show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _failing_cell(executed: Path) -> int | None:
    """Return the 1-based number of the failing cell in the source notebook (None if unknown)."""
    import nbformat  # imported here: nearly a second of start-up, needed only after a failure

    try:
        nb = nbformat.read(executed, as_version=4)
    except Exception:  # noqa: BLE001 - a half-written notebook still yields a message
        return None
    number = 0
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        # Papermill adds the injected-parameters cell and error banners; users never see them.
        if "injected-parameters" in tags or "papermill-error-cell-tag" in tags:
            continue
        number += 1
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return number
    return None


def _failure_message(name: str, error: BaseException, kept: Path | None) -> str:
    ename = getattr(error, "ename", None) or type(error).__name__
    evalue = getattr(error, "evalue", None)
    if evalue is None:
        evalue = str(error)
    lines = _ANSI_RE.sub("", str(evalue)).strip().splitlines()
    evalue = lines[0][:300] if lines else ""
    cell = _failing_cell(kept) if kept and kept.exists() else None
    where = f" in cell {cell}" if cell else ""
    kept_at = (
        f"executed notebook kept at {_path_show(kept)}"
        if kept
        else ("the disk is full, so the partial run was deleted; free some space")
    )
    return f"{name} failed{where} ({ename}: {evalue}); {kept_at}"


def _records_read(run_dir: Path) -> dict:
    # one reader of record files (report.front, which renders them too); an unreadable one
    # is left out. Imported here: it needs nbformat, a second of start-up for every command.
    from ordbruk.report.front import record_read

    found = ((f.stem, record_read(run_dir / f"{f.stem}.ipynb"))
             for f in sorted((run_dir / "records").glob("*.json")))  # fmt: skip
    return {name: record for name, record in found if record}


def suite_run(
    params: dict,
    params_path: str | Path | None = None,
    notebooks_dir: str | Path = paths.NOTEBOOKS_DIR,
    outputs_root: str | Path = paths.OUTPUTS_DIR,
    run_dir: str | Path | None = None,
    only: list[str] | None = None,
    corpus_manifest: dict | None = None,
    stream: TextIO | None = None,
    pdf_renderer: dict | None = None,
) -> Path:
    """Run the notebook suite into a new run folder.

    Args:
        params: validated parameters (``params.params_load``; ``corpus`` already overridden).
        params_path: the params file (hashed into provenance), or None.
        notebooks_dir: folder of ``NN_*.ipynb`` notebooks.
        outputs_root: folder for run folders, ``latest``, ``.tmp-*`` and ``failed-*``.
        run_dir: the run folder; default ``outputs_root/<run_id>``. When given, ``latest``
            is not updated and the temporary and failed folders go next to it.
        only: names of notebooks to run (default all).
        corpus_manifest: the manifest of the prepared corpus (``text.cache.cache_ensure``);
            None prepares it here. Its ``key`` is injected into every notebook as
            ``cache_key``; provenance takes the input files' sha256 from it.
        stream: where progress lines go (default stdout).
        pdf_renderer: ``pdf.renderer_find()``'s answer (found here when ``params["pdf"]``
            is true and none is given): a PDF of every report is printed beside its HTML.

    Returns:
        The complete run folder.

    Raises:
        NotebookFailedError: a notebook failed; the run folder is not created and the
            partial run is kept as ``failed-<run_id>`` (the last failed run only; none
            when the disk is full).
        OrdbrukError: ``run_dir`` is not ordbruk's or holds a user's files
            (``folders.target_check``); an input changed during the run (the run is
            kept as ``failed-<run_id>``, never published); the folder cannot be written.
        KeyboardInterrupt: SIGINT (or SIGTERM, see ``cli``): the temporary folder is deleted.
    """
    stream = stream or sys.stdout
    notebooks_dir = Path(notebooks_dir).resolve()
    selected = notebooks_select(notebooks_find(notebooks_dir), only)
    if not selected:
        raise OrdbrukError(f"{notebooks_dir}: no notebooks named NN_*.ipynb to run")
    if params.get("pdf") and pdf_renderer is None:
        pdf_renderer = renderer_find()  # before anything runs: no renderer, no run
    git = git_state()  # once, at the start: the run id and provenance name the same commit
    target = None
    if run_dir is not None:
        target = Path(run_dir).resolve()
        folders.target_check(target)  # never replace a folder that is not ordbruk's
        outputs_root = target.parent
    outputs_root = Path(outputs_root).resolve()
    tmp, run_id = folders.temp_start(outputs_root, lambda: run_id_make(params, git=git))
    target = target or outputs_root / run_id
    # Inputs are hashed now; `inputs_verify` hashes them again before the run is published.
    param_files = params_input_files(params)
    hashed = inputs_snapshot(
        [*selected, *([Path(params_path)] if params_path else []), *param_files.values()]
    )
    current, ran = None, False
    try:
        if corpus_manifest is None:
            corpus_manifest = cache_ensure(
                params["corpus"],
                params.get("cache_dir"),
                params.get("validation"),
                params.get("cleaning"),
                stream=stream,
            )
        subset = _corpus_check(params, params_path, corpus_manifest, stream,
                               [s.stem for s in selected])  # fmt: skip
        started = _now_iso()
        timings: dict = {}
        ran = True
        for i, source in enumerate(selected, 1):
            current = name = source.stem
            prefix = f"[{i}/{len(selected)}] {name} ... "
            stream.write(prefix)
            stream.flush()
            entry = {
                "path": paths.path_show(source),
                "sha256": hashed[str(source)],
                "started": _now_iso(),
            }
            t0 = time.perf_counter()
            executed = tmp / f"{name}.ipynb"
            parameters = notebook_parameters(params, name, tmp, corpus_manifest["key"])
            with NotebookProgress(name, prefix):  # the section and seconds, on stderr
                notebook_execute(source, executed, parameters, notebooks_dir)
            notebook_paths_show(executed, tmp, target, run_id)
            entry.update(ended=_now_iso(), seconds=round(time.perf_counter() - t0, 3))
            timings[name] = entry
            cite = cite_html(git, run_id, link="provenance.json")  # the run's provenance file
            report_write(executed, tmp / f"{name}.html", run_id, notebooks_dir, cite)
            if params.get("pdf"):
                pdf_write(tmp / f"{name}.html", tmp / f"{name}.pdf", pdf_renderer)
            stream.write(f"done in {entry['seconds']:.1f} s\n")
            stream.flush()
        current = None
        shutil.rmtree(tmp / folders.KERNEL_DIR, ignore_errors=True)
        records = _records_read(tmp)
        record = provenance_build(
            params,
            params_path,
            corpus_manifest,
            timings,
            run_id,
            started,
            _now_iso(),
            cache_keys={
                k: r["corpus"]["cache_key"]
                for k, r in records.items()
                if (r.get("corpus") or {}).get("cache_key")
            },
            git=git,
            subset=subset,
            param_files={k: (p, hashed.get(str(p))) for k, p in param_files.items()},
        )
        if params.get("pdf"):
            record["pdf"] = {k: pdf_renderer[k] for k in ("renderer", "version")}
        provenance_write(tmp / "provenance.json", record)
        size = {"n_documents": corpus_manifest["n_docs"], "n_tokens": corpus_manifest["n_tokens"]}
        index_write(tmp, record, records, corpus_info=size)
        inputs_verify(corpus_manifest, hashed)
        with folders.folder_lock(outputs_root):
            folders.publish(tmp, target, run_id, update_latest=run_dir is None)
    except BaseException as error:
        # Ctrl-C reaches the kernel too: the cell then fails with KeyboardInterrupt.
        interrupted = isinstance(error, KeyboardInterrupt) or (
            getattr(error, "ename", None) == "KeyboardInterrupt"
        )
        if interrupted or (isinstance(error, OrdbrukError) and not ran):
            # Nothing to debug: interrupted, or nothing ran yet (bad corpus or subset).
            stream.write("interrupted\n" if interrupted and current else "")
            folders.tree_remove(tmp)
            if interrupted and not isinstance(error, KeyboardInterrupt):
                raise KeyboardInterrupt from None
            raise
        failed = folders.failed_keep(outputs_root, tmp, run_id, disk_full=folders.disk_full(error))
        stream.write("failed\n" if current else "")
        stream.flush()
        if isinstance(error, Exception) and current:
            kept = failed / f"{current}.ipynb" if failed else None
            raise NotebookFailedError(_failure_message(current, error, kept)) from error
        if isinstance(error, OrdbrukError) and failed:
            raise OrdbrukError(f"{error}; the run is kept at {_path_show(failed)}") from None
        if isinstance(error, OSError):
            raise OrdbrukError(
                f"{error.filename or tmp}: {error.strerror or error}; the run was not "
                "published (free space or fix permissions, then run again)"
            ) from error
        raise
    return target
