"""On-premise Active Directory over LDAP (``ldap3``) as the staff directory.

The service binds with a read-only account and reads every person under the
base DN with a paged search (AD returns at most 1000 entries per page). A
disabled account (``userAccountControl`` bit 2) has left today; ``accountExpires``
in the future is the day they leave; a person no longer found has left.
Groups come from ``memberOf``: a mapping may name the group's CN (as ADFS sends
it) or its whole DN.
"""

from __future__ import annotations

import base64
import datetime
import uuid
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from ldap3 import NONE, SUBTREE, Connection, Server
from ldap3.core.exceptions import LDAPException

from accounts.directory.sources import DirectoryError, DirectoryPerson, Readout

ACCOUNTDISABLE = 0x2
NEVER = 0x7FFFFFFFFFFFFFFF
FILETIME_EPOCH = datetime.datetime(1601, 1, 1, tzinfo=datetime.UTC)
ATTRIBUTES = (
    "givenName",
    "sn",
    "mail",
    "department",
    "manager",
    "memberOf",
    "userAccountControl",
    "accountExpires",
)


def _values(entry: dict, name: str) -> list[bytes]:
    for key, values in (entry.get("raw_attributes") or {}).items():
        if key.lower() == name.lower():
            return [v if isinstance(v, bytes) else str(v).encode() for v in values]
    return []


def _text(entry: dict, name: str) -> str | None:
    values = _values(entry, name)
    return values[0].decode("utf-8", "replace") if values else None


def identifier_of(entry: dict) -> str:
    """The stable id as sign-on sees it: objectGUID as text (or base64, as ADFS
    sends it as ImmutableID), or the configured attribute's value."""
    raw = next(iter(_values(entry, settings.DIRECTORY_LDAP_ID_ATTRIBUTE)), b"")
    if settings.DIRECTORY_LDAP_ID_FORMAT == "base64":
        return base64.b64encode(raw).decode()
    if len(raw) == 16 and settings.DIRECTORY_LDAP_ID_ATTRIBUTE.lower() == "objectguid":
        return str(uuid.UUID(bytes_le=raw))
    return raw.decode("utf-8", "replace").strip("{}").lower()


def end_date_of(entry: dict) -> datetime.date | None:
    """``accountExpires``: 100-nanosecond steps since 1601 (UTC); 0 or the
    largest value means never."""
    raw = _text(entry, "accountExpires")
    try:
        ticks = int(raw) if raw else 0
    except ValueError:
        return None
    if ticks <= 0 or ticks >= NEVER:
        return None
    return timezone.localdate(FILETIME_EPOCH + datetime.timedelta(microseconds=ticks // 10))


def _cn(dn: str) -> str:
    first = dn.split(",", 1)[0]
    return first.split("=", 1)[1] if "=" in first else first


def _groups(entry: dict, wanted: dict[str, str]) -> set[str]:
    found = set()
    for dn in (v.decode("utf-8", "replace") for v in _values(entry, "memberOf")):
        for name in (dn.lower(), _cn(dn).lower()):
            if name in wanted:
                found.add(wanted[name])
    return found


def _enabled(entry: dict) -> bool | None:
    raw = _text(entry, "userAccountControl")
    try:
        return not int(raw) & ACCOUNTDISABLE if raw else None
    except ValueError:
        return None


class LdapSource:
    name = "ldap"

    def __init__(self, connection: Any = None):
        self.connection = connection

    def _connect(self) -> Any:
        if self.connection is not None:
            return self.connection
        server = Server(
            settings.DIRECTORY_LDAP_URL, get_info=NONE, connect_timeout=settings.DIRECTORY_TIMEOUT
        )
        return Connection(
            server,
            user=settings.DIRECTORY_LDAP_BIND_DN,
            password=settings.DIRECTORY_LDAP_BIND_PASSWORD,
            read_only=True,
            receive_timeout=settings.DIRECTORY_TIMEOUT,
        )

    def read(self, *, cursor: str, full: bool, groups: list[str]) -> Readout:
        try:
            connection = self._connect()
            if not connection.bound and not connection.bind():
                raise DirectoryError(
                    _(
                        "LDAP-katalogen godtog inte tjänstens bindkonto. Kontrollera "
                        "DIRECTORY_LDAP_BIND_DN och lösenordet."
                    )
                )
            entries = [
                e
                for e in connection.extend.standard.paged_search(
                    search_base=settings.DIRECTORY_LDAP_BASE_DN,
                    search_filter=settings.DIRECTORY_LDAP_USER_FILTER,
                    search_scope=SUBTREE,
                    attributes=[*ATTRIBUTES, settings.DIRECTORY_LDAP_ID_ATTRIBUTE],
                    paged_size=settings.DIRECTORY_LDAP_PAGE_SIZE,
                    generator=True,
                )
                if e.get("type") == "searchResEntry"
            ]
        except LDAPException as exc:
            raise DirectoryError(
                _("LDAP-katalogen kunde inte läsas (%(error)s).") % {"error": type(exc).__name__}
            ) from exc
        return self._readout(entries, groups)

    def _readout(self, entries: list[dict], groups: list[str]) -> Readout:
        wanted = {g.lower(): g for g in groups}
        id_of_dn = {e["dn"].lower(): identifier_of(e) for e in entries}
        readout = Readout(full=True)
        for entry in entries:
            person_id = id_of_dn[entry["dn"].lower()]
            if not person_id:
                continue
            manager_dn = _text(entry, "manager")
            expires = end_date_of(entry)
            readout.people.append(
                DirectoryPerson(
                    id=person_id,
                    given_name=_text(entry, "givenName") or "",
                    family_name=_text(entry, "sn") or "",
                    email=_text(entry, "mail") or "",
                    department=_text(entry, "department") or "",
                    manager_id=id_of_dn.get(manager_dn.lower()) if manager_dn else "",
                    enabled=_enabled(entry),
                    ends_on=expires,
                    ends_said=True,
                )
            )
            member_of = _groups(entry, wanted)
            if member_of:
                readout.groups_of[person_id] = member_of
        return readout
