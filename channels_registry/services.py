"""Writes to the register of official accounts (§2–§5, §8–§10).

Every change goes through these functions, called alike by views, admin
actions, tasks and commands, so the rules, history and notifications happen
every time. Each locks the account row before reading its state.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import Unit, User
from accounts.permissions import require_current_policy
from accounts.services import notify
from channels_registry import hooks
from channels_registry.addresses import account_address_problems, parse_domains
from channels_registry.models import (
    AccessRequest,
    AccountMember,
    BusinessRole,
    ChecklistConfirmation,
    ChecklistItem,
    EscrowDeposit,
    EscrowEvent,
    Platform,
    SocialAccount,
)
from channels_registry.naming import NamingProblem, naming_problems
from channels_registry.rules import all_people_problems
from channels_registry.selectors import (
    blocked_terms,
    current_deposit,
    handle_taken,
    missing_checklist_items,
)
from nora_social.core.history import set_history_user


class RegistryError(Exception):
    """A refused change. ``problems`` lists every reason, in Swedish."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def _lock(account_id: int) -> SocialAccount:
    return (
        SocialAccount.objects.select_for_update()
        .select_related("platform", "unit__administration")
        .get(pk=account_id)
    )


def _save(obj: Model, actor: User | None, **kwargs: Any) -> None:
    set_history_user(obj, actor)
    obj.save(**kwargs)


def _account_url(account: SocialAccount) -> str:
    return reverse("channels_registry:account_detail", args=[account.pk])


def _after_change(account: SocialAccount) -> None:
    account_id = account.pk
    transaction.on_commit(lambda: hooks.fire(hooks.ACCOUNT_CHANGED, account_id=account_id))


# --- Naming (§4) -----------------------------------------------------------


def name_problem_details(
    *, platform: Platform, display_name: str, handle: str, exclude_pk: int | None = None
) -> list[NamingProblem]:
    return naming_problems(
        display_name=display_name,
        handle=handle,
        blocked_terms=blocked_terms(),
        duplicate_exists=handle_taken(
            platform_id=platform.pk, handle=handle, exclude_pk=exclude_pk
        ),
    )


def name_problems(
    *, platform: Platform, display_name: str, handle: str, exclude_pk: int | None = None
) -> list[str]:
    """Every way a proposed name breaks §4, as Swedish messages."""
    found = name_problem_details(
        platform=platform, display_name=display_name, handle=handle, exclude_pk=exclude_pk
    )
    return [p.message for p in found]


def naming_exception_covers(account: SocialAccount) -> bool:
    """§4: an exception covers the exact name and handle it was granted for; any
    change to either asks the information officer again."""
    return bool(
        account.naming_override_reason
        and account.naming_override_display_name == account.display_name
        and account.naming_override_handle == account.handle
    )


def _grant_naming_exception(account: SocialAccount, actor: User, reason: str) -> None:
    account.naming_override_reason = reason
    account.naming_override_by = actor
    account.naming_override_at = timezone.now()
    account.naming_override_display_name = account.display_name
    account.naming_override_handle = account.handle


def _end_naming_exception(account: SocialAccount) -> None:
    """The exception stays in the account's history; it no longer applies."""
    account.naming_override_reason = ""
    account.naming_override_by = None
    account.naming_override_at = None
    account.naming_override_display_name = ""
    account.naming_override_handle = ""


def _naming_problems_unless_overridden(account: SocialAccount) -> list[str]:
    problems = name_problems(
        platform=account.platform,
        display_name=account.display_name,
        handle=account.handle,
        exclude_pk=account.pk,
    )
    if problems and naming_exception_covers(account):
        return []
    return problems


@transaction.atomic
def naming_override(*, account_id: int, actor: User, reason: str) -> SocialAccount:
    """§4: the information officer may let the account's present name and handle
    through, with a recorded reason."""
    if not actor.has_perm("channels_registry.override_naming"):
        raise RegistryError(_("Bara informationsansvarig kan göra undantag från namnreglerna."))
    reason = reason.strip()
    if not reason:
        raise RegistryError(_("Ange skälet till undantaget."))
    account = _lock(account_id)
    _grant_naming_exception(account, actor, reason)
    _save(account, actor)
    return account


# --- Registering and changing accounts --------------------------------------


@dataclass
class AccountData:
    platform: Platform
    display_name: str
    handle: str
    unit: Unit
    purpose: str
    contact: str
    update_frequency_text: str
    response_time_text: str
    url: str = ""
    planned_url: str = ""
    target_audience: str = ""
    posts_min: int = 1
    posts_period: str = "week"
    response_hours: int = 24
    response_clock: str = "working"


_NOT_FROM_PLAN = _lazy("Det finns ingen godkänd aktivitetsplan för den här ändringen.")


def _require_approved_plan(
    plan_id: int, *, account_id: int | None = None, data: AccountData | None = None
) -> None:
    """§2–§3: the plans app vouches that ``plan_id`` is an approved plan for
    exactly this change (the APPROVED_PLAN_CHECKS hook); nobody answering is a no."""
    if not hooks.count(hooks.APPROVED_PLAN_CHECKS):
        raise RegistryError(str(_NOT_FROM_PLAN))
    problems = hooks.unmet(hooks.APPROVED_PLAN_CHECKS, plan_id, account_id=account_id, data=data)
    if problems:
        raise RegistryError(str(_NOT_FROM_PLAN), problems)


@transaction.atomic
def account_register(
    *,
    actor: User,
    data: AccountData,
    is_pre_existing: bool = False,
    override_reason: str = "",
) -> SocialAccount:
    """The information officer enters an account that existed before the policy
    (§2–§3); it must then get an approved plan within ``PREEXISTING_PLAN_DAYS``
    days. A new account comes only from an approved plan
    (``account_register_from_plan``)."""
    refusals = hooks.unmet(
        hooks.DIRECT_REGISTRATION_PRECONDITIONS, data, is_pre_existing=is_pre_existing
    )
    if refusals:
        raise RegistryError(_("Kontot kan inte registreras direkt."), refusals)
    if not actor.has_perm("channels_registry.register_account"):
        raise RegistryError(
            _(
                "Du kan inte registrera konton. Ett nytt konto kommer till genom en godkänd aktivitetsplan."
            )
        )
    return _register(
        actor=actor, data=data, is_pre_existing=is_pre_existing, override_reason=override_reason
    )


@transaction.atomic
def account_register_from_plan(*, actor: User, plan_id: int, data: AccountData) -> SocialAccount:
    """§2–§3: the final approval of an activity plan enters its account in the
    register as planned; the approval is the assignment, so no permission of the
    approver's own is needed, but the plan must be approved and match ``data``."""
    _require_approved_plan(plan_id, data=data)
    return _register(actor=actor, data=data, is_pre_existing=False, override_reason="")


def _register(
    *, actor: User, data: AccountData, is_pre_existing: bool, override_reason: str
) -> SocialAccount:
    found = name_problem_details(
        platform=data.platform, display_name=data.display_name, handle=data.handle
    )
    problems = [p.message for p in found]
    if problems:
        # A duplicate handle can never be overridden: two register entries for one account.
        duplicate = any(p.rule == "duplicate" for p in found)
        if duplicate or not override_reason.strip():
            raise RegistryError(_("Namnet följer inte namnreglerna."), problems)
        if not actor.has_perm("channels_registry.override_naming"):
            raise RegistryError(
                _("Bara informationsansvarig kan göra undantag från namnreglerna."), problems
            )
    if data.url.strip():
        address = account_address_problems(data)
        if address:
            raise RegistryError(str(_ADDRESS_REFUSAL), [p.message for p in address])
    today = timezone.localdate()
    account = SocialAccount(
        **data.__dict__,
        status=SocialAccount.Status.PLANNED,
        planned_on=today,
        is_pre_existing=is_pre_existing,
        plan_due_on=today + datetime.timedelta(days=settings.PREEXISTING_PLAN_DAYS)
        if is_pre_existing
        else None,
        created_by=actor,
    )
    if problems:
        _grant_naming_exception(account, actor, override_reason.strip())
    _save(account, actor)
    _after_change(account)
    return account


EDITABLE_FIELDS = (
    "display_name",
    "handle",
    "url",
    "purpose",
    "target_audience",
    "contact",
    "posts_min",
    "posts_period",
    "update_frequency_text",
    "response_hours",
    "response_clock",
    "response_time_text",
)
_ADDRESS_REFUSAL = _lazy("Adressen till kontot kan inte sparas.")


def address_refusal() -> str:
    return str(_ADDRESS_REFUSAL)


def _check_address(account: SocialAccount) -> None:
    """§4, §10: a stored address is always the account's own, and an active
    account (on the public list) always has one."""
    if not account.url.strip() and account.status != SocialAccount.Status.ACTIVE:
        return
    problems = account_address_problems(account)
    if problems:
        raise RegistryError(str(_ADDRESS_REFUSAL), [p.message for p in problems])


# After approval these need an amended plan (§2–§3); the plans app enforces it.
AMENDMENT_FIELDS = ("purpose", "platform", "owner")


@transaction.atomic
def account_update(
    *, account_id: int, actor: User, changes: dict, override_reason: str = ""
) -> SocialAccount:
    """Change the account's register entry. §4: a new name or handle follows the
    naming rules, or the information officer grants an exception for exactly that
    name with ``override_reason``; an earlier exception covers only its own name."""
    account = _lock(account_id)
    if account.status == SocialAccount.Status.CLOSED:
        raise RegistryError(_("Ett stängt konto kan inte ändras."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise RegistryError(_("Fälten kan inte ändras här."))
    if (
        account.status != SocialAccount.Status.PLANNED
        and "purpose" in changes
        and changes["purpose"] != account.purpose
    ):
        raise RegistryError(
            _(
                "Ett nytt syfte kräver en ändrad aktivitetsplan som går igenom godkännandet igen (§2)."
            )
        )
    granted_for = (account.naming_override_display_name, account.naming_override_handle)
    for name, value in changes.items():
        setattr(account, name, value)
    _check_rename(account, actor, changes, granted_for, override_reason.strip())
    if {"url", "handle"} & set(changes):
        account.url = (account.url or "").strip()
        _check_address(account)
    _save(account, actor)
    _after_change(account)
    return account


def _check_rename(
    account: SocialAccount,
    actor: User,
    changes: dict,
    granted_for: tuple[str, str],
    override_reason: str,
) -> None:
    """§4 for a changed name or handle: it follows the rules (and so ends an
    exception granted for another name), or the information officer grants an
    exception for exactly the new one; otherwise the change is refused."""
    excepted = bool(account.naming_override_reason)
    if excepted:
        renamed = (account.display_name, account.handle) != granted_for
    else:
        renamed = bool({"display_name", "handle"} & set(changes))
    if not renamed:
        return
    found = name_problem_details(
        platform=account.platform,
        display_name=account.display_name,
        handle=account.handle,
        exclude_pk=account.pk,
    )
    problems = [p.message for p in found]
    if not found:
        if excepted:
            _end_naming_exception(account)
        return
    # A duplicate handle can never be overridden: two register entries for one account.
    if override_reason and not any(p.rule == "duplicate" for p in found):
        if not actor.has_perm("channels_registry.override_naming"):
            raise RegistryError(
                _("Bara informationsansvarig kan göra undantag från namnreglerna."), problems
            )
        _grant_naming_exception(account, actor, override_reason)
        return
    if excepted:
        raise RegistryError(
            _(
                "Undantaget från namnreglerna gäller bara namnet %(name)s (%(handle)s). "
                "Ett annat namn som inte följer reglerna kräver ett nytt undantag "
                "av informationsansvarig (§4)."
            )
            % {"name": granted_for[0], "handle": granted_for[1]},
            problems,
        )
    raise RegistryError(_("Namnet följer inte namnreglerna."), problems)


@transaction.atomic
def account_set_address(*, account_id: int, actor: User, url: str) -> SocialAccount:
    """Register the account's real address once it exists on the platform
    (§4, §10): https, on the platform's own domain, leading to the handle.
    Activation requires it; the public list links to it."""
    from channels_registry.permissions import can_manage_account

    account = _lock(account_id)
    if not can_manage_account(actor, account):
        raise RegistryError(_("Du kan inte ändra det här kontot."))
    if account.status == SocialAccount.Status.CLOSED:
        raise RegistryError(_("Ett stängt konto kan inte ändras."))
    account.url = (url or "").strip()
    problems = account_address_problems(account)
    if problems:
        raise RegistryError(str(_ADDRESS_REFUSAL), [p.message for p in problems])
    _save(account, actor)
    _after_change(account)
    return account


# --- People on an account (§3, §5, §9, §12) ---------------------------------


def _grant_object_perms(member: AccountMember) -> None:
    assign_perm("channels_registry.view_socialaccount", member.user, member.account)
    if member.role in (AccountMember.Role.OWNER, AccountMember.Role.DEPUTY):
        assign_perm("channels_registry.change_socialaccount", member.user, member.account)
    else:
        remove_perm("channels_registry.change_socialaccount", member.user, member.account)


def _revoke_object_perms(member: AccountMember) -> None:
    remove_perm("channels_registry.view_socialaccount", member.user, member.account)
    remove_perm("channels_registry.change_socialaccount", member.user, member.account)


def _current_members(account: SocialAccount, on: datetime.date) -> list[AccountMember]:
    return list(
        account.members.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on)).select_related("user")
    )


def _check_people(account: SocialAccount, members: list[AccountMember], on: datetime.date) -> None:
    """On an active account a change may not break the people rules (§3)."""
    if account.status != SocialAccount.Status.ACTIVE:
        return
    problems = all_people_problems(members, on)
    if problems:
        raise RegistryError(
            _("Ändringen skulle bryta mot reglerna för kontots personer."), problems
        )


@transaction.atomic
def member_add(
    *,
    account_id: int,
    actor: User,
    user: User,
    role: str,
    holds_credentials: bool,
    starts_on: datetime.date | None = None,
) -> AccountMember:
    """Put a person on an account. An owner or deputy must hold the credentials;
    a new owner or deputy takes the place of the current one, who stays on as admin."""
    account = _lock(account_id)
    today = timezone.localdate()
    if account.status == SocialAccount.Status.CLOSED:
        raise RegistryError(_("Ett stängt konto kan inte ändras."))
    if not user.is_current(today):
        raise RegistryError(
            _("%(name)s är inte längre anställd eller är inaktiverad.") % {"name": user}
        )
    if role in (AccountMember.Role.OWNER, AccountMember.Role.DEPUTY) and not holds_credentials:
        raise RegistryError(
            _("Kontoansvarig och ersättare måste ha inloggningsuppgifterna (§3, §5).")
        )
    if (
        role == AccountMember.Role.OWNER
        and account.status != SocialAccount.Status.PLANNED
        and account.members.filter(ends_on__isnull=True, role=AccountMember.Role.OWNER).exists()
    ):
        raise RegistryError(
            _(
                "En ny kontoansvarig kräver en ändrad aktivitetsplan som går igenom godkännandet igen (§2)."
            )
        )
    members = _current_members(account, today)
    existing = next((m for m in members if m.user_id == user.pk and m.ends_on is None), None)
    displaced = next(
        (
            m
            for m in members
            if m.role == role and m.ends_on is None and role != AccountMember.Role.ADMIN
        ),
        None,
    )
    changes: list[AccountMember] = []
    if displaced is not None and displaced.user_id != user.pk:
        displaced.role = AccountMember.Role.ADMIN
        changes.append(displaced)
    if existing is not None:
        existing.role = role
        existing.holds_credentials = holds_credentials
        member = existing
    else:
        member = AccountMember(
            account=account,
            user=user,
            role=role,
            holds_credentials=holds_credentials,
            starts_on=starts_on or today,
        )
        members.append(member)
    _check_people(account, members, today)
    for changed in changes:
        _save(changed, actor)
        _grant_object_perms(changed)
    _save(member, actor)
    _grant_object_perms(member)
    _after_change(account)
    return member


@transaction.atomic
def member_update(*, member_id: int, actor: User, holds_credentials: bool) -> AccountMember:
    member = AccountMember.objects.select_related("user").get(pk=member_id)
    account = _lock(member.account_id)
    if member.ends_on is not None:
        raise RegistryError(_("Personen har redan lämnat kontot."))
    if member.role != AccountMember.Role.ADMIN and not holds_credentials:
        raise RegistryError(
            _("Kontoansvarig och ersättare måste ha inloggningsuppgifterna (§3, §5).")
        )
    today = timezone.localdate()
    members = [m if m.pk != member.pk else member for m in _current_members(account, today)]
    member.holds_credentials = holds_credentials
    _check_people(account, members, today)
    _save(member, actor)
    _after_change(account)
    return member


@transaction.atomic
def member_end(
    *, member_id: int, actor: User, ends_on: datetime.date | None = None
) -> AccountMember:
    """Take a person off an account. Refused on an active account when it would
    break the people rules; appoint the replacement first."""
    member = AccountMember.objects.select_related("user").get(pk=member_id)
    account = _lock(member.account_id)
    today = timezone.localdate()
    if member.ends_on is not None:
        raise RegistryError(_("Personen har redan lämnat kontot."))
    remaining = [m for m in _current_members(account, today) if m.pk != member.pk]
    _check_people(account, remaining, today)
    member.ends_on = ends_on or today
    _save(member, actor)
    _revoke_object_perms(member)
    _after_change(account)
    return member


# --- Appearance checklist (§4) ----------------------------------------------


@transaction.atomic
def checklist_confirm(
    *, account_id: int, actor: User, item: str, note: str = ""
) -> ChecklistConfirmation:
    account = _lock(account_id)
    if item not in ChecklistItem.values:
        raise RegistryError(_("Okänd punkt i checklistan."))
    if (
        item == ChecklistItem.PUBLIC_WITHOUT_LOGIN
        and not account.platform.requires_public_without_login
    ):
        raise RegistryError(_("Punkten gäller inte den här plattformen."))
    confirmation = account.checklist.filter(item=item).first()
    if confirmation is None:
        # Saved through _save so the history row names the actor outside requests too.
        confirmation = ChecklistConfirmation(
            account=account, item=item, confirmed_by=actor, note=note.strip()
        )
        _save(confirmation, actor)
    _after_change(account)
    return confirmation


@transaction.atomic
def checklist_withdraw(*, account_id: int, actor: User, item: str) -> None:
    """Something on the account changed and the item no longer holds."""
    account = _lock(account_id)
    confirmation = account.checklist.filter(item=item).first()
    if confirmation is not None:
        set_history_user(confirmation, actor)
        confirmation.delete()
    _after_change(account)


# --- Escrow (§3, §8) --------------------------------------------------------


def _log(
    account: SocialAccount, kind: str, actor: User | None, reason: str = "", **links: Any
) -> EscrowEvent:
    return EscrowEvent.objects.create(
        account=account, kind=kind, actor=actor, reason=reason, **links
    )


@transaction.atomic
def escrow_deposit(
    *, account_id: int, actor: User, kind: str, secrets: dict[str, str]
) -> EscrowDeposit:
    """Deposit the account's municipality-owned access with the information officer.

    A shared login needs its username and password; named roles need the business
    account and its recovery. A new deposit retires the one before it. The
    depositor has acknowledged the current policy (§12)."""
    from channels_registry.permissions import can_deposit

    account = _lock(account_id)
    if not can_deposit(actor, account):
        raise RegistryError(_("Du kan inte deponera åtkomst för det här kontot."))
    require_current_policy(actor)
    if account.status == SocialAccount.Status.CLOSED:
        raise RegistryError(_("Ett stängt konto har ingen åtkomst att deponera."))
    # A password is kept exactly as given: a leading or trailing space may be part of it.
    values = {
        name: (secrets.get(name) or "") if name == "password" else (secrets.get(name) or "").strip()
        for name in EscrowDeposit.SECRET_FIELDS
    }
    if kind == EscrowDeposit.Kind.SHARED_LOGIN:
        missing = [
            label
            for name, label in (("login_name", _("användarnamn")), ("password", _("lösenord")))
            if not values[name]
        ]
    elif kind == EscrowDeposit.Kind.NAMED_ROLES:
        missing = [
            label
            for name, label in (
                ("business_account", _("företagskontot")),
                ("business_recovery", _("återställningen")),
            )
            if not values[name]
        ]
    else:
        raise RegistryError(_("Okänd typ av åtkomst."))
    if missing:
        raise RegistryError(_("Uppgifter saknas: %(fields)s.") % {"fields": ", ".join(missing)})
    now = timezone.now()
    previous = (
        account.escrow_deposits.filter(retired_at__isnull=True)
        .defer(*EscrowDeposit.SECRET_FIELDS)
        .first()
    )
    if previous is not None:
        previous.retired_at = now
        previous.retired_reason = EscrowDeposit.RetiredReason.REPLACED
        previous.save(update_fields=["retired_at", "retired_reason"])
    deposit = EscrowDeposit.objects.create(
        account=account, kind=kind, deposited_by=actor, deposited_at=now, **values
    )
    _log(account, EscrowEvent.Kind.DEPOSIT, actor, deposit=deposit)
    _after_change(account)
    return deposit


@transaction.atomic
def escrow_reveal(*, account_id: int, actor: User, reason: str) -> EscrowDeposit:
    """Show the deposited access to the information officer, their deputy or a
    manager with a valid grant, after step-up (the view checks it), with a
    reason, having acknowledged the current policy (§12). Logged, and the owner
    is told."""
    from channels_registry.permissions import active_grant, can_hold_escrow

    require_current_policy(actor)
    account = _lock(account_id)
    reason = reason.strip()
    if not reason:
        raise RegistryError(_("Ange varför du behöver se inloggningsuppgifterna."))
    grant = None
    if not can_hold_escrow(actor):
        grant = active_grant(actor, account)
        if grant is None:
            raise RegistryError(_("Du har inte rätt att se inloggningsuppgifterna."))
    deposit = account.escrow_deposits.filter(retired_at__isnull=True).first()
    if deposit is None:
        raise RegistryError(_("Ingen åtkomst är deponerad för kontot."))
    _log(account, EscrowEvent.Kind.REVEAL, actor, reason, deposit=deposit, request=grant)
    owner = (
        account.members.filter(ends_on__isnull=True, role=AccountMember.Role.OWNER)
        .select_related("user")
        .first()
    )
    if owner is not None and owner.user_id != actor.pk:
        notify(
            recipients=[owner.user],
            subject=_("Inloggningsuppgifterna till %(account)s har visats")
            % {"account": account.display_name},
            body=_(
                "%(actor)s visade de deponerade inloggningsuppgifterna %(when)s. Skäl: %(reason)s"
            )
            % {
                "actor": actor,
                "when": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
                "reason": reason,
            },
            url=_account_url(account),
            about=account,
        )
    return deposit


@transaction.atomic
def access_request_create(*, account_id: int, actor: User, reason: str) -> AccessRequest:
    """§5: a manager covering an absent account team asks for the access."""
    from accounts.roles import Role
    from accounts.selectors import role_deputies, role_holders
    from channels_registry.permissions import can_request_access

    account = _lock(account_id)
    if not can_request_access(actor, account):
        raise RegistryError(
            _("Bara chefen för kontots enhet eller förvaltning kan begära åtkomst.")
        )
    if account.status not in (SocialAccount.Status.ACTIVE, SocialAccount.Status.CLOSING):
        raise RegistryError(_("Åtkomst kan bara begäras för ett aktivt konto."))
    reason = reason.strip()
    if not reason:
        raise RegistryError(_("Ange varför du behöver åtkomst."))
    if current_deposit(account) is None:
        raise RegistryError(_("Ingen åtkomst är deponerad för kontot."))
    if account.access_requests.filter(
        requested_by=actor, status=AccessRequest.Status.PENDING
    ).exists():
        raise RegistryError(_("Du har redan en begäran om åtkomst som väntar på beslut."))
    request = AccessRequest(account=account, requested_by=actor, reason=reason)
    _save(request, actor)
    _log(account, EscrowEvent.Kind.REQUEST, actor, reason, request=request)
    notify(
        recipients=[
            *role_holders(Role.INFORMATION_OFFICER),
            *role_deputies(Role.INFORMATION_OFFICER),
        ],
        subject=_("%(actor)s begär åtkomst till %(account)s")
        % {"actor": actor, "account": account.display_name},
        body=_("Skäl: %(reason)s") % {"reason": reason},
        url=reverse("channels_registry:access_requests"),
        about=request,
    )
    return request


@transaction.atomic
def access_request_decide(
    *, request_id: int, actor: User, grant: bool, hours: int = 24, note: str = ""
) -> AccessRequest:
    """The information officer or deputy grants for a limited time, or denies.
    Two people: the one who asked never decides."""
    from channels_registry.permissions import can_hold_escrow

    request = (
        AccessRequest.objects.select_for_update()
        .select_related("account", "requested_by")
        .get(pk=request_id)
    )
    if not can_hold_escrow(actor):
        raise RegistryError(_("Bara informationsansvarig eller ersättaren kan besluta om åtkomst."))
    if request.requested_by_id == actor.pk:
        raise RegistryError(_("Du kan inte besluta om din egen begäran."))
    if request.status != AccessRequest.Status.PENDING:
        raise RegistryError(_("Begäran är redan avgjord."))
    now = timezone.now()
    request.decided_by = actor
    request.decided_at = now
    request.decision_note = note.strip()
    if grant:
        if not 1 <= hours <= settings.ESCROW_GRANT_MAX_HOURS:
            raise RegistryError(
                _("Åtkomst kan beviljas i 1–%(max)s timmar.")
                % {"max": settings.ESCROW_GRANT_MAX_HOURS}
            )
        request.status = AccessRequest.Status.GRANTED
        request.valid_until = now + datetime.timedelta(hours=hours)
    else:
        request.status = AccessRequest.Status.DENIED
    _save(request, actor)
    _log(
        request.account,
        EscrowEvent.Kind.GRANT if grant else EscrowEvent.Kind.DENY,
        actor,
        request.decision_note,
        request=request,
    )
    notify(
        recipients=[request.requested_by],
        subject=(
            _("Din begäran om åtkomst till %(account)s är beviljad")
            if grant
            else _("Din begäran om åtkomst till %(account)s är avslagen")
        )
        % {"account": request.account.display_name},
        body=request.decision_note,
        url=_account_url(request.account),
        about=request,
    )
    return request


@transaction.atomic
def business_role_add(
    *,
    account_id: int,
    actor: User,
    user: User,
    platform_role: str,
    starts_on: datetime.date | None = None,
) -> BusinessRole:
    """Register a named person's role on the account's business account (§3, §8)."""
    from channels_registry.permissions import can_manage_account

    account = _lock(account_id)
    if not can_manage_account(actor, account):
        raise RegistryError(_("Du kan inte ändra rollerna på det här kontot."))
    if account.status == SocialAccount.Status.CLOSED:
        raise RegistryError(_("Ett stängt konto kan inte ändras."))
    platform_role = platform_role.strip()
    if not platform_role:
        raise RegistryError(_("Ange personens roll på plattformen."))
    today = timezone.localdate()
    if not user.is_current(today):
        raise RegistryError(
            _("%(name)s är inte längre anställd eller är inaktiverad.") % {"name": user}
        )
    if account.business_roles.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today),
        user=user,
        platform_role__iexact=platform_role,
    ).exists():
        raise RegistryError(
            _("%(name)s har redan rollen %(role)s.") % {"name": user, "role": platform_role}
        )
    role = BusinessRole(
        account=account, user=user, platform_role=platform_role, starts_on=starts_on or today
    )
    _save(role, actor)
    _after_change(account)
    return role


@transaction.atomic
def business_role_end(
    *, role_id: int, actor: User, ends_on: datetime.date | None = None
) -> BusinessRole:
    """End a person's role on the business account; the row and its history stay."""
    from channels_registry.permissions import can_manage_account

    account = _lock(BusinessRole.objects.values_list("account_id", flat=True).get(pk=role_id))
    role = BusinessRole.objects.select_for_update().select_related("user").get(pk=role_id)
    if not can_manage_account(actor, account):
        raise RegistryError(_("Du kan inte ändra rollerna på det här kontot."))
    if role.ends_on is not None:
        raise RegistryError(_("Rollen är redan avslutad."))
    ends_on = ends_on or timezone.localdate()
    if ends_on < role.starts_on:
        raise RegistryError(_("Slutdatum kan inte vara före startdatum."))
    role.ends_on = ends_on
    _save(role, actor)
    _after_change(account)
    return role


def _retire_escrow(account: SocialAccount, actor: User, reason: str) -> None:
    now = timezone.now()
    for deposit in account.escrow_deposits.filter(retired_at__isnull=True).defer(
        *EscrowDeposit.SECRET_FIELDS
    ):
        deposit.retired_at = now
        deposit.retired_reason = reason
        deposit.save(update_fields=["retired_at", "retired_reason"])
        _log(account, EscrowEvent.Kind.RETIRE, actor, reason, deposit=deposit)


# --- Platforms --------------------------------------------------------------

PLATFORM_FIELDS = (
    "name",
    "slug",
    "access_kind",
    "requires_public_without_login",
    "base_url",
    "domains",
    "is_active",
)


@transaction.atomic
def platform_save(*, actor: User, values: dict, platform_id: int | None = None) -> Platform:
    """The information officer adds or changes a platform. The slug never changes
    once made: §9 competence names platforms by slug."""
    if not actor.has_perm("channels_registry.manage_platforms"):
        raise RegistryError(_("Bara informationsansvarig kan hantera plattformar."))
    unknown = set(values) - set(PLATFORM_FIELDS)
    if unknown:
        raise RegistryError(_("Fälten kan inte ändras här."))
    if platform_id is None:
        platform = Platform()
    else:
        platform = Platform.objects.select_for_update().get(pk=platform_id)
        if "slug" in values and values["slug"] != platform.slug:
            raise RegistryError(_("Kortnamnet kan inte ändras när plattformen finns."))
    if "domains" in values:
        domains, invalid = parse_domains(values["domains"])
        if invalid:
            raise RegistryError(
                _("Domänerna kan inte sparas."),
                [
                    _("%(value)s är inte en domän, t.ex. facebook.com.") % {"value": v}
                    for v in invalid
                ],
            )
        values = {**values, "domains": " ".join(domains)}
    before = Platform(name=platform.name, domains=platform.domains)
    for name, value in values.items():
        setattr(platform, name, value)
    if platform.pk is not None and "domains" in values:
        _check_platform_accounts(platform, before)
    _save(platform, actor)
    return platform


def _check_platform_accounts(platform: Platform, before: Platform) -> None:
    """Changing a platform's domains may not take an active account off the
    public list (§10): an address valid before must stay valid. One already
    invalid is the sweep's finding and does not block the change."""
    broken = []
    for account in SocialAccount.objects.filter(
        platform_id=platform.pk, status=SocialAccount.Status.ACTIVE
    ).only("display_name", "handle", "url"):
        account.platform = before
        was_valid = not account_address_problems(account)
        account.platform = platform  # the changed, unsaved row
        if was_valid and account_address_problems(account):
            broken.append(account.display_name)
    if broken:
        raise RegistryError(
            _("Domänerna kan inte ändras: de aktiva kontonas adresser skulle bli ogiltiga."),
            [
                _("%(name)s har en adress som inte ligger på de nya domänerna.") % {"name": name}
                for name in broken
            ],
        )


# --- Lifecycle (§3, §4, §5) -------------------------------------------------


def activation_problems(account: SocialAccount, on: datetime.date | None = None) -> list[str]:
    """Every unmet precondition for activation, all at once (DESIGN.md)."""
    on = on or timezone.localdate()
    problems = list(all_people_problems(account.members.select_related("user"), on))
    if current_deposit(account) is None:
        problems.append(_("Åtkomsten till kontot är inte deponerad hos informationsansvarig (§3)."))
    labels = dict(ChecklistItem.choices)
    for item in missing_checklist_items(account):
        problems.append(_("Checklistan är inte klar: %(item)s (§4).") % {"item": labels[item]})
    problems.extend(_naming_problems_unless_overridden(account))
    problems.extend(p.message for p in account_address_problems(account))
    return problems


def _check_move(account: SocialAccount, to: str) -> None:
    """The lifecycle table on the model decides which moves exist."""
    account.check_move(
        to,
        lambda: RegistryError(
            _("Kontot kan inte gå från %(from)s till %(to)s.")
            % {"from": account.get_status_display(), "to": SocialAccount.Status(to).label}
        ),
    )


@transaction.atomic
def account_activate(*, account_id: int, actor: User) -> SocialAccount:
    account = _lock(account_id)
    from channels_registry.permissions import can_manage_account

    if not can_manage_account(actor, account):
        raise RegistryError(_("Du kan inte aktivera det här kontot."))
    _check_move(account, SocialAccount.Status.ACTIVE)
    problems = activation_problems(account)
    if problems:
        raise RegistryError(_("Kontot kan inte aktiveras än."), problems)
    account.status = SocialAccount.Status.ACTIVE
    account.activated_on = timezone.localdate()
    _save(account, actor)
    _after_change(account)
    return account


@transaction.atomic
def account_start_closing(*, account_id: int, actor: User, reason: str) -> SocialAccount:
    """§5: the unit decides to stop; the account leaves the public list at once."""
    account = _lock(account_id)
    from channels_registry.permissions import can_manage_account

    if not can_manage_account(actor, account):
        raise RegistryError(_("Du kan inte avveckla det här kontot."))
    reason = reason.strip()
    if not reason:
        raise RegistryError(_("Ange varför kontot ska avvecklas."))
    _check_move(account, SocialAccount.Status.CLOSING)
    account.status = SocialAccount.Status.CLOSING
    account.closing_on = timezone.localdate()
    account.closure_note = reason
    _save(account, actor)
    # The archive opens the final snapshot's request (§10) and asks the people
    # on the account for screenshots, once the closing has committed.
    transaction.on_commit(
        lambda: hooks.fire(hooks.ACCOUNT_CLOSING, account_id=account.pk, actor=actor)
    )
    _after_change(account)
    return account


def close_problems(account: SocialAccount, outcome: str) -> list[str]:
    problems = []
    if outcome not in SocialAccount.ClosureOutcome.values:
        problems.append(_("Bekräfta att kontot är raderat på plattformen eller överlämnat (§5)."))
    problems.extend(hooks.unmet(hooks.CLOSE_PRECONDITIONS, account))
    return problems


@transaction.atomic
def account_close(*, account_id: int, actor: User, outcome: str, note: str = "") -> SocialAccount:
    """closing → closed: the owner confirms the platform account was deleted or
    handed over; the escrow is retired; the history is kept."""
    account = _lock(account_id)
    from channels_registry.permissions import can_confirm_closure

    if not can_confirm_closure(actor, account):
        raise RegistryError(_("Det är den kontoansvariga som bekräftar att kontot är stängt."))
    _check_move(account, SocialAccount.Status.CLOSED)
    problems = close_problems(account, outcome)
    if problems:
        raise RegistryError(_("Kontot kan inte stängas än."), problems)
    account.status = SocialAccount.Status.CLOSED
    account.closed_on = timezone.localdate()
    account.closure_outcome = outcome
    if note.strip():
        account.closure_note = f"{account.closure_note}\n{note.strip()}".strip()
    _save(account, actor)
    _retire_escrow(account, actor, EscrowDeposit.RetiredReason.CLOSED)
    today = timezone.localdate()
    for member in account.members.filter(ends_on__isnull=True).select_related("user"):
        member.ends_on = today
        _save(member, actor)
        _revoke_object_perms(member)
    _after_change(account)
    return account


# --- Amendments from an approved plan (§2, §3) -------------------------------


@transaction.atomic
def account_amend(
    *,
    account_id: int,
    actor: User,
    plan_id: int,
    purpose: str | None = None,
    platform: Platform | None = None,
    owner: User | None = None,
    deputy: User | None = None,
    planned_url: str | None = None,
) -> SocialAccount:
    """Apply an approved amended activity plan: a new purpose, platform, owner or
    deputy, on its final approval; elsewhere these changes are refused (§2–§3), so
    ``plan_id`` must be an approved amendment plan of this account. The people
    rules hold on an active account; a replaced owner or deputy stays on as admin
    with their credentials."""
    account = _lock(account_id)
    _require_approved_plan(plan_id, account_id=account.pk)
    if account.status == SocialAccount.Status.CLOSED:
        raise RegistryError(_("Ett stängt konto kan inte ändras."))
    today = timezone.localdate()
    if purpose is not None:
        account.purpose = purpose
    if planned_url is not None:
        account.planned_url = planned_url
    if platform is not None and platform.pk != account.platform_id:
        account.platform = platform
        found = name_problem_details(
            platform=platform,
            display_name=account.display_name,
            handle=account.handle,
            exclude_pk=account.pk,
        )
        if any(p.rule == "duplicate" for p in found) or (
            found and not naming_exception_covers(account)
        ):
            raise RegistryError(_("Namnet följer inte namnreglerna."), [p.message for p in found])
    _save(account, actor)

    members = _current_members(account, today)
    wanted = {AccountMember.Role.OWNER: owner, AccountMember.Role.DEPUTY: deputy}
    changed: dict[int, AccountMember] = {}
    for role, person in wanted.items():
        if person is None:
            continue
        current = next((m for m in members if m.role == role and m.ends_on is None), None)
        if current is not None and current.user_id == person.pk:
            continue
        if not person.is_current(today):
            raise RegistryError(
                _("%(name)s är inte längre anställd eller är inaktiverad.") % {"name": person}
            )
        if current is not None:
            current.role = AccountMember.Role.ADMIN
            changed[id(current)] = current
        member = next((m for m in members if m.user_id == person.pk and m.ends_on is None), None)
        if member is None:
            member = AccountMember(account=account, user=person, starts_on=today)
            members.append(member)
        member.role = role
        member.holds_credentials = True
        changed[id(member)] = member
    _check_people(account, members, today)
    # Demote first, so the one-owner and one-deputy constraints hold at each save.
    promoted = [m for m in changed.values() if m.role != AccountMember.Role.ADMIN]
    for member in promoted:
        if member.pk is not None:
            final_role = member.role
            member.role = AccountMember.Role.ADMIN
            _save(member, actor)
            member.role = final_role
    for member in [m for m in changed.values() if m.role == AccountMember.Role.ADMIN]:
        _save(member, actor)
        _grant_object_perms(member)
    for member in promoted:
        _save(member, actor)
        _grant_object_perms(member)
    _after_change(account)
    return account
