"""Microsoft Graph (Entra ID) as the staff directory, over plain HTTPS.

The app registration reads with its own identity (client credentials, the
application permissions ``User.Read.All`` and ``GroupMember.Read.All`` with admin
consent). A full read lists ``/users`` page by page (``@odata.nextLink``) and then
asks for a delta link; later rounds read only ``/users/delta`` from the stored
``@odata.deltaLink``. Group membership is read for the mapped groups each time,
so a person moved between groups changes role at the next run.

Throttling (429) and a busy service (503, 504) are waited out as ``Retry-After``
says; an expired token (401) is renewed once; anything else stops the run with
a Swedish message and changes nothing.
"""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from accounts.directory.sources import DirectoryError, DirectoryPerson, Readout

SELECT = "id,givenName,surname,mail,department,accountEnabled"
RETRY_STATUSES = {429, 503, 504}
MAX_TRIES = 5
LONGEST_WAIT = 120
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


def _select() -> str:
    # The end date needs the further permission User-LifeCycleInfo.Read.All.
    return f"{SELECT},employeeLeaveDateTime" if settings.DIRECTORY_GRAPH_LEAVE_DATES else SELECT


def _end_date(raw: Any) -> datetime.date | None:
    moment = parse_datetime(raw) if isinstance(raw, str) else None
    return timezone.localdate(moment) if moment is not None else None


def person_of(item: dict, *, full: bool) -> DirectoryPerson:
    """One user object of a ``/users`` page or a delta page."""
    manager: str | None = None
    if "manager" in item:
        manager = (item.get("manager") or {}).get("id") or ""
    elif "manager@delta" in item:
        links = [m for m in item["manager@delta"] or [] if "@removed" not in m]
        manager = links[0].get("id", "") if links else ""
    elif full:
        manager = ""
    ends_said = "employeeLeaveDateTime" in item
    return DirectoryPerson(
        id=str(item["id"]),
        given_name=item.get("givenName"),
        family_name=item.get("surname"),
        email=item.get("mail"),
        department=item.get("department"),
        manager_id=manager,
        enabled=item.get("accountEnabled"),
        ends_on=_end_date(item.get("employeeLeaveDateTime")) if ends_said else None,
        ends_said=ends_said,
    )


class GraphSource:
    name = "graph"

    def __init__(self, sleep: Callable[[float], None] = time.sleep):
        self.base = settings.DIRECTORY_GRAPH_URL
        self.sleep = sleep
        self.session = requests.Session()
        self._token = ""  # no token yet  # nosec B105

    # HTTP

    def _fetch_token(self) -> str:
        url = (
            f"{settings.DIRECTORY_GRAPH_LOGIN_URL}/{settings.DIRECTORY_GRAPH_TENANT_ID}"
            "/oauth2/v2.0/token"
        )
        data = {
            "grant_type": "client_credentials",
            "client_id": settings.DIRECTORY_GRAPH_CLIENT_ID,
            "client_secret": settings.DIRECTORY_GRAPH_CLIENT_SECRET,
            "scope": f"{urlsplit(self.base).scheme}://{urlsplit(self.base).netloc}/.default",
        }
        try:
            response = self.session.post(url, data=data, timeout=settings.DIRECTORY_TIMEOUT)
        except requests.RequestException as exc:
            raise DirectoryError(_("Entra ID svarade inte på inloggningen.")) from exc
        token = response.json().get("access_token") if response.ok else None
        if not token:
            raise DirectoryError(
                _(
                    "Entra ID godtog inte tjänstens inloggning (HTTP %(status)s). Kontrollera "
                    "appregistreringens id och hemlighet."
                )
                % {"status": response.status_code}
            )
        return str(token)

    def _same_service(self, url: str) -> bool:
        # A link the service hands back must lead to the service itself: the
        # bearer token never goes anywhere else.
        return urlsplit(url).netloc == urlsplit(self.base).netloc

    def get(self, url: str, params: dict | None = None) -> dict:
        if not self._same_service(url):
            raise DirectoryError(_("Microsoft Graph gav en länk till en annan adress."))
        renewed = False
        for _try in range(MAX_TRIES):
            if not self._token:
                self._token = self._fetch_token()
            try:
                response = self.session.get(
                    url,
                    params=params,
                    headers={"Authorization": f"Bearer {self._token}"},
                    timeout=settings.DIRECTORY_TIMEOUT,
                )
            except requests.RequestException as exc:
                raise DirectoryError(_("Microsoft Graph svarade inte.")) from exc
            if response.status_code in RETRY_STATUSES:
                self.sleep(_retry_after(response))
                continue
            if response.status_code == 401 and not renewed:
                self._token, renewed = "", True
                continue
            if response.ok:
                return _json(response)
            raise _error_of(response)
        raise DirectoryError(
            _(
                "Microsoft Graph var upptaget (HTTP 429/503) för många gånger i rad. Nästa körning försöker igen."
            )
        )

    def pages(self, url: str, params: dict | None = None) -> Iterator[dict]:
        """Every page from ``url``, following ``@odata.nextLink``; the last page
        may carry ``@odata.deltaLink``."""
        page = self.get(url, params)
        yield page
        while page.get("@odata.nextLink"):
            page = self.get(page["@odata.nextLink"])
            yield page

    # Reading

    def read(self, *, cursor: str, full: bool, groups: list[str]) -> Readout:
        readout: Readout | None = None
        if cursor and not full:
            readout = self._delta(cursor)
        if readout is None:
            readout = self._full()
        readout.groups_of = self._memberships(groups)
        return readout

    def _full(self) -> Readout:
        readout = Readout(full=True)
        params = {"$select": _select(), "$expand": "manager($select=id)", "$top": "999"}
        for page in self.pages(f"{self.base}/users", params):
            readout.people.extend(person_of(item, full=True) for item in page.get("value", []))
        start = self.get(
            f"{self.base}/users/delta", {"$select": f"{_select()},manager", "$deltatoken": "latest"}
        )
        readout.cursor = str(start.get("@odata.deltaLink", ""))
        return readout

    def _delta(self, cursor: str) -> Readout | None:
        """The changes since ``cursor``; None when Graph asks for a full read
        again (the delta link expired: 410 Gone)."""
        readout = Readout(full=False)
        try:
            for page in self.pages(cursor):
                for item in page.get("value", []):
                    if "@removed" in item:
                        readout.removed.add(str(item["id"]))
                    else:
                        readout.people.append(person_of(item, full=False))
                if page.get("@odata.deltaLink"):
                    readout.cursor = str(page["@odata.deltaLink"])
        except _Gone:
            return None
        return readout

    def _memberships(self, groups: list[str]) -> dict[str, set[str]]:
        """Who is in each mapped group (also through nested groups). Mapped
        names that are not Entra ID object ids (an ADFS group name) are not asked."""
        groups_of: dict[str, set[str]] = {}
        for group in groups:
            if not GUID.match(group):
                continue
            url = f"{self.base}/groups/{group}/transitiveMembers/microsoft.graph.user"
            for page in self.pages(url, {"$select": "id", "$top": "999"}):
                for member in page.get("value", []):
                    groups_of.setdefault(str(member["id"]), set()).add(group)
        return groups_of


class _Gone(DirectoryError):
    pass


def _json(response: requests.Response) -> dict:
    try:
        data = response.json()
    except ValueError as exc:  # a proxy's HTML page, a cut answer
        raise DirectoryError(_("Microsoft Graph svarade inte med JSON.")) from exc
    if not isinstance(data, dict):
        raise DirectoryError(_("Microsoft Graph svarade inte med JSON."))
    return data


def _retry_after(response: requests.Response) -> float:
    raw = response.headers.get("Retry-After", "")
    try:
        seconds = float(raw)
    except ValueError:
        seconds = 10.0
    return max(0.0, min(seconds, LONGEST_WAIT))


def _error_of(response: requests.Response) -> DirectoryError:
    status = response.status_code
    if status == 410:
        return _Gone(_("Ändringslänken har gått ut."))
    if status == 401:
        return DirectoryError(
            _(
                "Microsoft Graph godtog inte tjänstens inloggning (HTTP 401). Kontrollera "
                "appregistreringens hemlighet."
            )
        )
    if status == 403:
        return DirectoryError(
            _(
                "Microsoft Graph nekade läsningen (HTTP 403). Appen behöver behörigheterna "
                "User.Read.All och GroupMember.Read.All med administratörsgodkännande."
            )
        )
    if status == 404:
        return DirectoryError(
            _(
                "Microsoft Graph hittade inte det som lästes (HTTP 404). Kontrollera gruppkopplingarna."
            )
        )
    return DirectoryError(
        _("Microsoft Graph svarade med ett fel (HTTP %(status)s).") % {"status": status}
    )
