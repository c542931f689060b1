"""Events through which later apps react to moderation records without this app
importing them (DESIGN.md: imports point one way).

Register in ``AppConfig.ready``::

    hooks.register(hooks.ACTION_LOGGED, register_record_if_marked)

An ``ACTION_LOGGED`` hook takes ``record`` (the new ``ModerationAction``) and
``actor`` keyword arguments and runs inside the logging transaction, so an error
in it rolls the whole entry back.
"""

from collections import defaultdict
from collections.abc import Callable

ACTION_LOGGED = "action_logged"

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
