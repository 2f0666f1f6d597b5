"""The same function over many items in worker processes, one per CPU this process may use.

Items are handed out in chunks as workers ask for them, and the results come back in the
items' order, so the output never depends on which worker did what. An item a worker could not
do (an exception, a result that does not pickle, a worker that died) is done again here, so an
error surfaces exactly as it would in one process.

Two ways to start workers:
- fork (Linux, and wherever os.fork exists): the children inherit the function as it is, this
  process works too, and chunk numbers are handed out through a pipe (reads of 4 bytes are
  atomic, so each chunk goes to exactly one worker). Only from a single-threaded process: a
  thread could hold a lock the child would wait on forever (the preview server has threads).
- spawn (macOS, Windows, or start_method="spawn"): fresh interpreters that receive the function
  pickled once each, so it must pickle (see content.PaperReader and render.PaperWriter).

Small jobs stay in this process: starting a worker costs more than a few dozen papers.
A function with a `chunk_done()` method has it called in the process that did a chunk, after
the chunk (the content cache writes what the chunk made, so that no process holds it all).
"""

from __future__ import annotations

import gc
import os
import pickle
import struct
import threading
from dataclasses import dataclass
from typing import Callable, Sequence

MINIMUM_ITEMS = 200  # below this, one process is faster
ITEMS_PER_WORKER = 100  # at least this many items for each worker started
_REDO = "redo"  # a result the worker could not produce: done again here


def available_cpus() -> int:
    """How many CPUs this process may run on (its affinity mask, not the machine's count)."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


@dataclass(frozen=True)
class Workers:
    """How to run work in processes: how many (None: one per available CPU) and how to start
    them (None: fork where the system has it, else spawn). `--jobs N` is Workers(N)."""

    jobs: int | None = None
    start_method: str | None = None


def worker_count(items: int, jobs: int | None = None) -> int:
    """The processes to use for this many items: `jobs` (or every available CPU), fewer when
    there are too few items to pay for starting them."""
    wanted = jobs if jobs else available_cpus()
    if items < MINIMUM_ITEMS:
        return 1
    return max(1, min(wanted, items // ITEMS_PER_WORKER))


def map_in_workers(function: Callable, items: Sequence, caught: type[BaseException] | tuple = (),
                   jobs: Workers | int | None = None) -> list:
    """[function(item) for item in items], an exception of type `caught` given as the result.
    `jobs`: a number of processes, or Workers."""
    spec = jobs if isinstance(jobs, Workers) else Workers(jobs)
    workers = worker_count(len(items), spec.jobs)
    method = spec.start_method or ("fork" if hasattr(os, "fork") else "spawn")
    if workers > 1 and method == "fork" and threading.active_count() > 1:
        workers = 1  # never fork from a threaded process
    if workers <= 1:
        results = [_call(function, item, caught) for item in items]
        _chunk_done(function)
        return results
    chunks = _chunks(len(items), workers)
    if method == "fork":
        results = _forked(function, items, chunks, workers, caught)
    else:
        results = _spawned(function, items, chunks, workers, method)
    return [_call(function, item, caught) if _is_redo(result) else result
            for item, result in zip(items, results)]


def _chunks(count: int, workers: int) -> list[range]:
    """Consecutive ranges, several per worker so that a slow worker gets fewer."""
    size = max(8, count // (workers * 6))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _call(function, item, caught):
    try:
        return function(item)
    except caught as exc:
        return exc


def _is_redo(result) -> bool:
    return type(result) is str and result == _REDO


def _do_chunk(function, items, chunk: range) -> list:
    results = []
    for index in chunk:
        try:
            results.append(function(items[index]))
        except BaseException:
            results.append(_REDO)
    _chunk_done(function)
    return results


def _chunk_done(function) -> None:
    done = getattr(function, "chunk_done", None)
    if done is not None:
        done()


# fork --------------------------------------------------------------------------------------

def _forked(function, items, chunks: list[range], workers: int, caught) -> list:
    """Children and this process take chunk numbers from one pipe; each child sends back
    {chunk number: results} when the pipe is empty."""
    tasks_out, tasks_in = os.pipe()
    with os.fdopen(tasks_in, "wb") as queue:  # a few hundred bytes: fits the pipe's buffer
        queue.write(b"".join(struct.pack("<i", n) for n in range(len(chunks))))
    parent = os.getpid()
    children: list[tuple[int, int]] = []  # (pid, read end of its result pipe)
    # The objects there are now are left out of garbage collection while the workers run: a
    # collection in a child would write into every object and so copy every page of memory it
    # shares with this process (seconds of kernel time at 10,000 papers).
    gc.freeze()
    try:
        for _ in range(workers - 1):
            reader, writer = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: never returns
                os.close(reader)
                for _, other in children:
                    os.close(other)
                _die_with(parent)
                _child(function, items, chunks, tasks_out, writer)
            os.close(writer)
            children.append((pid, reader))
        done: dict[int, list] = {}
        for number in _take(tasks_out):
            done[number] = [_call(function, items[i], caught) for i in chunks[number]]
            _chunk_done(function)
        for pid, reader in children:
            with os.fdopen(reader, "rb") as pipe:
                try:
                    done.update(pickle.load(pipe))
                except (EOFError, pickle.UnpicklingError):
                    pass  # the child died: its chunks are redone below
    except BaseException:
        for pid, _ in children:
            os.kill(pid, 9)
        raise
    finally:
        gc.unfreeze()
        os.close(tasks_out)
        for pid, _ in children:
            os.waitpid(pid, 0)
    results: list = []
    for number, chunk in enumerate(chunks):
        results.extend(done.get(number, [_REDO] * len(chunk)))
    return results


def _take(tasks: int):
    """Chunk numbers from the task pipe until it is empty."""
    while True:
        data = os.read(tasks, 4)
        if len(data) < 4:
            return
        yield struct.unpack("<i", data)[0]


def _child(function, items, chunks, tasks: int, writer: int) -> None:
    status = 1
    try:
        done = {number: _do_chunk(function, items, chunks[number]) for number in _take(tasks)}
        try:
            data = pickle.dumps(done)
        except Exception:
            data = pickle.dumps({})
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(data)
        status = 0
    finally:
        os._exit(status)


def _die_with(parent: int) -> None:
    """Have the kernel end this worker when its parent dies (Linux), so a killed build leaves
    no worker writing into its abandoned staging folder."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except Exception:  # no prctl (macOS) or no C library to load (Windows)
        pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


# spawn -------------------------------------------------------------------------------------

_installed: Callable | None = None  # the function, in a spawned worker


def _install(function, parent: int) -> None:
    global _installed
    _installed = function
    if hasattr(os, "getppid"):
        _die_with(parent)


def _spawned_chunk(items) -> list:
    results = _do_chunk(_installed, items, range(len(items)))
    try:
        pickle.dumps(results)
    except Exception:
        return [_REDO] * len(items)
    return results


def _spawned(function, items, chunks: list[range], workers: int, method: str) -> list:
    import multiprocessing

    context = multiprocessing.get_context(method)
    results: list = []
    with context.Pool(workers, initializer=_install, initargs=(function, os.getpid())) as pool:
        for done in pool.imap(_spawned_chunk, [[items[i] for i in chunk] for chunk in chunks]):
            results.extend(done)
    return results
