"""The status-transition table several records share (DESIGN.md "Lifecycles").

A model lists, per status, the statuses it may move to; services ask before a
move and raise their own error, in their own words, when the move does not exist.
"""

from collections.abc import Callable
from typing import ClassVar


class TransitionsMixin:
    """For a model with a ``status`` field and a ``TRANSITIONS`` table. A status
    missing from the table (or mapped to an empty set) is an end state."""

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {}

    def _current_status(self) -> str:
        # Read through getattr: the field lives on the model, not on the mixin.
        return str(getattr(self, "status"))  # noqa: B009

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self._current_status(), set())

    def check_move(self, status: str, error: Callable[[], Exception]) -> None:
        """Raise ``error()`` (built only when needed, so it may name both
        statuses) unless the table has the move."""
        if not self.can_move_to(status):
            raise error()

    def move_to(self, status: str, error: Callable[[], Exception]) -> None:
        """Check the move, then set the status (the caller saves)."""
        self.check_move(status, error)
        setattr(self, "status", status)  # noqa: B010

    move_to.alters_data = True  # type: ignore[attr-defined]  # templates must not call it
