"""One interface over the two kinds of staff directory: what a reading says,
protocol-free, and the source configured in settings.

A source's ``read(cursor=..., full=..., groups=...)`` returns a ``Readout`` or
raises ``DirectoryError`` with a Swedish message that names no credential.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings

from nora_social.core.errors import ServiceError


class DirectoryError(ServiceError):
    """The directory could not be read; nothing was changed."""


@dataclass(frozen=True)
class DirectoryPerson:
    """One person as the directory describes them. ``None`` means the reading
    did not say (a delta round carries only what changed); for the manager an
    empty string means "has none", and ``ends_said`` tells whether ``ends_on``
    (the end of employment, if any) was said."""

    id: str
    given_name: str | None = None
    family_name: str | None = None
    email: str | None = None
    department: str | None = None
    manager_id: str | None = None
    enabled: bool | None = None
    ends_on: datetime.date | None = None
    ends_said: bool = False


@dataclass
class Readout:
    """A reading of the directory. ``full``: every person in scope is in
    ``people``, so someone known here and missing there has left. ``removed``:
    ids a delta round reports deleted. ``groups_of``: for every person, the
    groups (of those asked for) they belong to now. ``cursor``: where the next
    delta round starts. ``pushed``: one change the identity provider pushed
    (SCIM): only the people it names are touched, and it says nothing about
    groups, so roles stay as they are."""

    people: list[DirectoryPerson] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)
    groups_of: dict[str, set[str]] = field(default_factory=dict)
    full: bool = True
    cursor: str = ""
    pushed: bool = False


class DirectorySource(Protocol):
    name: str

    def read(self, *, cursor: str, full: bool, groups: list[str]) -> Readout: ...


def configured_source() -> DirectorySource | None:
    """The source the settings name, or None when no directory is configured."""
    if settings.DIRECTORY_SOURCE == "graph":
        from accounts.directory.graph import GraphSource

        return GraphSource()
    if settings.DIRECTORY_SOURCE == "ldap":
        from accounts.directory.ldap_source import LdapSource

        return LdapSource()
    return None
