"""The ``ordbruk`` command: run the notebook suite, check a corpus, prepare the cache.

``ordbruk run`` validates the corpus, then runs every notebook into a new run folder
(``ordbruk.run.runner``); ``ordbruk check PATH`` reports every problem in a corpus, one line
each; ``ordbruk prepare PATH`` builds (or reuses) the processed-corpus cache. Errors the
user can act on (``OrdbrukError``) are printed as ``error: <message>`` with exit code 2,
never as a traceback. Library modules are imported inside the commands so that
``ordbruk --help`` is quick and one broken module does not break every command.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from ordbruk.errors import OrdbrukError

EXIT_OK, EXIT_ERROR, EXIT_INTERRUPTED = 0, 2, 130
_WARNINGS_SHOWN = 10
_WORD_RE = re.compile(r"\w+")


def _problems_lines(problems: list) -> list[str]:
    from ordbruk.corpus.problems import problems_format

    return problems_format(problems)


def _problems_print(problems: list, stream, limit: int | None = None) -> None:
    lines = _problems_lines(problems)
    n_errors = sum(1 for p in problems if p.severity == "error")
    shown = lines if limit is None else lines[: n_errors + limit]
    for line in shown:
        print(line, file=stream)
    if len(shown) < len(lines):
        print(
            f"... and {len(lines) - len(shown)} more warnings; `ordbruk check` lists them all",
            file=stream,
        )


def _value_show(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k or '(none)'} {v}" for k, v in value.items()) or "(none)"
    return "-" if value is None else str(value)


def summary_lines(raw) -> list[str]:
    r"""Summarise a validated raw corpus in a few lines for ``ordbruk check``.

    Args:
        raw: a ``RawCorpus`` from ``corpus.corpus_check``.

    Returns:
        One ``name: value`` line per entry of ``corpus.corpus_summary(raw)`` (documents,
        actors per level, years, ...), with a rough token count (``\w+`` matches in
        the raw text, before cleaning) after the number of documents.
    """
    from ordbruk.corpus import validate as corpus

    summary = dict(corpus.corpus_summary(raw))
    n_words = sum(len(_WORD_RE.findall(t)) for t in raw.texts)
    lines = []
    for key, value in summary.items():
        lines.append(f"{key.replace('_', ' ')}: {_value_show(value)}")
        if key == "documents":
            lines.append(f"tokens (rough \\w+ count, before cleaning): {n_words}")
    return lines


def _cmd_check(args) -> int:
    from ordbruk.corpus import validate as corpus

    kwargs = {"encoding_fallback": args.encoding_fallback}
    if args.allowed_levels:
        kwargs["allowed_levels"] = tuple(args.allowed_levels)
    raw, problems = corpus.corpus_check(Path(args.path), **kwargs)
    if raw is not None:
        for line in summary_lines(raw):
            print(line)
    _problems_print(problems, sys.stdout)
    n_errors = sum(1 for p in problems if p.severity == "error")
    n_warnings = len(problems) - n_errors
    print(f"{n_errors} error{'s' * (n_errors != 1)}, {n_warnings} warning{'s' * (n_warnings != 1)}")
    return EXIT_ERROR if n_errors else EXIT_OK


def _params_for(args) -> tuple[dict, Path]:
    from ordbruk.run.params import DEFAULT_PARAMS_PATH, params_load

    params_path = Path(args.params) if args.params else DEFAULT_PARAMS_PATH
    params = params_load(params_path)
    if getattr(args, "corpus", None):
        # A path typed on the command line is relative to where the user is.
        params["corpus"] = str(Path(args.corpus).expanduser().resolve())
    return params, params_path


def _cmd_run(args) -> int:
    from ordbruk import paths
    from ordbruk.run import runner

    params, params_path = _params_for(args)
    notebooks_dir = Path(args.notebooks) if args.notebooks else paths.NOTEBOOKS_DIR
    # An unknown --only name fails before the (slower) corpus validation.
    runner.notebooks_select(runner.notebooks_find(notebooks_dir), args.only)
    corpus_info = None
    if not args.no_check:
        from ordbruk.corpus import validate as corpus

        validation = params.get("validation") or {}
        corpus_path = paths.path_resolve(params["corpus"])
        kwargs = {"encoding_fallback": validation.get("encoding_fallback")}
        if validation.get("allowed_levels"):
            kwargs["allowed_levels"] = tuple(validation["allowed_levels"])
        raw, problems = corpus.corpus_check(corpus_path, **kwargs)
        _problems_print(problems, sys.stderr, limit=_WARNINGS_SHOWN)
        n_errors = sum(1 for p in problems if p.severity == "error")
        if n_errors or raw is None:
            print(
                f"error: {corpus_path}: {n_errors} corpus problem(s); fix them and run again",
                file=sys.stderr,
            )
            return EXIT_ERROR
        corpus_info = {"n_documents": len(raw.meta), "n_tokens": None}
    run_dir = runner.suite_run(
        params,
        params_path=params_path,
        notebooks_dir=notebooks_dir,
        run_dir=Path(args.out) if args.out else None,
        only=args.only,
        corpus_info=corpus_info,
    )
    print(f"report: {run_dir / 'index.html'}")
    return EXIT_OK


def _cmd_prepare(args) -> int:
    from ordbruk import paths
    from ordbruk.text import cache as prepare

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
    t0 = time.perf_counter()
    corpus = prepare.corpus_prepare(
        path, cache_dir=cache_dir, validation=params["validation"], cleaning=params["cleaning"]
    )
    seconds = time.perf_counter() - t0
    manifest = getattr(corpus, "manifest", None) or {}
    n_tokens = int(corpus.meta["n_tokens"].sum()) if "n_tokens" in corpus.meta else "?"
    print(f"corpus: {path}")
    print(f"documents: {len(corpus.meta)}")
    print(f"tokens: {n_tokens}")
    print(f"cache: {'reused' if manifest.get('cache_hit') else 'built'}")
    print(f"cache folder: {manifest.get('cache_path', cache_dir or '(default)')}")
    print(f"seconds: {seconds:.1f}")
    if not manifest.get("cache_hit") and manifest.get("timings"):
        stages = ", ".join(f"{k} {v:.1f} s" for k, v in manifest["timings"].items())
        print(f"stages: {stages}")
    if not manifest.get("cache_hit"):
        log = getattr(corpus, "cleaning_log", None)
        if log is not None and len(log):
            counts = log["action"].value_counts()
            print(
                f"cleaning: {int(counts.get('removed', 0))} lines removed, "
                f"{int(counts.get('redacted', 0))} redactions (see the overview report)"
            )
        for warning in manifest.get("warnings", [])[:10]:
            print(f"warning: {warning}")
    return EXIT_OK


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
    run.add_argument("--no-check", action="store_true", help="skip corpus validation")
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
    prep.set_defaults(func=_cmd_prepare)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``ordbruk`` command.

    Args:
        argv: arguments without the program name (default ``sys.argv[1:]``).

    Returns:
        0 on success, 2 on an error the user can fix, 130 when interrupted.
    """
    parser = parser_build()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return EXIT_OK
    try:
        return args.func(args)
    except OrdbrukError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
