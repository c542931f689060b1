"""SCIM 2.0 (RFC 7643, 7644) as the identity provider's push, an alternative to
reading the directory: ``/scim/v2/Users`` with a bearer token. Entra ID's
provisioning calls it with ``externalId`` mapped to the user's ``objectId``, the
same stable id sign-on stores; ``PATCH active=false`` or ``DELETE`` is a leaver
today, handled by the same rules as a reading (accounts/directory/services.py).

Only Users; groups stay with the mappings and the directory's readings. Off
unless ``DIRECTORY_SCIM_TOKEN`` is set (then every address here answers 404).
"""

from __future__ import annotations

import hmac
import json
import re
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.directory import services
from accounts.directory.sources import DirectoryPerson
from accounts.models import ExternalIdentity, User

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
CONTENT_TYPE = "application/scim+json"
FILTER = re.compile(r'^\s*(externalId|userName)\s+eq\s+"([^"]*)"\s*$', re.IGNORECASE)
MAX_BODY = 64 * 1024


def _error(status: int, detail: str, scim_type: str = "") -> JsonResponse:
    body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return JsonResponse(body, status=status, content_type=CONTENT_TYPE)


def _authorised(request: HttpRequest) -> bool:
    token = settings.DIRECTORY_SCIM_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "")
    return given.startswith("Bearer ") and hmac.compare_digest(
        given[len("Bearer ") :].encode(), token.encode()
    )


def _identity(pk: str) -> ExternalIdentity | None:
    if not pk.isdigit():
        return None
    return (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=settings.DIRECTORY_IDENTITY_PROVIDER, user_id=int(pk))
        .first()
    )


def _resource(identity: ExternalIdentity) -> dict:
    user: User = identity.user
    return {
        "schemas": [USER_SCHEMA],
        "id": str(user.pk),
        "externalId": identity.subject,
        "userName": user.username,
        "name": {"givenName": user.first_name, "familyName": user.last_name},
        "emails": [{"value": user.email, "type": "work", "primary": True}] if user.email else [],
        "active": user.is_current(),
        "meta": {"resourceType": "User", "location": f"/scim/v2/Users/{user.pk}"},
    }


def _body(request: HttpRequest) -> dict | None:
    if len(request.body) > MAX_BODY:
        return None
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _truth(value: Any) -> bool:
    # Entra ID sends "False" as a string in PATCH operations.
    return value if isinstance(value, bool) else str(value).strip().lower() == "true"


def _fields_of(data: dict) -> dict[str, Any]:
    """givenName, familyName, email and active from a SCIM User (or a patch
    value without a path)."""
    out: dict[str, Any] = {}
    name = data.get("name") or {}
    if isinstance(name, dict):
        for key in ("givenName", "familyName"):
            if isinstance(name.get(key), str):
                out[key] = name[key]
    for key in ("name.givenName", "name.familyName"):
        if isinstance(data.get(key), str):
            out[key.split(".")[1]] = data[key]
    emails = data.get("emails")
    if isinstance(emails, list) and emails and isinstance(emails[0], dict):
        primary = next((e for e in emails if e.get("primary")), emails[0])
        if isinstance(primary.get("value"), str):
            out["email"] = primary["value"]
    if "active" in data:
        out["active"] = _truth(data["active"])
    return out


PATCH_PATHS = {
    "active": "active",
    "name.givenname": "givenName",
    "name.familyname": "familyName",
    'emails[type eq "work"].value': "email",
}


def _patch_fields(operations: Any) -> dict[str, Any] | None:
    if not isinstance(operations, list):
        return None
    out: dict[str, Any] = {}
    for op in operations:
        if not isinstance(op, dict) or str(op.get("op", "")).lower() not in ("add", "replace"):
            return None
        path = str(op.get("path") or "").lower()
        value = op.get("value")
        if not path and isinstance(value, dict):
            out.update(_fields_of(value))
        elif path in PATCH_PATHS:
            out[PATCH_PATHS[path]] = _truth(value) if path == "active" else str(value)
    return out


def _person(subject: str, fields: dict[str, Any]) -> DirectoryPerson:
    return DirectoryPerson(
        id=subject,
        given_name=fields.get("givenName"),
        family_name=fields.get("familyName"),
        email=fields.get("email"),
        enabled=fields.get("active"),
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def users(request: HttpRequest):
    if not _authorised(request):
        return _error(401, "Bearer token saknas eller är fel.")
    if request.method == "POST":
        return _create(request)
    found: list[ExternalIdentity] = []
    raw = request.GET.get("filter", "")
    match = FILTER.match(raw)
    if raw and not match:
        return _error(400, 'Bara filtret externalId eq "…" stöds.', "invalidFilter")
    if match and match.group(1).lower() == "externalid":
        found = list(
            ExternalIdentity.objects.select_related("user").filter(
                provider=settings.DIRECTORY_IDENTITY_PROVIDER, subject=match.group(2)
            )
        )
    # userName is not a stable id here: matched on externalId only.
    return JsonResponse(
        {
            "schemas": [LIST_SCHEMA],
            "totalResults": len(found),
            "startIndex": 1,
            "itemsPerPage": len(found),
            "Resources": [_resource(i) for i in found],
        },
        content_type=CONTENT_TYPE,
    )


def _create(request: HttpRequest):
    data = _body(request)
    subject = str((data or {}).get("externalId") or "").strip()
    if data is None or not subject or len(subject) > 255:
        return _error(400, "externalId (användarens fasta id) saknas.", "invalidValue")
    if ExternalIdentity.objects.filter(
        provider=settings.DIRECTORY_IDENTITY_PROVIDER, subject=subject
    ).exists():
        return _error(409, "Personen finns redan.", "uniqueness")
    services.scim_person_create(
        subject=subject,
        person=_person(subject, _fields_of(data)),
        username_hint=str(data.get("userName") or ""),
    )
    identity = ExternalIdentity.objects.select_related("user").get(
        provider=settings.DIRECTORY_IDENTITY_PROVIDER, subject=subject
    )
    return JsonResponse(_resource(identity), status=201, content_type=CONTENT_TYPE)


@csrf_exempt
@require_http_methods(["GET", "PATCH", "PUT", "DELETE"])
def user(request: HttpRequest, pk: str):
    if not _authorised(request):
        return _error(401, "Bearer token saknas eller är fel.")
    identity = _identity(pk)
    if identity is None:
        return _error(404, "Personen finns inte.")
    if request.method == "GET":
        return JsonResponse(_resource(identity), content_type=CONTENT_TYPE)
    if request.method == "DELETE":
        services.directory_push(removed=identity.subject)
        return JsonResponse({}, status=204, content_type=CONTENT_TYPE)
    data = _body(request)
    if data is None:
        return _error(400, "Ogiltig JSON.", "invalidSyntax")
    fields = _fields_of(data) if request.method == "PUT" else _patch_fields(data.get("Operations"))
    if fields is None:
        return _error(400, "Bara add och replace av namn, e-post och active stöds.", "invalidValue")
    services.directory_push(person=_person(identity.subject, fields))
    identity.user.refresh_from_db()
    return JsonResponse(_resource(identity), content_type=CONTENT_TYPE)
