"""Answers remembered for one scope in which nothing changes.

The menu asks each app's entry whether this person may see it, and the entries ask
the same questions of the same person (is she the information officer or her
deputy, does he manage a unit): without a memory each page asked them again per
entry. ``remembered()`` opens a scope (``accounts.navigation`` opens one around the
menu and the start page's to-do list); inside it, a function marked
``@within_scope`` answers each set of arguments once. Outside any scope it is
called as usual, so services and views that change what it reads never see an old
answer."""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

_scope: ContextVar[dict | None] = ContextVar("nora_remembered", default=None)

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def remembered() -> Iterator[None]:
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


def _key_part(value: Any) -> Any:
    """A model instance by its class and primary key (another instance of the same
    row is the same question); anything else as it is."""
    pk = getattr(value, "pk", None)
    return (type(value), pk) if pk is not None else value


def within_scope(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        memo = _scope.get()
        if memo is None:
            return fn(*args, **kwargs)
        key = (
            fn,
            tuple(_key_part(a) for a in args),
            tuple(sorted((k, _key_part(v)) for k, v in kwargs.items())),
        )
        try:
            return memo[key]
        except KeyError:
            memo[key] = result = fn(*args, **kwargs)
            return result
        except TypeError:  # an argument that cannot be a key: not remembered
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
