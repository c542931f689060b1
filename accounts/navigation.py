"""The navigation: each app registers its entries with a test of who sees them,
so the menu shows each role what it may do without this app importing others."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    visible: Callable
    order: int = 100


_ENTRIES: list[NavEntry] = []


def register_nav(label, url_name: str, visible: Callable, order: int = 100) -> None:
    if any(e.url_name == url_name for e in _ENTRIES):
        return
    _ENTRIES.append(NavEntry(label, url_name, visible, order))


def navigation_for(request) -> list[dict]:
    items = []
    path = request.path
    for entry in sorted(_ENTRIES, key=lambda e: e.order):
        if not entry.visible(request.user):
            continue
        url = reverse(entry.url_name)
        items.append(
            {
                "label": entry.label,
                "url": url,
                "current": path == url or (url != "/" and path.startswith(url) and len(url) > 1),
            }
        )
    return items
