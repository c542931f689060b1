"""Hooks through which later apps react to account events without this app
importing them (DESIGN.md: imports point one way).

Register in ``AppConfig.ready``:

    hooks.register(hooks.CLOSE_PRECONDITIONS, archive_final_snapshot_missing)

``DIRECT_REGISTRATION_PRECONDITIONS`` hooks take the proposed ``AccountData`` and
``is_pre_existing`` and say why it may not be registered without a plan (the
plans app: only pre-existing accounts enter directly, §2–§3).

A precondition hook takes the account and returns a list of unmet conditions
(Swedish messages); an event hook takes ``account`` and ``actor`` keyword arguments.
"""

from collections import defaultdict
from collections.abc import Callable

DIRECT_REGISTRATION_PRECONDITIONS = "direct_registration_preconditions"
ACTIVATION_PRECONDITIONS = "activation_preconditions"
CLOSE_PRECONDITIONS = "close_preconditions"
ACCOUNT_ACTIVATED = "account_activated"
ACCOUNT_CLOSING = "account_closing"
ACCOUNT_CLOSED = "account_closed"
ACCOUNT_CHANGED = "account_changed"

_HOOKS: dict[str, list[Callable]] = defaultdict(list)


def register(event: str, fn: Callable) -> Callable:
    if fn not in _HOOKS[event]:
        _HOOKS[event].append(fn)
    return fn


def unregister(event: str, fn: Callable) -> None:
    if fn in _HOOKS[event]:
        _HOOKS[event].remove(fn)


def unmet(event: str, *args, **kwargs) -> list[str]:
    problems: list[str] = []
    for fn in _HOOKS[event]:
        problems.extend(fn(*args, **kwargs))
    return problems


def fire(event: str, **kwargs) -> None:
    for fn in _HOOKS[event]:
        fn(**kwargs)
