"""The same function over many items on two cores: a forked child takes the second half.

Forking pays from a few hundred items on (it costs a few milliseconds) and is done only from a
single-threaded process (never from the preview server, whose threads could hold locks the
child would wait on forever). The child sends its results back pickled; an item it could not
do (an exception, a result that does not pickle) is done again here, so exceptions surface
exactly as they would without the child.
"""

from __future__ import annotations

import os
import pickle
import threading
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MINIMUM_ITEMS = 200
_REDO = "redo"


def map_on_two_cores(function: Callable[[Item], Result], items: Sequence[Item],
                     caught: type[BaseException] = ()) -> list:
    """[function(item) for item in items], an exception of type `caught` given as the result."""
    if len(items) < MINIMUM_ITEMS or threading.active_count() > 1 or not hasattr(os, "fork"):
        return [_call(function, item, caught) for item in items]
    half = len(items) // 2
    reader, writer = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reader)
        _die_with(parent)
        _send(writer, function, items[half:])
    os.close(writer)
    try:
        mine = [_call(function, item, caught) for item in items[:half]]
        with os.fdopen(reader, "rb") as pipe:
            try:
                theirs = pickle.load(pipe)
            except (EOFError, pickle.UnpicklingError):  # the child died: do its part here
                theirs = [_REDO] * (len(items) - half)
    except BaseException:
        os.kill(pid, 9)
        raise
    finally:
        os.waitpid(pid, 0)
    return mine + [_call(function, item, caught) if type(result) is str and result == _REDO else result
                   for item, result in zip(items[half:], theirs)]


def _call(function, item, caught):
    try:
        return function(item)
    except caught as exc:
        return exc


def _die_with(parent: int) -> None:
    """Have the kernel end this child when its parent dies (Linux), so a killed build leaves no
    child writing into its abandoned staging folder."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _send(writer: int, function, items) -> None:
    status = 1
    try:
        results = []
        for item in items:
            try:
                results.append(function(item))
            except BaseException:
                results.append(_REDO)
        try:
            data = pickle.dumps(results)
        except Exception:
            data = pickle.dumps([_REDO] * len(items))
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(data)
        status = 0
    finally:
        os._exit(status)
