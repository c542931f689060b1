"""Sign-on's rules: match on the stable identifier, create only staff, apply the
group mappings at each sign-on, and record the assurance of every login."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ExternalIdentity, GroupMapping, LoginEvent, Unit, User
from accounts.permissions import can_manage_sign_on
from accounts.roles import Role
from nora_social.core.errors import ServiceError
from nora_social.core.history import set_history_user

# Where a sign-on refusal waits for the page that explains it, and the mark
# that the next sign-on is a re-authentication for step-up.
REFUSAL_SESSION_KEY = "sso_refusal"
STEP_UP_PENDING_KEY = "sso_step_up_pending"


class NoAccess(ServiceError):
    """Sign-on refused; ``reason`` is one of ``no_group``, ``left``,
    ``step_up_other_person`` or ``error``."""

    def __init__(self, reason: str, message: str = ""):
        super().__init__(message or reason)
        self.reason = reason


@dataclass(frozen=True)
class Assurance:
    """How strongly a login proved who the person is."""

    method: str = LoginEvent.Method.PASSWORD
    acr: str = ""
    amr: tuple[str, ...] = ()
    multi_factor: bool = False


@dataclass(frozen=True)
class SignOn:
    """What the identity provider said about the person, protocol-free."""

    provider: str
    subject: str
    groups: tuple[str, ...]
    assurance: Assurance
    given_name: str = ""
    family_name: str = ""
    email: str = ""
    username_hint: str = ""
    extra: dict = field(default_factory=dict)


def free_username(hint: str) -> str:
    base = re.sub(r"[^\w.@+-]", "", hint.split("@")[0].lower())[:140] or "person"
    name, n = base, 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


def _role_groups() -> dict[str, Group]:
    return {g.name: g for g in Group.objects.filter(name__in=Role.values)}


def mappings_for(groups: Iterable[str]) -> list[GroupMapping]:
    """The mappings of the groups a person is in, in a fixed order (the first
    mapped unit wins). Sign-on and the staff directory both ask this."""
    return list(
        GroupMapping.objects.filter(idp_group__in=list(groups))
        .select_related("unit")
        .order_by("idp_group")
    )


def apply_mappings(
    user: User, mappings: list[GroupMapping], *, actor: User | None = None
) -> list[str]:
    """Give ``user`` exactly the roles the mappings name (a role whose group was
    removed at the identity provider goes), and the first mapped unit. Returns
    the role slugs now held. ``actor`` is recorded as the unit change's author:
    the person at their sign-on, the directory task's system actor otherwise."""
    wanted = sorted({m.role for m in mappings if m.role})
    groups = _role_groups()
    held = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
    user.groups.remove(*[groups[r] for r in held - set(wanted) if r in groups])
    user.groups.add(*[groups[r] for r in wanted if r in groups and r not in held])
    user.__dict__.pop("_role_cache", None)
    units = [m.unit for m in mappings if m.unit is not None]
    if units and user.unit_id != units[0].pk:
        user.unit = units[0]
        set_history_user(user, actor or user)
        user.save(update_fields=["unit"])
    return wanted


def sign_on(*, request: Any, claims: SignOn) -> User:
    """The person the identity provider vouches for, created on first sign-on
    when a mapped group says they are staff. Raises ``NoAccess`` otherwise,
    after the roles of a known person in no mapped group are taken away."""
    result = _sign_on(request=request, claims=claims)
    if isinstance(result, NoAccess):
        raise result
    return result


@transaction.atomic
def _sign_on(*, request: Any, claims: SignOn) -> User | NoAccess:
    if not claims.subject:
        return NoAccess("error")
    mappings = mappings_for(claims.groups)
    identity = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=claims.provider, subject=claims.subject)
        .first()
    )
    current = getattr(request, "user", None)
    if (
        request.session.get(STEP_UP_PENDING_KEY)
        and current is not None
        and current.is_authenticated
        and (identity is None or identity.user_id != current.pk)
    ):
        return NoAccess("step_up_other_person")
    if identity is not None and not identity.user.is_current():
        return NoAccess("left")
    if not mappings:
        if identity is not None:
            apply_mappings(identity.user, [])
        return NoAccess("no_group")
    if identity is None:
        user = User(
            username=free_username(claims.username_hint or claims.email or claims.subject),
            first_name=claims.given_name[:150],
            last_name=claims.family_name[:150],
            email=claims.email[:254],
        )
        user.set_unusable_password()
        set_history_user(user, None)
        user.save()
        identity = ExternalIdentity(provider=claims.provider, subject=claims.subject, user=user)
        set_history_user(identity, None)
        identity.save()
    user = identity.user
    fresh = {
        "first_name": claims.given_name[:150],
        "last_name": claims.family_name[:150],
        "email": claims.email[:254],
    }
    changed = [name for name, value in fresh.items() if value and getattr(user, name) != value]
    for name in changed:
        setattr(user, name, fresh[name])
    if changed:
        set_history_user(user, user)
        user.save(update_fields=changed)
    roles = apply_mappings(user, mappings)
    request.nora_assurance = claims.assurance
    request.nora_roles = roles
    return user


def login_record(*, request: Any, user: User) -> LoginEvent:
    """Record one login with its assurance; an identity provider's multi-factor
    login counts as step-up for the escrow (accounts.stepup)."""
    from accounts.stepup import mark_stepped_up

    assurance: Assurance = getattr(request, "nora_assurance", None) or Assurance()
    step_up = bool(request.session.pop(STEP_UP_PENDING_KEY, False))
    event = LoginEvent.objects.create(
        user=user,
        at=timezone.now(),
        method=assurance.method,
        acr=assurance.acr[:255],
        amr=",".join(assurance.amr)[:255],
        multi_factor=assurance.multi_factor,
        step_up=step_up,
        ip_address=request.META.get("REMOTE_ADDR") or None,
    )
    if assurance.multi_factor:
        mark_stepped_up(request)
    return event


def refusal_remember(request: Any, reason: str) -> None:
    request.session[REFUSAL_SESSION_KEY] = reason


# The information officer's mapping table.


def _mapping_problems(idp_group: str, role: str, unit: Unit | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not idp_group.strip():
        errors["idp_group"] = [_("Ange gruppens id eller namn.")]
    if not role and unit is None:
        errors[""] = [_("Välj en roll, en enhet eller båda.")]
    return errors


@transaction.atomic
def mapping_save(
    *, actor: User, idp_group: str, role: str, unit: Unit | None, mapping: GroupMapping | None
) -> GroupMapping:
    if not can_manage_sign_on(actor):
        raise ServiceError(_("Bara informationsansvarig kan ändra gruppkopplingarna."))
    idp_group = idp_group.strip()
    errors = _mapping_problems(idp_group, role, unit)
    clash = GroupMapping.objects.filter(idp_group=idp_group)
    if mapping is not None:
        clash = clash.exclude(pk=mapping.pk)
    if clash.exists():
        errors.setdefault("idp_group", []).append(_("Gruppen har redan en koppling."))
    if errors:
        raise ServiceError(_("Kopplingen kunde inte sparas."), errors)
    mapping = mapping or GroupMapping()
    mapping.idp_group, mapping.role, mapping.unit = idp_group, role, unit
    set_history_user(mapping, actor)
    mapping.save()
    return mapping


@transaction.atomic
def mapping_remove(*, actor: User, mapping: GroupMapping) -> None:
    """Configuration, not a record: removing it is kept in its history. The
    roles it gave go at each person's next sign-on."""
    if not can_manage_sign_on(actor):
        raise ServiceError(_("Bara informationsansvarig kan ändra gruppkopplingarna."))
    set_history_user(mapping, actor)
    mapping.delete()


def settings_summary() -> dict[str, bool]:
    return {
        "oidc": bool(settings.OIDC_ENABLED),
        "saml": bool(settings.SAML_ENABLED),
        "local": bool(settings.LOCAL_LOGIN_ENABLED),
    }
