"""Execute one notebook with papermill in the ``python3`` kernel of this Python.

The runner (``ordbruk.run.runner``) calls ``notebook_execute`` once per notebook. The
kernel's connection file (its ports and key) is written into the run's temporary folder,
not into the system's temporary folder, and an interrupted execution kills its kernel
before the runner deletes that folder. Papermill runs it with an engine of its own
(``_engine``) that tells the progress display (``ordbruk.run.status``) every cell it starts.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ordbruk.run import folders, status

KERNEL_NAME = "python3"
ENGINE_NAME = "ordbruk"


def _engine() -> str:
    """Register papermill's nbclient engine with a hook on every cell start."""
    from papermill.engines import NBClientEngine, papermill_engines  # imported here: slow

    class _ProgressEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            shown, start = status.current(), nb_man.cell_start
            if shown is not None:

                def cell_start(cell, cell_index=None, **kw):
                    shown.cell_start(cell, cell_index, nb_man.nb.cells)
                    return start(cell, cell_index, **kw)

                nb_man.cell_start = cell_start
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    papermill_engines.register(ENGINE_NAME, _ProgressEngine)
    return ENGINE_NAME


class _UnknownParameterFilter(logging.Filter):
    # Every notebook receives the common parameters, used or not; the warning is noise.
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.getMessage()).startswith("Passed unknown parameter")


def notebook_execute(source: Path, executed: Path, parameters: dict, cwd: Path) -> None:
    """Execute one notebook with papermill in the ``python3`` kernel of this Python.

    Args:
        source: the notebook.
        executed: where the executed notebook is written (also on failure).
        parameters: values injected after the ``parameters`` cell.
        cwd: the kernel's working directory.

    The kernel's connection file (ports and key) goes into ``.kernel/`` next to the
    executed notebook, in the run's temporary folder, instead of the system's temporary
    folder: a killed run leaves none behind in /tmp, and the temporary folder (removed
    when the next run starts) holds it.
    """
    import papermill as pm  # imported here: a second of start-up for every `ordbruk` command
    from jupyter_client.manager import AsyncKernelManager  # imported here: with papermill
    from traitlets.config import Config  # imported here: with papermill, for the same reason

    runtime = executed.parent / folders.KERNEL_DIR
    runtime.mkdir(exist_ok=True)
    config = Config()
    config.KernelManager.connection_file = str(runtime / f"kernel-{source.stem}.json")
    managers = []

    class _KernelManager(AsyncKernelManager):
        # Remembered so that an interrupted run can stop its kernel before deleting the
        # temporary folder: a kernel still starting would write into it again.
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            managers.append(self)

    logger = logging.getLogger("papermill")
    quiet = _UnknownParameterFilter()
    logger.addFilter(quiet)
    try:
        # jupyter_client starts "python" kernelspecs with sys.executable, so the kernel
        # runs in the same environment as the runner.
        pm.execute_notebook(
            str(source),
            str(executed),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            engine_name=_engine(),
            cwd=str(cwd),
            progress_bar=False,
            log_output=False,
            # ipykernel 7 logs a TCP-encryption warning at start and a KeyboardInterrupt at
            # shutdown; cell errors still arrive as outputs, so keep the run's output clean.
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            config=config,
            kernel_manager_class=_KernelManager,
        )
    except KeyboardInterrupt:
        for km in managers:
            process = getattr(getattr(km, "provisioner", None), "process", None)
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(10)
        raise
    finally:
        logger.removeFilter(quiet)
