"""The navigation: each app registers its entries with a test of who sees them,
so the menu shows each role what it may do without this app importing others.
An entry may carry a count (what waits there for this person), shown beside it.

The start page's "to do today" list works the same way: each app registers a
function that takes the user and returns ``TodoItem``s (what waits for them, with
a link)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from nora_social.core.memo import remembered


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    visible: Callable
    order: int = 100
    count: Callable | None = None


@dataclass(frozen=True)
class TodoItem:
    text: str
    url: str
    order: int = 100


_ENTRIES: list[NavEntry] = []
_TODOS: list[Callable] = []


def register_nav(
    label, url_name: str, visible: Callable, order: int = 100, count: Callable | None = None
) -> None:
    if any(e.url_name == url_name for e in _ENTRIES):
        return
    _ENTRIES.append(NavEntry(label, url_name, visible, order, count))


def register_todo(fn: Callable) -> None:
    """``fn(user) -> list[TodoItem]``: what waits for this person today."""
    if fn not in _TODOS:
        _TODOS.append(fn)


def todos_for(user) -> list[TodoItem]:
    with remembered():
        items = [item for fn in _TODOS for item in fn(user)]
    return sorted(items, key=lambda item: item.order)


def navigation_for(request) -> list[dict]:
    """The entries this person may see; the role questions the entries share are
    asked once (``nora_social.core.memo``)."""
    items = []
    path = request.path
    with remembered():
        for entry in sorted(_ENTRIES, key=lambda e: e.order):
            if not entry.visible(request.user):
                continue
            url = reverse(entry.url_name)
            items.append(
                {
                    "label": entry.label,
                    "url": url,
                    "current": path == url
                    or (url != "/" and path.startswith(url) and len(url) > 1),
                    "count": entry.count(request.user) if entry.count else 0,
                }
            )
    return items
