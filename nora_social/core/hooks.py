"""A small registry of named events, one per app that offers hook points
(``channels_registry.hooks``, ``activity_plans.hooks``, ``moderation.hooks``).

Later apps register their functions in ``AppConfig.ready`` and the app that owns
the event fires it, so imports point one way (DESIGN.md). Each hook module binds
an instance's methods as its module functions::

    _events = Events()
    register, unregister, fire = _events.register, _events.unregister, _events.fire
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any


class Events:
    def __init__(self) -> None:
        self._hooks: dict[str, list[Callable]] = defaultdict(list)

    def register(self, event: str, fn: Callable) -> Callable:
        if fn not in self._hooks[event]:
            self._hooks[event].append(fn)
        return fn

    def unregister(self, event: str, fn: Callable) -> None:
        if fn in self._hooks[event]:
            self._hooks[event].remove(fn)

    def fire(self, event: str, **kwargs: Any) -> None:
        """Call every hook of ``event`` with the event's keyword arguments."""
        for fn in self._hooks[event]:
            fn(**kwargs)

    def count(self, event: str) -> int:
        """How many hooks ``event`` has: a check that must be answered by a
        later app refuses when nobody answers."""
        return len(self._hooks[event])

    def collect(self, event: str, *args: Any, **kwargs: Any) -> list:
        """Every hook of ``event`` returns a list; all of them joined, in
        registration order."""
        found: list = []
        for fn in self._hooks[event]:
            found.extend(fn(*args, **kwargs))
        return found

    def unmet(self, event: str, *args: Any, **kwargs: Any) -> list[str]:
        """For precondition events: every hook returns a list of unmet
        conditions (Swedish messages); all of them, in registration order."""
        return self.collect(event, *args, **kwargs)
