"""The one refusal type services raise, and the one way a view shows it.

A service that refuses a change raises ``ServiceError`` (or an app's subclass of
it) with a message a person can read and, where the refusal concerns particular
fields, ``errors``: form field name ("" for the whole form) to Swedish messages.
Views put it on their form with ``add_to_form``; nothing else reads the payload.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol


class _Form(Protocol):
    # Read-only, so that a form's ``dict[str, Field]`` matches.
    @property
    def fields(self) -> Mapping[str, object]: ...

    def add_error(self, field: str | None, error: str) -> None: ...


class ServiceError(Exception):
    """A refused change, with a message a person can read (Swedish) and the
    reasons per form field (``""`` for the whole form)."""

    def __init__(
        self,
        message: str,
        errors: Mapping[str, Iterable[str]] | Iterable[str] | None = None,
    ):
        super().__init__(message)
        self.message = str(message)
        self.errors: dict[str, list[str]] = _normalise(errors)

    @property
    def messages(self) -> list[str]:
        """Every reason, field by field, or the message when there are none."""
        flat = [message for messages in self.errors.values() for message in messages]
        return flat or [self.message]

    def __str__(self) -> str:
        return self.message


def _normalise(
    errors: Mapping[str, Iterable[str]] | Iterable[str] | None,
) -> dict[str, list[str]]:
    if not errors:
        return {}
    if isinstance(errors, Mapping):
        return {str(field): [str(m) for m in messages] for field, messages in errors.items()}
    # A bare list of reasons concerns the whole form.
    return {"": [str(message) for message in errors]}


def add_to_form(form: _Form, exc: ServiceError) -> None:
    """Put a refusal's reasons next to the fields they name; reasons for a field
    the form does not have, and a refusal with no reasons, go on the whole form."""
    if not exc.errors:
        form.add_error(None, exc.message)
        return
    for field, messages in exc.errors.items():
        target = field if field and field in form.fields else None
        for message in messages:
            form.add_error(target, message)
