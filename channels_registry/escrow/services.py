"""Writes to the deposited access (§3, §5, §8): deposits, reveals, requests for
access and their decisions, named roles on business accounts. Each locks the
account row before reading its state; every use is logged in ``EscrowEvent``."""

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_current_policy
from accounts.services import notify
from channels_registry.escrow.models import AccessRequest, BusinessRole, EscrowDeposit, EscrowEvent
from channels_registry.escrow.selectors import current_deposit
from channels_registry.models import AccountMember, SocialAccount
from channels_registry.services import RegistryError, _account_url, _after_change, _lock, _save

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
    from channels_registry.escrow.permissions import can_deposit

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
    from channels_registry.escrow.permissions import active_grant, can_hold_escrow

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
        )
    return deposit


@transaction.atomic
def access_request_create(*, account_id: int, actor: User, reason: str) -> AccessRequest:
    """§5: a manager covering an absent account team asks for the access."""
    from accounts.roles import Role
    from accounts.selectors import role_deputies, role_holders
    from channels_registry.escrow.permissions import can_request_access

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
    )
    return request


@transaction.atomic
def access_request_decide(
    *, request_id: int, actor: User, grant: bool, hours: int = 24, note: str = ""
) -> AccessRequest:
    """The information officer or deputy grants for a limited time, or denies.
    Two people: the one who asked never decides."""
    from channels_registry.escrow.permissions import can_hold_escrow

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


def retire_escrow(account: SocialAccount, actor: User, reason: str) -> None:
    now = timezone.now()
    for deposit in account.escrow_deposits.filter(retired_at__isnull=True).defer(
        *EscrowDeposit.SECRET_FIELDS
    ):
        deposit.retired_at = now
        deposit.retired_reason = reason
        deposit.save(update_fields=["retired_at", "retired_reason"])
        _log(account, EscrowEvent.Kind.RETIRE, actor, reason, deposit=deposit)
