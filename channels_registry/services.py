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
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import Unit, User
from channels_registry import hooks, permissions
from channels_registry.addresses import account_address_problems, parse_domains
from channels_registry.models import (
    ChecklistConfirmation,
    ChecklistItem,
    Platform,
    SocialAccount,
)
from channels_registry.naming import NamingProblem, naming_problems
from channels_registry.selectors import (
    blocked_terms,
    handle_taken,
)
from nora_social.core.errors import ServiceError
from nora_social.core.history import set_history_user


class RegistryError(ServiceError):
    """A refused change to the register: ``errors`` gives every reason, in Swedish,
    by the form field it concerns ("" for the whole change)."""


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


# The form field each naming rule is about; the others concern the whole name.
_NAMING_FIELD = {"display_name": "display_name", "handle": "handle", "duplicate": "handle"}


def naming_errors(found: list[NamingProblem]) -> dict[str, list[str]]:
    """Naming problems by the field they are about, for a refusal."""
    errors: dict[str, list[str]] = {}
    for problem in found:
        errors.setdefault(_NAMING_FIELD.get(problem.rule, ""), []).append(problem.message)
    return errors


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
    if not permissions.can_override_naming(actor):
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
    if not permissions.can_register_accounts(actor):
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
    if found:
        # A duplicate handle can never be overridden: two register entries for one account.
        duplicate = any(p.rule == "duplicate" for p in found)
        if duplicate or not override_reason.strip():
            raise RegistryError(_("Namnet följer inte namnreglerna."), naming_errors(found))
        if not permissions.can_override_naming(actor):
            raise RegistryError(
                _("Bara informationsansvarig kan göra undantag från namnreglerna."),
                naming_errors(found),
            )
    if data.url.strip():
        address = account_address_problems(data)
        if address:
            raise RegistryError(str(_ADDRESS_REFUSAL), {"url": [p.message for p in address]})
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
    if found:
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


def _check_address(account: SocialAccount) -> None:
    """§4, §10: a stored address is always the account's own, and an active
    account (on the public list) always has one."""
    if not account.url.strip() and account.status != SocialAccount.Status.ACTIVE:
        return
    problems = account_address_problems(account)
    if problems:
        raise RegistryError(str(_ADDRESS_REFUSAL), {"url": [p.message for p in problems]})


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
    problems = naming_errors(found)
    if not found:
        if excepted:
            _end_naming_exception(account)
        return
    # A duplicate handle can never be overridden: two register entries for one account.
    if override_reason and not any(p.rule == "duplicate" for p in found):
        if not permissions.can_override_naming(actor):
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
        raise RegistryError(str(_ADDRESS_REFUSAL), {"url": [p.message for p in problems]})
    _save(account, actor)
    _after_change(account)
    return account


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
    if not permissions.can_manage_platforms(actor):
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
                {
                    "domains": [
                        _("%(value)s är inte en domän, t.ex. facebook.com.") % {"value": v}
                        for v in invalid
                    ]
                },
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
