"""An account's life (§2–§5): activation once every precondition holds,
closing and closed, and the changes only an approved amended plan may make."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from channels_registry import hooks
from channels_registry.addresses import account_address_problems
from channels_registry.escrow.models import EscrowDeposit
from channels_registry.escrow.selectors import current_deposit
from channels_registry.escrow.services import retire_escrow
from channels_registry.member_services import (
    _check_people,
    _current_members,
    _grant_object_perms,
    _revoke_object_perms,
)
from channels_registry.models import AccountMember, ChecklistItem, Platform, SocialAccount
from channels_registry.rules import all_people_problems
from channels_registry.selectors import missing_checklist_items
from channels_registry.services import (
    RegistryError,
    _after_change,
    _lock,
    _naming_problems_unless_overridden,
    _require_approved_plan,
    _save,
    name_problem_details,
    naming_errors,
    naming_exception_covers,
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
    retire_escrow(account, actor, EscrowDeposit.RetiredReason.CLOSED)
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
    _amend_entry(account, purpose=purpose, planned_url=planned_url, platform=platform)
    _save(account, actor)
    today = timezone.localdate()
    members = _current_members(account, today)
    wanted: dict[str, User | None] = {
        AccountMember.Role.OWNER: owner,
        AccountMember.Role.DEPUTY: deputy,
    }
    changed = _appoint(account, members, wanted, today)
    _check_people(account, members, today)
    _save_appointments(changed, actor)
    _after_change(account)
    return account


def _amend_entry(
    account: SocialAccount,
    *,
    purpose: str | None,
    planned_url: str | None,
    platform: Platform | None,
) -> None:
    """The plan's new purpose, address and platform; on a new platform the name
    still follows §4, or the exception granted for exactly this name covers it."""
    if purpose is not None:
        account.purpose = purpose
    if planned_url is not None:
        account.planned_url = planned_url
    if platform is None or platform.pk == account.platform_id:
        return
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
        raise RegistryError(_("Namnet följer inte namnreglerna."), naming_errors(found))


def _appoint(
    account: SocialAccount,
    members: list[AccountMember],
    wanted: dict[str, User | None],
    today: datetime.date,
) -> list[AccountMember]:
    """Give each wanted person their role (with the credentials, §3, §5) among
    ``members``, in place; the one they replace stays on as admin. Returns the
    memberships that changed."""
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
    return list(changed.values())


def _save_appointments(changed: list[AccountMember], actor: User) -> None:
    """Demote first, so the one-owner and one-deputy constraints hold at each save."""
    promoted = [m for m in changed if m.role != AccountMember.Role.ADMIN]
    for member in promoted:
        if member.pk is not None:
            final_role = member.role
            member.role = AccountMember.Role.ADMIN
            _save(member, actor)
            member.role = final_role
    for member in [m for m in changed if m.role == AccountMember.Role.ADMIN]:
        _save(member, actor)
        _grant_object_perms(member)
    for member in promoted:
        _save(member, actor)
        _grant_object_perms(member)
