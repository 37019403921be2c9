"""One Jupyter kernel kept alive for notebook after notebook, so a batch starts a kernel once per worker.

Why: a report notebook's own work takes a second or two, but a fresh kernel costs about as much again
before its first cell — the kernel process starts, then imports pandas, matplotlib, scikit-learn and
casekit (measured on 2 cores: ~2.5 s CPU per notebook, most of a 400-case batch's 16 notebooks' overhead).
A `KernelSession` starts one kernel (and imports casekit's views in it) when a worker starts — while the
parent is still computing pre-scores — and runs each notebook in it, wiping the user namespace, open
figures and warning registries between notebooks and setting the execution counter back to 1, so a
notebook sees what it would see in a fresh kernel except that modules are already imported.

A notebook that fails or times out may leave the kernel busy or half-changed: the session then shuts
that kernel down and the next notebook gets a new one. papermill runs each notebook through the
`casekit-kept-kernel` engine registered here: papermill's own nbclient engine, handed the session's kernel
manager, and closing its kernel client's channels when the notebook is done (papermill leaves a kernel
it did not start running, and would leave the client's sockets open).

The worker process holds its session in `_SESSION` (set by `start_worker_session`, the process pool's
initializer) and shuts its kernel down when the worker exits.
"""

from __future__ import annotations

import multiprocessing.util
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from casekit.report.display import HEADLESS_ENV

KERNEL_NAME = "python3"
ENGINE_NAME = "casekit-kept-kernel"
#: The kernel logs a warning about plain-TCP sockets at every start; to an organizer that is noise
#: between the progress lines, so the kernel only reports errors.
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=ERROR",)
#: Run in a new kernel before its first notebook: what the report notebooks import and set up on first
#: use (the views — `casekit.views` itself loads them lazily —, the workbook writer, the Hangul font).
PRELOAD = """\
import casekit.views.explore, casekit.views.ranking, openpyxl
from casekit.report.fonts import use_korean_font
use_korean_font()
"""
#: What a kernel's environment gets unless the caller's environment says otherwise: offline Hugging Face
#: (reports never download a model), no debugger noise, no widgets (headless), and one BLAS/OpenMP
#: thread per kernel — a batch runs one kernel per core, and on 2 cores the default threads made the
#: themes fit take twice the CPU time, for the same result.
KERNEL_ENV = {
    "HF_HUB_OFFLINE": "1",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    HEADLESS_ENV: "1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}

#: Run in the kernel before each notebook (silently: it does not count as an execution). A new history
#: session, as a fresh kernel has: it clears the namespace and sets the execution counter back to 1 (the
#: counter reset alone collides with the history database's line numbers, an error in the output).
_RESET = """\
get_ipython().reset(new_session=True)
import sys as _s, warnings as _w
_w.resetwarnings()
_w.filters[:] = get_ipython()._casekit_warning_filters
if "matplotlib.pyplot" in _s.modules:
    _s.modules["matplotlib.pyplot"].close("all")
del _s, _w
"""


@contextmanager
def kernel_environment() -> Iterator[None]:
    """`KERNEL_ENV` set (where unset) while a kernel starts; restored afterwards, so running a batch
    in-process does not change the caller's environment."""
    saved = {key: os.environ.get(key) for key in KERNEL_ENV}
    for key, value in KERNEL_ENV.items():
        os.environ.setdefault(key, value)
    try:
        yield
    finally:
        for key, before in saved.items():
            if before is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = before


def _preload_code(preload: str) -> str:
    # The warning filters as a fresh kernel has them once the imports are done, restored before each
    # notebook (kept on the shell: a reset wipes the user namespace, not the shell's attributes).
    return (
        preload + "import warnings as _w\nget_ipython()._casekit_warning_filters = list(_w.filters)\ndel _w\n"
    )


class KernelError(RuntimeError):
    """The kept kernel could not be started or prepared (the notebook then runs in a kernel of its own)."""


class KernelSession:
    """One kept kernel: `ensure()` starts it (once), `prepare()` before each notebook, `discard()` after
    a failure, `close()` at the end."""

    def __init__(
        self,
        kernel_name: str = KERNEL_NAME,
        preload: str = PRELOAD,
        startup_timeout: float = 120,
    ) -> None:
        self.kernel_name = kernel_name
        self.preload = preload
        self.startup_timeout = startup_timeout
        self.km: Any = None
        self.notebooks = 0  # run in the current kernel

    # -- the kernel ------------------------------------------------------------------------------

    def ensure(self) -> Any:
        """The session's kernel manager, with a live, prepared kernel (started if there is none)."""
        from jupyter_core.utils import run_sync

        if self.km is not None and run_sync(self.km.is_alive)():
            return self.km
        self.discard()
        from jupyter_client.manager import AsyncKernelManager

        km = AsyncKernelManager(kernel_name=self.kernel_name)
        with kernel_environment():
            run_sync(km.start_kernel)(extra_arguments=list(KERNEL_ARGUMENTS))
        self.km = km
        self.notebooks = 0
        try:
            self._run(_preload_code(self.preload))
        except KernelError:
            self.discard()
            raise
        return km

    def prepare(self) -> Any:
        """Before a notebook: a live kernel with a fresh namespace; returns its kernel manager."""
        km = self.ensure()
        if self.notebooks:
            try:
                self._run(_RESET)
            except KernelError:
                self.discard()
                km = self.ensure()
        self.notebooks += 1
        return km

    def discard(self) -> None:
        """Shut the kernel down now (after a failed or timed-out notebook: its state is not trusted)."""
        km, self.km = self.km, None
        if km is None:
            return
        from jupyter_core.utils import run_sync

        try:
            run_sync(km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001  (already dead, or its process is gone: nothing left to stop)
            pass

    close = discard

    def _run(self, code: str, timeout: float | None = None) -> None:
        """Execute `code` silently in the kernel and wait for it; KernelError if it fails."""
        from jupyter_core.utils import run_sync

        # A client of the kernel manager: it asks the manager whether the kernel process lives. A client
        # on its own would judge by heartbeats, which a kernel busy importing on a loaded machine misses.
        client = self.km.client()
        client.start_channels()
        try:
            run_sync(client.wait_for_ready)(timeout=self.startup_timeout)
            reply = run_sync(client.execute_interactive)(
                code,
                silent=True,
                store_history=False,
                timeout=timeout or self.startup_timeout,
                output_hook=lambda msg: None,
            )
        except (RuntimeError, TimeoutError) as exc:
            raise KernelError(f"kernel did not answer: {exc}") from exc
        finally:
            client.stop_channels()
        content = reply.get("content", {})
        if content.get("status") != "ok":
            raise KernelError(f"{content.get('ename')}: {content.get('evalue')}")


# -- papermill's engine for a kept kernel ----------------------------------------------------------


def register_engine() -> None:
    """Register the `casekit-kept-kernel` papermill engine (once per process)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger

    if ENGINE_NAME in papermill_engines._engines:
        return

    class KeptKernelEngine(NBClientEngine):  # type: ignore[misc]
        """papermill's nbclient engine on a given kernel manager; closes its client's channels after."""

        @classmethod
        def execute_managed_notebook(  # type: ignore[no-untyped-def]
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            kwargs.pop("input_path", None)
            kwargs.pop("timeout", None)
            kwargs.pop("startup_timeout", None)
            client = PapermillNotebookClient(
                nb_man,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
                **kwargs,
            )
            try:
                return client.execute()
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()
                    client.kc = None

    papermill_engines.register(ENGINE_NAME, KeptKernelEngine)


# -- the worker process's session --------------------------------------------------------------------

_SESSION: KernelSession | None = None


def current_session() -> KernelSession | None:
    """The session of this process (a pool worker's, or the one `session_in_process` opened)."""
    return _SESSION


def start_worker_session(kernel_name: str = KERNEL_NAME) -> None:
    """Process-pool initializer: import the notebook machinery and start this worker's kept kernel.

    Never raises (a failing initializer would break the whole pool): without a kernel here, each
    notebook starts one of its own, as papermill does by default.
    """
    global _SESSION
    try:
        import nbformat
        import papermill  # noqa: F401  (its import, and the HTML exporter's templates: paid while the parent computes)

        from .execute import html_exporter

        html_exporter().from_notebook_node(nbformat.v4.new_notebook())
        register_engine()
        session = KernelSession(kernel_name)
        session.ensure()
    except Exception as exc:  # noqa: BLE001
        warnings.warn(f"casekit: no kept kernel in this worker ({exc})", RuntimeWarning, stacklevel=1)
        return
    _SESSION = session
    multiprocessing.util.Finalize(None, session.close, exitpriority=10)


@contextmanager
def session_in_process(kernel_name: str = KERNEL_NAME) -> Iterator[KernelSession]:
    """A kept kernel for notebooks run in this process one after another (`--jobs 1`); shut down after."""
    global _SESSION
    previous = _SESSION
    register_engine()
    session = KernelSession(kernel_name)
    _SESSION = session
    try:
        yield session
    finally:
        _SESSION = previous
        session.close()
