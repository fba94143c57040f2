"""Where a batch's chunks run: this process, a local process pool, or a Dask cluster.

Every engine runs the same ``run_chunk`` on the same ``ChunkTask``s and hands each ``ChunkOutcome``
to ``on_done`` as it arrives, in any order: the batch's files are put together from the chunks' parts
in chunk order afterwards, so the output does not depend on the engine or on which worker did what.

Interruptions: a ``KeyboardInterrupt`` in the batch's process (Ctrl-C, or SIGTERM, which the batch
turns into one) stops the engine before it propagates. Pool workers ignore SIGINT (Ctrl-C reaches
the whole process group; only the batch decides), are terminated at once and killed if still alive
after ``STOP_GRACE`` seconds. A chunk cut short leaves only whole files (every write is atomic) and
possibly temporary files, which the batch removes.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from evaluator.analysis.chunk import ChunkOutcome, ChunkTask, run_chunk
from evaluator.errors import EvaluatorError

__all__ = ["ENGINES", "STOP_GRACE", "run_dask", "run_local"]

ENGINES = ("local", "dask")
STOP_GRACE = 1.5  # seconds a terminated worker gets before it is killed

OnDone = Callable[[ChunkOutcome], None]


def run_local(tasks: Sequence[ChunkTask], workers: int, on_done: OnDone) -> None:
    """Run the chunks in this process (one worker) or in a pool of worker processes."""
    if workers <= 1 or len(tasks) <= 1 or not _can_start_workers():
        for task in tasks:
            on_done(run_chunk(task))
        return
    context = multiprocessing.get_context(_start_method())
    pool = ProcessPoolExecutor(min(workers, len(tasks)), mp_context=context, initializer=_worker_start)
    try:
        pending: set[Future[ChunkOutcome]] = {pool.submit(run_chunk, task) for task in tasks}
        while pending:
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                on_done(future.result())
    except BaseException:
        _stop_pool(pool)
        raise
    pool.shutdown()


def _worker_start() -> None:
    """Ctrl-C reaches every process of the terminal's group: a worker leaves the decision to the batch."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Terminate the pool's workers now (a running chunk is cut short), kill any still alive after the grace."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + STOP_GRACE
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
    for process in processes:
        if process.is_alive():
            process.kill()
            process.join(1)
    pool.shutdown(wait=True, cancel_futures=True)


def _start_method() -> str:
    """Return a start method that does not fork a process that may hold threads (forkserver, else spawn)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        multiprocessing.get_context("forkserver").set_forkserver_preload(["evaluator.analysis.chunk"])
        return "forkserver"
    return "spawn"


def _can_start_workers() -> bool:
    """Worker processes re-import the main module by its file: not possible for ``python -`` or a REPL."""
    main = sys.modules.get("__main__")
    if main is None:
        return False
    file = getattr(main, "__file__", None)
    if file is None:
        return getattr(main, "__spec__", None) is not None
    return Path(file).is_file()


# --- Dask ---------------------------------------------------------------------------------------------------


class DaskMissingError(EvaluatorError):
    def __init__(self) -> None:
        super().__init__('--engine dask 需要 Dask：pip install "evaluator[scale]"（安装 dask[distributed] 和 fsspec）')


class SchedulerError(EvaluatorError):
    def __init__(self, address: str, reason: str) -> None:
        super().__init__(f"无法连接 Dask 调度器 {address}：{reason}\n"
                         "    提示：检查地址（如 tcp://10.0.0.5:8786）和网络；不写 --scheduler 时在本机启动一个集群。")


def run_dask(tasks: Sequence[ChunkTask], workers: int, on_done: OnDone, scheduler: str | None = None) -> None:
    """Run the chunks as tasks on a Dask cluster: the one at ``scheduler``, or a LocalCluster of ``workers``.

    The workers read the inputs and write the outputs themselves, so on a real cluster the folders
    must be storage every worker sees (fsspec URLs such as s3://…, or one shared file system).
    """
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise DaskMissingError() from None
    cluster: Any = None
    if scheduler is None:
        with _workers_ignore_ctrl_c():
            cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.CRITICAL)
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as error:
            raise SchedulerError(scheduler, str(error)) from None
    futures: list[Any] = []
    try:
        futures = [client.submit(run_chunk, task, key=f"evaluator-chunk-{task.index:06d}-{task.digest[:16]}",
                                 pure=False, retries=0) for task in tasks]
        for future in as_completed(futures):
            on_done(future.result())
    except BaseException:
        if futures:
            client.cancel(futures, force=True)
        raise
    finally:
        _close_quietly(client, cluster)


@contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Start worker processes with SIGINT ignored (inherited through exec; Python keeps an ignored SIGINT).

    Ctrl-C reaches every process of the terminal's group; the batch alone decides, and closes the cluster.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _close_quietly(client: Any, cluster: Any) -> None:
    """Close the client and a LocalCluster within seconds; their shutdown chatter is not the user's business."""
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    with suppress(Exception):  # closing after an interruption: the cluster may already be gone
        client.close(timeout=2)
    if cluster is not None:
        with suppress(Exception):
            cluster.close(timeout=2)
