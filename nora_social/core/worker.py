"""A Celery worker process around its tasks (kernel: imports no app).

The prefork worker forks its children from a parent that has imported the apps;
``nora_social.celery`` warms that parent (the PDF libraries, fonts, templates)
and freezes its heap before the fork, so every child, and every child that
replaces one, starts warm. What a child must do for itself after the fork (its
own database connection) is registered here by the apps with
``on_child_start``. A task that builds a large document sets
``release_memory_after`` (``NoraTask``) and the child then gives back what the
task left behind (``release_memory``). Figures: docs/performance.md.
"""

import ctypes
import ctypes.util
import gc
import logging
from collections.abc import Callable
from functools import cache

logger = logging.getLogger(__name__)

_child_start: list[Callable[[], None]] = []


def on_child_start(fn: Callable[[], None]) -> Callable[[], None]:
    """Call ``fn`` in each worker child after the fork, before its first task."""
    if fn not in _child_start:
        _child_start.append(fn)
    return fn


def start_child() -> None:
    """Run the registered child start-ups. A failure is logged, not raised: a
    child that cannot warm up still runs its tasks (which then pay for it)."""
    for fn in _child_start:
        try:
            fn()
        except Exception:  # noqa: BLE001 - the task will meet a real failure itself
            logger.warning("Worker child start-up %s failed", fn.__qualname__, exc_info=True)


def freeze_heap() -> None:
    """Move everything the process holds now out of the garbage collector's
    reach. Before a fork: a child's full collections then walk only what it
    made itself, not the parent's whole heap of modules (which also keeps
    those pages shared instead of copied)."""
    gc.collect()
    gc.freeze()


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None)  # glibc only
    if trim is None:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int

    def call(pad: int) -> int:
        return int(trim(pad))

    return call


def release_memory() -> None:
    """After a task that built a large document: collect the reference cycles
    it left (layout trees) now rather than at some later task, and hand the
    freed heap back to the operating system (glibc keeps it otherwise, so the
    child's resident size would creep up task by task)."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
