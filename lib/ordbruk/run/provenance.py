"""Provenance of a run: what code, environment, parameters and inputs produced a report.

``ordbruk run`` writes ``provenance.json`` into every run folder (paths relative to the
repository, or ``~/...`` inside the home folder, never with the user's home spelled out): the git commit and
whether the working tree had uncommitted changes, Python and package versions, the full
parameters, the sha256 of every input file (the corpus's, from the manifest of its cache
entry, so the same files as the cache key names, hashed once per run; the params file;
the notebooks), the corpus cache key and how long preparing it took, when each notebook
started and ended, the random seeds and the cache keys notebooks reported. The JSON is
written with sorted keys and fixed indentation so two runs can be diffed.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

from ordbruk import paths
from ordbruk.corpus.inputs import inputs_hash, sha256_hex
from ordbruk.errors import OrdbrukError
from ordbruk.text.redaction import text_redact
from ordbruk.versions import packages_versions

KEY_PACKAGES = (
    "numpy",
    "pandas",
    "scipy",
    "scikit-learn",
    "nltk",
    "simplemma",
    "matplotlib",
    "papermill",
    "nbconvert",
    "wordfreq",
    "ordbruk",
)


def git_state(root: str | Path | None = None) -> dict:
    """Return the git commit of ``root`` and whether its working tree is dirty.

    Args:
        root: a folder inside the repository; default the ordbruk repository root.

    Returns:
        ``{"commit": str | None, "dirty": bool | None}``; both None when git is not
        installed or ``root`` is not in a repository. A repository without commits has
        ``commit`` None and ``dirty`` from ``git status``.
    """
    root = Path(root) if root else paths.ROOT

    def _git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=root, capture_output=True, text=True, timeout=30, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout if done.returncode == 0 else None

    commit = _git("rev-parse", "HEAD")
    status = _git("status", "--porcelain")
    return {
        "commit": commit.strip() if commit else None,
        # Untracked files count: a new, uncommitted notebook changes what a run means.
        "dirty": bool(status.strip()) if status is not None else None,
    }


def seeds_collect(params: dict) -> dict:
    """Return every random seed in the parameters.

    Args:
        params: validated parameters.

    Returns:
        ``{"seed": top-level seed, "notebooks.<name>.<key>": value, ...}`` for every
        notebook key whose name contains ``seed``.
    """
    out = {"seed": params.get("seed")}
    for name, section in (params.get("notebooks") or {}).items():
        for key, value in (section or {}).items():
            if "seed" in key:
                out[f"notebooks.{name}.{key}"] = value
    return out


def provenance_build(
    params: dict,
    params_path: str | Path | None,
    corpus_manifest: dict,
    notebooks: dict,
    run_id: str,
    started: str,
    ended: str,
    cache_keys: dict | None = None,
    git: dict | None = None,
    subset: dict | None = None,
    param_files: dict | None = None,
) -> dict:
    """Assemble the provenance record of a run.

    Args:
        params: the full parameters the run used.
        params_path: the params file (hashed), or None.
        corpus_manifest: the manifest of the run's prepared corpus
            (``text.cache.cache_ensure``): source, kind, key, ``input_sha256``, timings.
        notebooks: per notebook: ``{"path", "sha256", "started", "ended", "seconds", ...}``.
        run_id: the run's id.
        started: ISO timestamp of the start of the run.
        ended: ISO timestamp of the end of the run.
        cache_keys: per notebook, the cache key(s) it reported.
        git: the repository state when the run started (``git_state()``); None reads it
            now, which can differ when commits were made during the run.
        subset: the documents the analyses read (``text.subset.corpus_subset``'s record),
            or None for the whole corpus.
        param_files: the files the parameters name (``params.params_input_files``: rules,
            family and framing files, coded KWIC), ``{key: (path, sha256)}``; a file outside
            the repository is not covered by the git commit, so its hash is recorded.

    Returns:
        A JSON-serialisable dict.
    """
    m = corpus_manifest
    params_file = None
    if params_path:
        p = Path(params_path).resolve()
        params_file = {
            "path": paths.path_show(p),
            "sha256": sha256_hex(p.read_bytes()) if p.is_file() else None,
        }
    return {
        "run_id": run_id,
        "started": started,
        "ended": ended,
        "git": git if git is not None else git_state(),
        "python": {
            "version": platform.python_version(),
            "implementation": platform.python_implementation(),
            "executable": paths.path_show(sys.executable),
        },
        "platform": {
            "system": platform.system(),
            "release": platform.release(),
            "machine": platform.machine(),
        },
        "packages": packages_versions(KEY_PACKAGES),
        "params": _params_shown(params),
        "params_file": params_file,
        "inputs": {
            "corpus": paths.path_show(m["source"]) if m.get("source") else None,
            "kind": m.get("kind"),
            "cache_key": m.get("key"),
            "files": _names_redact(m.get("input_sha256", {})),
            "param_files": {
                k: {"path": paths.path_show(path), "sha256": digest}
                for k, (path, digest) in sorted((param_files or {}).items())
            },
        },
        "preparation": {
            "cache_hit": m.get("cache_hit"),
            "cache_path": paths.path_show(m["cache_path"]) if m.get("cache_path") else None,
            "seconds": m.get("seconds"),
            "timings": m.get("timings", {}),
            "engine": m.get("engine"),  # where it ran (setting, kind, workers, shards); None: a hit
            "n_documents": m.get("n_docs"),
            "n_tokens": m.get("n_tokens"),
            "n_warnings": len(m.get("warnings", [])),
        },
        "notebooks": notebooks,
        "seeds": seeds_collect(params),
        "cache_keys": cache_keys or {},
        "subset": subset,
    }


def _names_redact(files: dict[str, str]) -> dict[str, str]:
    # Corpus file names are shown in the provenance: one named after a person
    # ("ansokan_19121212-1212.txt") is redacted like the metadata's doc_ids, with "-2",
    # "-3", ... when two names become one (a counter: a hash of a short number is reversible).
    out: dict[str, str] = {}
    for name in sorted(files):
        shown = text_redact(name)
        new, k = shown, 1
        while new in out:
            k += 1
            new = f"{shown}-{k}"
        out[new] = files[name]
    return out


def notebook_paths_show(
    executed: str | Path, tmp: str | Path, target: str | Path, run_id: str | None = None
) -> None:
    """Rewrite the paths an executed notebook holds as ``paths.path_show`` shows them.

    papermill records the notebook's ``input_path`` and ``output_path`` and the injected
    parameters (``corpus_path``, ``output_dir``) as absolute paths, with the user's home
    folder and the run's temporary folder in them. Every string of the notebook (metadata,
    the injected cell, outputs) has the temporary folder replaced by the run's final folder
    and absolute paths under the repository or the home folder shortened, so the published
    notebook names the folder it is published in and no local home folder. The run id
    goes into the notebook's metadata (``ordbruk.run_id``): the notebook names its run.

    Args:
        executed: the executed notebook, rewritten in place.
        tmp: the run's temporary folder.
        target: the folder the run is published as.
        run_id: the run's id, or None.
    """
    import nbformat  # imported here: with papermill, only when a notebook ran

    executed = Path(executed)
    # The repository before the home folder: it may lie inside it.
    bases = [(str(b), paths.path_show(b)) for b in (paths.ROOT, Path.home())]

    def show(value):
        if isinstance(value, str):
            value = value.replace(str(Path(tmp)), str(Path(target)))
            for base, shown in bases:
                if value == base:
                    return shown
                value = value.replace(base + "/", "" if shown == "." else shown + "/")
            return value
        if isinstance(value, list):
            return [show(v) for v in value]
        if isinstance(value, dict):
            return {k: show(v) for k, v in value.items()}
        return value

    nb = nbformat.from_dict(show(nbformat.read(executed, as_version=4)))
    if run_id:
        nb.metadata.setdefault("ordbruk", {})["run_id"] = run_id
    nbformat.write(nb, executed)


def _params_shown(params: dict) -> dict:
    # A path shown relative to the repository or as ~/... is read back the same way
    # (paths.path_resolve), so the recorded parameters still reproduce the run.
    out = dict(params)
    for key in ("corpus", "cache_dir"):
        if isinstance(out.get(key), str) and out[key]:
            out[key] = paths.path_show(out[key])
    return out


def provenance_write(path: str | Path, record: dict) -> Path:
    """Write a provenance record as diffable JSON (sorted keys, indent 2, UTF-8).

    Args:
        path: the JSON file to write.
        record: the record (``provenance_build``).

    Returns:
        The path written.
    """
    path = Path(path)
    text = json.dumps(record, sort_keys=True, indent=2, ensure_ascii=False, default=_json_default)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _json_default(value: Any) -> Any:
    # Paths and numpy scalars can reach the record through parameters or notebook notes.
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def inputs_snapshot(files: list[Path]) -> dict[str, str]:
    """Hash the run's own input files (notebooks, params file) when the run starts.

    Args:
        files: the files.

    Returns:
        ``{path: sha256}`` for each file that exists.
    """
    return {str(p): sha256_hex(Path(p).read_bytes()) for p in files if Path(p).is_file()}


def _change_find(start: dict[str, str], now: dict[str, str]) -> str | None:
    for name in sorted(set(start) | set(now)):
        if start.get(name) != now.get(name):
            what = "removed" if name not in now else "added" if name not in start else "changed"
            return f"{name}: {what} during the run"
    return None


def inputs_verify(corpus_manifest: dict, snapshot: dict[str, str]) -> None:
    """Hash the inputs again at the end of a run; raise when one changed since it started.

    The corpus files are compared with the sha256 its manifest holds (taken when the run
    prepared the corpus, at its start), the notebooks and params file with ``snapshot``.

    Args:
        corpus_manifest: the manifest of the run's corpus (``text.cache.cache_ensure``).
        snapshot: ``inputs_snapshot`` of the run's other input files.

    Raises:
        OrdbrukError: a file changed, appeared or disappeared; the message names it.
    """
    now = {p: sha256_hex(Path(p).read_bytes()) if Path(p).is_file() else "" for p in snapshot}
    change = _change_find(snapshot, now)
    source = corpus_manifest.get("source")
    if change is None and source:
        try:
            files = inputs_hash(source)
        except OrdbrukError:  # the corpus is gone
            files = {}
        change = _change_find(corpus_manifest.get("input_sha256") or {}, files)
        if change:
            change = str(Path(source) / change)
    if change:
        raise OrdbrukError(
            f"{change} (its sha256 differs from the one taken when the run started); the "
            "notebooks may have read different inputs, so the run is not published: run again"
        )
