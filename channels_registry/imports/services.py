"""Reading in the accounts that existed before the policy (§2–§3, issue 16).

``preview`` says per row what will be created and every problem, saving
nothing. ``import_accounts`` checks the same file again and, only when it has no
problem, registers every account in one transaction through the register's own
services (``account_register`` as pre-existing, with its plan due in
``PREEXISTING_PLAN_DAYS`` days; ``member_add`` for each person), so history,
object permissions and the compliance re-check happen as for one account
registered by hand. Any refusal on the way undoes the whole file."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from channels_registry import member_services, services
from channels_registry.imports import checks
from channels_registry.imports.columns import parse
from channels_registry.imports.permissions import can_import_accounts
from channels_registry.models import AccountMember, Platform, SocialAccount
from nora_social.core.errors import ServiceError


class AccountImportError(ServiceError):
    """A refused import: ``errors`` lists every problem, each with its row."""


def plan_due_on(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=settings.PREEXISTING_PLAN_DAYS)


def plan(rows: list[dict[str, str]]) -> list[checks.RowPlan]:
    """What each row will do and every problem, before anything is saved. A
    fixed number of queries, whatever the number of rows."""
    lookups = checks.Lookups.read(rows)
    seen: dict[tuple[int, str], int] = {}
    due = plan_due_on()
    plans = []
    # Row 1 is the headings.
    for line, row in enumerate(rows, start=2):
        p = checks.RowPlan(line=line, values=row)
        checks.check_fields(row, p.problems)
        checks.check_place(p, lookups)
        checks.check_name(p, lookups, seen)
        checks.check_address(p)
        checks.check_people(p, lookups)
        if not p.problems:
            _describe(p, due)
        plans.append(p)
    return plans


def _describe(p: checks.RowPlan, due: datetime.date) -> None:
    v = p.values
    assert p.platform is not None and p.unit is not None  # no problems: both found  # nosec B101
    p.actions.append(
        _(
            "Registrerar %(name)s (%(handle)s) på %(platform)s för %(unit)s som ett konto "
            "som fanns före policyn, med aktivitetsplan senast %(due)s."
        )
        % {
            "name": v["display_name"],
            "handle": v["handle"],
            "platform": p.platform.name,
            "unit": p.unit.name,
            "due": due.isoformat(),
        }
    )
    owner, deputy, *others = p.people
    p.actions.append(
        _("Kontoansvarig: %(owner)s. Ersättare: %(deputy)s.") % {"owner": owner, "deputy": deputy}
    )
    if others:
        p.actions.append(
            _("Övriga med inloggningsuppgifter: %(people)s.")
            % {"people": ", ".join(str(o) for o in others)}
        )
    if p.naming_exception:
        p.actions.append(
            _("Undantag från namnreglerna med skälet: %(reason)s")
            % {"reason": v["override_reason"]}
        )


def problems_of(plans: list[checks.RowPlan]) -> list[str]:
    return [
        _("Rad %(line)s: %(problem)s") % {"line": p.line, "problem": problem}
        for p in plans
        for problem in p.problems
    ]


def preview(*, actor: User, name: str, data: bytes) -> list[checks.RowPlan]:
    """The rows of an uploaded file and what each will do; raises
    AccountImportError for a file that cannot be read."""
    return plan(_read(actor, name, data))


def _read(actor: User, name: str, data: bytes) -> list[dict[str, str]]:
    if not can_import_accounts(actor):
        raise AccountImportError(_("Bara informationsansvarig kan läsa in konton."))
    try:
        return parse(name, data)
    except ServiceError as exc:
        raise AccountImportError(exc.message, exc.errors) from None


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def import_accounts(
    *,
    actor: User,
    name: str,
    data: bytes,
    progress: Callable[[int, int], None] | None = None,
) -> list[SocialAccount]:
    """§2–§3: register every account of the file as one that existed before the
    policy, with its people (§3, §5), or nothing: the file is checked again here,
    and any problem refuses it whole. Each account and person is recorded in
    history as the actor's, with the file's SHA-256 as the reason. ``progress``
    hears (rows done, rows) as the accounts are registered."""
    rows = _read(actor, name, data)
    # The platforms locked first: two imports, or an import and a registration by
    # hand, cannot both pass the duplicate check for the same handle.
    list(Platform.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    plans = plan(rows)
    problems = problems_of(plans)
    if problems:
        raise AccountImportError(_("Filen har fel. Inget har sparats."), problems)
    if not plans:
        raise AccountImportError(_("Filen har inga konton att läsa in."))
    accounts = []
    for done, p in enumerate(plans, start=1):
        accounts.append(_create(actor, p))
        if progress is not None:
            progress(done, len(plans))
    reason = _("Inläsning av befintliga konton, fil SHA-256 %(digest)s") % {
        "digest": file_digest(data)[:16]
    }
    ids = [a.pk for a in accounts]
    SocialAccount.history.filter(id__in=ids).update(history_change_reason=reason)
    AccountMember.history.filter(account_id__in=ids).update(history_change_reason=reason)
    return accounts


def _create(actor: User, p: checks.RowPlan) -> SocialAccount:
    v = p.values
    assert p.platform is not None and p.unit is not None  # plan() found no problem  # nosec B101
    account = services.account_register(
        actor=actor,
        data=services.AccountData(
            platform=p.platform,
            display_name=v["display_name"],
            handle=v["handle"],
            unit=p.unit,
            purpose=v["purpose"],
            contact=v["contact"],
            update_frequency_text=v["update_frequency_text"],
            response_time_text=v["response_time_text"],
            url=v["url"],
            target_audience=v["target_audience"],
        ),
        is_pre_existing=True,
        override_reason=v["override_reason"] if p.naming_exception else "",
    )
    roles = [AccountMember.Role.OWNER, AccountMember.Role.DEPUTY]
    for index, person in enumerate(p.people):
        assert person is not None  # plan() found every person  # nosec B101
        member_services.member_add(
            account_id=account.pk,
            actor=actor,
            user=person,
            role=roles[index] if index < len(roles) else AccountMember.Role.ADMIN,
            holds_credentials=True,
        )
    return account
