"""The ``ordbruk`` command: run the notebook suite, check a corpus, prepare the cache.

``ordbruk run`` prepares the corpus once (validated, cleaned, tokenised and cached, or
found in the cache by the sha256 of its input files), printing each stage as it runs,
then runs every notebook into a new run folder (``ordbruk.run.runner``) with the cache
key, so no notebook reads the input again; ``ordbruk check PATH`` reports every problem
in a corpus, one line each; ``ordbruk prepare PATH`` builds (or finds) the cache entry.
Errors the user can act on (``OrdbrukError``) are printed as ``error: <message>`` with
exit code 2, never as a traceback; so is every ``OSError`` (a full disk, a read-only or
unreadable folder), as one line naming the path and what to do (``os_error_message``).
"""

from __future__ import annotations

import argparse
import errno
import gc
import logging
import os
import re
import signal
import sys
import time
from pathlib import Path

from ordbruk import paths
from ordbruk.corpus.problems import problems_format
from ordbruk.corpus.validate import corpus_check, corpus_summary, validation_args
from ordbruk.engine import engine_check, engine_reach
from ordbruk.errors import CorpusError, OrdbrukError
from ordbruk.run import checks, folders, pdf, runner
from ordbruk.run.params import DEFAULT_PARAMS_PATH, params_load
from ordbruk.text.cache import cache_ensure

EXIT_OK, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 2, 130, 143


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: stop as on Ctrl-C (the run's temporary folder is deleted)."""


def _on_sigterm(signum, frame) -> None:
    raise Terminated()


_WARNINGS_SHOWN = 10
_WORD_RE = re.compile(r"\w+")


def _lines_print(lines: list[str], n_errors: int, stream, limit: int | None = None) -> None:
    """Print problem lines, errors first (all of them), then at most ``limit`` warnings."""
    shown = lines if limit is None else lines[: n_errors + limit]
    for line in shown:
        print(line, file=stream)
    if len(shown) < len(lines):
        print(
            f"... and {len(lines) - len(shown)} more warnings; `ordbruk check` lists them all",
            file=stream,
        )


def _problems_print(problems: list, stream, limit: int | None = None) -> None:
    n_errors = sum(1 for p in problems if p.severity == "error")
    _lines_print(problems_format(problems), n_errors, stream, limit)


def _value_show(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k or '(none)'} {v}" for k, v in value.items()) or "(none)"
    return "-" if value is None else str(value)


def summary_lines(raw) -> list[str]:
    r"""Summarise a validated raw corpus in a few lines for ``ordbruk check``.

    Args:
        raw: a ``RawCorpus`` from ``corpus.validate.corpus_check``.

    Returns:
        One ``name: value`` line per entry of ``corpus_summary(raw)`` (documents, actors
        per level, years, ...), with a rough token count (``\w+`` matches in the raw
        text, before cleaning) after the number of documents.
    """
    summary = dict(corpus_summary(raw))
    n_words = sum(len(_WORD_RE.findall(t)) for t in raw.texts)
    lines = []
    for key, value in summary.items():
        lines.append(f"{key.replace('_', ' ')}: {_value_show(value)}")
        if key == "documents":
            lines.append(f"tokens (rough \\w+ count, before cleaning): {n_words}")
    return lines


def _cmd_check(args) -> int:
    kwargs = validation_args(
        {"allowed_levels": args.allowed_levels, "encoding_fallback": args.encoding_fallback}
    )
    raw, problems = corpus_check(Path(args.path), **kwargs)
    if raw is not None:
        for line in summary_lines(raw):
            print(line)
    _problems_print(problems, sys.stdout)
    n_errors = sum(1 for p in problems if p.severity == "error")
    n_warnings = len(problems) - n_errors
    print(f"{n_errors} error{'s' * (n_errors != 1)}, {n_warnings} warning{'s' * (n_warnings != 1)}")
    return EXIT_ERROR if n_errors else EXIT_OK


def _params_for(args) -> tuple[dict, Path]:
    params_path = Path(args.params) if args.params else DEFAULT_PARAMS_PATH
    # The notebooks' parameters cells hold the defaults: those of the notebooks that run.
    params = params_load(params_path, getattr(args, "notebooks", None))
    if getattr(args, "corpus", None):
        # A path typed on the command line is relative to where the user is.
        params["corpus"] = str(Path(args.corpus).expanduser().resolve())
    if getattr(args, "engine", None):
        params["engine"] = engine_check(args.engine, "--engine")
    return params, params_path


def _corpus_ready(params: dict) -> dict | None:
    """Prepare the run's corpus once, printing stages and problems; None after errors."""
    corpus_path = paths.path_resolve(params["corpus"])
    try:
        manifest = cache_ensure(
            corpus_path,
            cache_dir=params.get("cache_dir"),
            validation=params["validation"],
            cleaning=params["cleaning"],
            stream=sys.stdout,
            engine=params["engine"],
            shard_tokens=params["shard_tokens"],
        )
    except CorpusError as e:
        if not e.problems:
            raise
        _problems_print(e.problems, sys.stderr, limit=_WARNINGS_SHOWN)
        n_errors = sum(1 for p in e.problems if p.severity == "error")
        print(
            f"error: {corpus_path}: {n_errors} corpus problem(s); fix them and run again",
            file=sys.stderr,
        )
        return None
    if manifest.get("cache_hit"):  # the notebooks count on the engine: check it now
        engine_reach(params["engine"])
    # Warnings of a reused entry come from its manifest: the input is not parsed again.
    _lines_print([f"warning: {w}" for w in manifest["warnings"]], 0, sys.stderr, _WARNINGS_SHOWN)
    print(
        f"corpus: {manifest['n_docs']:,} documents, {manifest['n_tokens']:,} tokens; cache "
        f"{manifest['key']} {'reused' if manifest.get('cache_hit') else 'built'}"
    )
    return manifest


def _out_check(out: str | None, corpus: Path) -> None:
    """Refuse a run folder inside the corpus (its files would become input) or holding it."""
    if not out:
        return
    run_dir, corpus = Path(out).expanduser().resolve(), corpus.resolve()
    if run_dir.is_relative_to(corpus):
        raise OrdbrukError(f"--out {out}: inside the corpus folder {corpus}; the run's files "
                           "would become part of the corpus; choose a folder outside it")  # fmt: skip
    if corpus.is_relative_to(run_dir):
        raise OrdbrukError(f"--out {out}: holds the corpus {corpus}; a run folder is replaced "
                           "as a whole; choose a folder that does not contain the corpus")  # fmt: skip


def _cmd_run(args) -> int:
    params, params_path = _params_for(args)
    _out_check(args.out, paths.path_resolve(params["corpus"]))
    notebooks_dir = Path(args.notebooks) if args.notebooks else paths.NOTEBOOKS_DIR
    # An unknown --only name fails before the (slower) corpus preparation.
    selected = runner.notebooks_select(runner.notebooks_find(notebooks_dir), args.only)
    # A group_by column missing from metadata.csv's header fails before a cold preparation.
    checks.header_check(params, params_path, [p.stem for p in selected])
    if args.out:  # a folder that is not ordbruk's is refused before anything runs
        folders.target_check(Path(args.out).resolve())
    params["pdf"] = bool(args.pdf or params.get("pdf"))
    renderer = pdf.renderer_find() if params["pdf"] else None  # before the corpus is prepared
    manifest = _corpus_ready(params)
    if manifest is None:
        return EXIT_ERROR
    run_dir = runner.suite_run(
        params,
        params_path=params_path,
        notebooks_dir=notebooks_dir,
        run_dir=Path(args.out) if args.out else None,
        only=args.only,
        corpus_manifest=manifest,
        pdf_renderer=renderer,
    )
    print(f"report: {run_dir / 'index.html'}")
    return EXIT_OK


def _cmd_prepare(args) -> int:
    params, _ = _params_for(args)
    path = (
        Path(args.path).expanduser().resolve()
        if args.path
        else paths.path_resolve(params["corpus"])
    )
    cache_dir = params.get("cache_dir")
    if args.cache:
        cache_dir = str(Path(args.cache).expanduser().resolve())
    elif cache_dir:
        cache_dir = str(paths.path_resolve(cache_dir))
    print(f"corpus: {path}")
    t0 = time.perf_counter()
    manifest = cache_ensure(
        path,
        cache_dir=cache_dir,
        validation=params["validation"],
        cleaning=params["cleaning"],
        stream=sys.stdout,
        engine=params["engine"],
        shard_tokens=params["shard_tokens"],
    )
    seconds = time.perf_counter() - t0
    print(f"documents: {manifest['n_docs']}")
    print(f"tokens: {manifest['n_tokens']}")
    print(f"cache: {'reused' if manifest.get('cache_hit') else 'built'}")
    print(f"cache folder: {manifest.get('cache_path', cache_dir or '(default)')}")
    print(f"seconds: {seconds:.1f}")
    if not manifest.get("cache_hit"):
        counts = manifest.get("cleaning_counts") or {}
        if any(counts.values()):
            print(
                f"cleaning: {counts.get('removed', 0)} lines removed, "
                f"{counts.get('redacted', 0)} redactions (see the overview report)"
            )
        for warning in manifest.get("warnings", [])[:10]:
            print(f"warning: {warning}")
    return EXIT_OK


_OS_ADVICE = {
    errno.EACCES: "permission denied; give permission or choose another folder",
    errno.EPERM: "operation not permitted; give permission or choose another folder",
    errno.EROFS: "read-only file system; choose a writable folder (--out, --cache, ORDBRUK_CACHE)",
    errno.ENOSPC: "no space left on the device; free some space or choose another disk "
    "(--out, --cache, ORDBRUK_CACHE)",
    errno.EDQUOT: "disk quota exceeded; free some space or choose another disk",
    errno.ENOENT: "no such file or folder; check the path",
    errno.ENOTDIR: "a part of the path is not a folder; check the path",
    errno.EISDIR: "is a folder, not a file; check the path",
    errno.ELOOP: "symbolic link loop; fix or remove the link",
    errno.EMFILE: "too many open files; raise the limit (ulimit -n) and run again",
}


def os_error_message(e: OSError) -> str:
    """Turn an ``OSError`` into one line: the path(s), what went wrong, what to do.

    Args:
        e: any OSError (``PermissionError``, a full disk, ...).

    Returns:
        ``"<path>: <what>; <what to do>"`` (without the path when the error names none).
    """
    advice = _OS_ADVICE.get(e.errno) or (e.strerror or str(e) or type(e).__name__).lower()
    where = " -> ".join(os.fsdecode(f) for f in (e.filename, e.filename2) if f is not None)
    return f"{where}: {advice}" if where else advice


def parser_build() -> argparse.ArgumentParser:
    """Build the argument parser of the ``ordbruk`` command.

    Returns:
        The parser; each subcommand sets ``func``.
    """
    parser = argparse.ArgumentParser(
        prog="ordbruk", description="Reproducible notebooks on Swedish policy discourse."
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    run = sub.add_parser("run", help="run every notebook into a new run folder")
    run.add_argument("--params", metavar="FILE", help="params YAML (default params/default.yaml)")
    run.add_argument("--corpus", metavar="PATH", help="corpus to use instead of the params file's")
    run.add_argument("--out", metavar="DIR", help="run folder (default outputs/<run_id>)")
    run.add_argument("--only", metavar="NAME", nargs="+", help="run only these notebooks")
    run.add_argument("--notebooks", metavar="DIR", help="notebooks folder (default notebooks/)")
    run.add_argument("--pdf", action="store_true", help="also print every report to PDF "
                     "(headless Chromium; the params file's `pdf: true` does the same)")  # fmt: skip
    run.set_defaults(func=_cmd_run)

    check = sub.add_parser("check", help="validate a corpus and summarise it")
    check.add_argument("path", metavar="PATH", help="corpus folder, .jsonl[.gz] or .csv")
    check.add_argument("--allowed-levels", metavar="LEVEL", nargs="+", help="actor levels")
    check.add_argument("--encoding-fallback", metavar="ENCODING", default=None, help="e.g. cp1252")
    check.set_defaults(func=_cmd_check)

    prep = sub.add_parser("prepare", help="clean, tokenise and cache a corpus")
    prep.add_argument("path", metavar="PATH", nargs="?", help="corpus (default: params corpus)")
    prep.add_argument("--cache", metavar="DIR", help="cache folder")
    prep.add_argument("--params", metavar="FILE", help="params YAML (default params/default.yaml)")
    for command in (run, prep):
        command.add_argument(
            "--engine",
            metavar="WHERE",
            help="where to prepare the corpus: local (this machine's cores, the default), "
            "local:N, serial, or a Dask scheduler address (tcp://host:8786 or scheduler.json)",
        )
    prep.set_defaults(func=_cmd_prepare)
    return parser


def _quiet_after_interrupt() -> None:
    """Drop the notebook client's unfinished tasks now, without their asyncio log lines.

    A kernel stopped by the signal leaves an asyncio task whose ``DeadKernelError`` nobody
    awaited; when it is garbage-collected (at exit, after our last line) asyncio logs it with
    a traceback. The run's own last line must stay the one that says what happened.
    """
    logging.getLogger("asyncio").disabled = True
    gc.collect()


def main(argv: list[str] | None = None) -> int:
    """Run the ``ordbruk`` command.

    Args:
        argv: arguments without the program name (default ``sys.argv[1:]``).

    Returns:
        0 on success, 2 on an error the user can fix, 130 when interrupted (SIGINT),
        143 when terminated (SIGTERM).
    """
    parser = parser_build()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return EXIT_OK
    previous = signal.signal(signal.SIGTERM, _on_sigterm)  # `kill PID` is handled like Ctrl-C
    try:
        return args.func(args)
    except OrdbrukError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as e:  # the last net: a file that cannot be read or written
        print(f"error: {os_error_message(e)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt as e:
        _quiet_after_interrupt()
        how = "terminated (SIGTERM)" if isinstance(e, Terminated) else "interrupted"
        if args.func is _cmd_run:
            how += ": the run stopped and kept nothing; earlier runs are untouched"
        print(how, file=sys.stderr)
        return EXIT_TERMINATED if isinstance(e, Terminated) else EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
