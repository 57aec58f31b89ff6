"""PDF copies of the reports: the same HTML, printed by headless Chromium with the print stylesheet.

``ordbruk run --pdf`` (or ``pdf: true`` in the study file) writes ``NN_name.pdf`` beside
every ``NN_name.html``. The renderer is found before anything runs (``renderer_find``):
without one the run stops at once with a line naming what to install, instead of after
the notebooks. Each PDF is printed inside the run's temporary folder, so a PDF that fails
(or times out) fails the run like a notebook, and never leaves a half-written file in a
published run or replaces the previous one. Provenance records the renderer and its version.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ordbruk.errors import OrdbrukError

#: Programs tried in this order on PATH.
RENDERERS = ("chromium", "chromium-browser", "google-chrome")
INSTALL_HINT = "install Chromium (Debian/Ubuntu: `apt-get install chromium`) or run without --pdf"
TIMEOUT_SECONDS = 180


def renderer_find() -> dict:
    """Find headless Chromium on PATH; raise with what to install when there is none.

    Returns:
        ``{"renderer": program name, "path": absolute path, "version": "Chromium 150..."}``.

    Raises:
        OrdbrukError: none of ``RENDERERS`` is on PATH.
    """
    for name in RENDERERS:
        found = shutil.which(name)
        if found:
            return {"renderer": name, "path": found, "version": _version(found)}
    raise OrdbrukError(
        f"--pdf: no PDF renderer found (looked for {', '.join(RENDERERS)} on PATH); {INSTALL_HINT}"
    )


def _version(program: str) -> str:
    try:
        done = subprocess.run(
            [program, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    lines = [ln.strip() for ln in done.stdout.splitlines() if ln.strip()]
    return lines[0] if lines else "unknown"


def pdf_write(html: Path, out: Path, renderer: dict, timeout: float = TIMEOUT_SECONDS) -> Path:
    """Print one HTML report to PDF with headless Chromium (print media, no header/footer).

    Args:
        html: the report.
        out: the PDF to write (in the run's temporary folder).
        renderer: ``renderer_find()``'s answer.
        timeout: seconds before the print is given up.

    Returns:
        ``out``.

    Raises:
        OrdbrukError: Chromium failed, timed out or wrote no PDF; no file is left at ``out``.
    """
    html, out = Path(html).resolve(), Path(out).resolve()
    out.unlink(missing_ok=True)
    # A profile of its own, inside the run's folder: no clash with a browser already open.
    with tempfile.TemporaryDirectory(
        prefix=".chromium-", dir=out.parent, ignore_cleanup_errors=True
    ) as profile:
        command = [
            renderer["path"], "--headless", "--no-sandbox", "--disable-gpu",
            "--no-pdf-header-footer", f"--user-data-dir={profile}",
            f"--print-to-pdf={out}", html.as_uri(),
        ]  # fmt: skip
        try:
            # a session of its own: on a timeout the whole process group goes (Chromium's
            # renderer and zygote children too), not only the parent
            proc = subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            try:
                code = proc.wait(timeout=timeout)
                problem = None if code == 0 else f"exit code {code}"
            except subprocess.TimeoutExpired:
                _group_kill(proc)
                problem = f"no PDF after {timeout:.0f} s"
        except OSError as e:
            problem = e.strerror or str(e)
    if problem is None and not _is_pdf(out):
        problem = "it wrote no PDF"
    if problem:
        out.unlink(missing_ok=True)
        raise OrdbrukError(f"{html.name}: printing to PDF with {renderer['renderer']} failed "
                           f"({problem}); run again, or run without --pdf")  # fmt: skip
    return out


def _group_kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(5) == b"%PDF-"
    except OSError:
        return False
