"""Writes to the people on an account (§3, §5, §9, §12): who owns it, who
deputises, who holds the credentials. On an active account no change may break
the people rules (``channels_registry.rules``)."""

import datetime

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import User
from channels_registry.models import AccountMember, SocialAccount
from channels_registry.rules import all_people_problems
from channels_registry.services import RegistryError, _after_change, _lock, _save

# --- People on an account (§3, §5, §9, §12) ---------------------------------


def _account_permissions() -> dict[str, Permission]:
    """View and change of an account, read with their content type in one query
    (by codename guardian reads each, and its content type, on every grant)."""
    found = Permission.objects.select_related("content_type").filter(
        content_type__app_label="channels_registry",
        content_type__model="socialaccount",
        codename__in=("view_socialaccount", "change_socialaccount"),
    )
    return {p.codename: p for p in found}


def _grant_object_perms(member: AccountMember) -> None:
    perms = _account_permissions()
    assign_perm(perms["view_socialaccount"], member.user, member.account)
    if member.role in (AccountMember.Role.OWNER, AccountMember.Role.DEPUTY):
        assign_perm(perms["change_socialaccount"], member.user, member.account)
    else:
        remove_perm(perms["change_socialaccount"], member.user, member.account)


def _revoke_object_perms(member: AccountMember) -> None:
    remove_perm("channels_registry.view_socialaccount", member.user, member.account)
    remove_perm("channels_registry.change_socialaccount", member.user, member.account)


def _current_members(account: SocialAccount, on: datetime.date) -> list[AccountMember]:
    return list(account.members.current(on, include_upcoming=True).select_related("user"))


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
    _check_new_member(account, user, role, holds_credentials, today)
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
    for changed in [*changes, member]:
        _save(changed, actor)
        _grant_object_perms(changed)
    _after_change(account)
    return member


def _check_new_member(
    account: SocialAccount, user: User, role: str, holds_credentials: bool, today: datetime.date
) -> None:
    """§3, §5: an open account, an employed person, the credentials with an owner
    or deputy, and a new owner of an approved account only through a new plan (§2)."""
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
