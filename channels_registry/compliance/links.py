"""Links on the compliance dashboard to pages of later apps (the yearly report),
each with a test of who sees it: a later app registers here in its
``AppConfig.ready``, so this app names none of them (DESIGN.md: nothing reaches
rightward)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class DashboardLink:
    label: object  # lazy text
    description: object
    url_name: str
    visible: Callable
    order: int = 100


_LINKS: list[DashboardLink] = []


def register_dashboard_link(link: DashboardLink) -> None:
    """Register once (an app's ``ready`` may run again in tests)."""
    if all(existing.url_name != link.url_name for existing in _LINKS):
        _LINKS.append(link)


def dashboard_links_for(user) -> list[dict]:
    return [
        {"label": link.label, "description": link.description, "url": reverse(link.url_name)}
        for link in sorted(_LINKS, key=lambda link: link.order)
        if link.visible(user)
    ]
