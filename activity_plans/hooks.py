"""Events through which later apps react to activity plans without this app
importing them (DESIGN.md: imports point one way).

Register in ``AppConfig.ready``::

    hooks.register(hooks.PLAN_APPROVED, register_plan_after_commit)

A ``PLAN_APPROVED`` hook takes ``plan`` (the ``ActivityPlan``, now approved, its
PDF stored) and ``actor`` (the information officer who gave the final approval)
keyword arguments and runs inside the approval transaction, so an error in it
rolls the approval back. A hook that writes elsewhere (the register) defers its
work with ``transaction.on_commit``, as the archive does.
"""

from collections import defaultdict
from collections.abc import Callable

PLAN_APPROVED = "plan_approved"

_HOOKS: dict[str, list[Callable]] = defaultdict(list)


def register(event: str, fn: Callable) -> Callable:
    if fn not in _HOOKS[event]:
        _HOOKS[event].append(fn)
    return fn


def unregister(event: str, fn: Callable) -> None:
    if fn in _HOOKS[event]:
        _HOOKS[event].remove(fn)


def fire(event: str, **kwargs) -> None:
    for fn in _HOOKS[event]:
        fn(**kwargs)
