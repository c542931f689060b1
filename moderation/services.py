"""Writes for posts, moderation actions and escalations (§3, §5, §6, §10; lag
1998:112 § 5); incoming questions are ``moderation.questions``.

Posts, corrections and moderation actions are only ever created: a record is
never edited once logged, a correction is a new entry pointing to the old one.
Every function takes the acting person, checks that they may act, and raises
``ModerationError`` with Swedish messages (per field where a form can show them).
"""

import datetime
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_current_policy
from accounts.roles import Role
from accounts.selectors import (
    administration_head_for,
    role_deputies,
    role_holders,
    unit_manager_for,
)
from accounts.services import notify
from channels_registry.models import SocialAccount
from moderation import hooks
from moderation.categories import (
    NO_CONTENT_CATEGORIES,
    OWN_POST_ONLY,
    Category,
    ground_text,
    is_legal_duty,
)
from moderation.models import (
    Escalation,
    ModerationAction,
    Post,
    PostCorrection,
)
from moderation.permissions import can_log, can_record_police_report
from nora_social.core.errors import ServiceError
from nora_social.core.history import set_history_user
from nora_social.core.uploads import check_screenshot, upload_sha256

# Clocks drift: a time a few minutes ahead of ours is not "in the future".
CLOCK_SLACK = datetime.timedelta(minutes=5)


class ModerationError(ServiceError):
    """A refused write. ``errors`` maps form field names ("" for the whole form)
    to the reasons, in Swedish."""


def _refuse_if(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise ModerationError(first, errors)


def _add(errors: dict, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _lock_account(account_id: int) -> SocialAccount:
    return (
        SocialAccount.objects.select_for_update()
        .select_related("platform", "unit__administration")
        .get(pk=account_id)
    )


def _check_logger(actor: User, account: SocialAccount) -> None:
    if not can_log(actor, account):
        raise ModerationError(_("Du kan inte logga något för det här kontot."))
    if account.status == SocialAccount.Status.PLANNED:
        raise ModerationError(_("Kontot är inte aktiverat än; det finns inget att logga."))


def _not_in_future(
    errors: dict, name: str, moment: datetime.datetime | None, now: datetime.datetime
) -> None:
    if moment is not None and moment > now + CLOCK_SLACK:
        _add(errors, name, _("Tidpunkten kan inte ligga i framtiden."))


_M = TypeVar("_M", bound=Model)


def _create(obj: _M, actor: User) -> _M:
    set_history_user(obj, actor)
    obj.save()
    return obj


# --- The municipality's own posts (§3, §5, §10) ------------------------------


@transaction.atomic
def post_log(
    *,
    account_id: int,
    actor: User,
    author: User,
    published_at: datetime.datetime,
    text: str,
    link: str = "",
) -> Post:
    """§3: each post is logged with its author, who follows the discussion."""
    account = _lock_account(account_id)
    _check_logger(actor, account)
    errors: dict[str, list[str]] = {}
    if not text.strip():
        _add(errors, "text", _("Skriv in inläggets text."))
    if not author.is_current() or not can_log(author, account):
        _add(errors, "author", _("Skribenten ska vara en av kontots administratörer."))
    _not_in_future(errors, "published_at", published_at, timezone.now())
    _refuse_if(errors)
    return _create(
        Post(
            account=account,
            author=author,
            published_at=published_at,
            text=text.strip(),
            link=link,
            logged_by=actor,
        ),
        actor,
    )


@transaction.atomic
def post_correct(
    *,
    post_id: int,
    actor: User,
    what_was_wrong: str,
    correction_text: str,
    corrected_at: datetime.datetime,
    link: str = "",
) -> PostCorrection:
    """§5: a wrong post is corrected openly; the correction is a new entry
    linked to the post, saying what was wrong. The post itself is untouched."""
    post = Post.objects.select_for_update().select_related("account").get(pk=post_id)
    _check_logger(actor, post.account)
    errors: dict[str, list[str]] = {}
    if not what_was_wrong.strip():
        _add(errors, "what_was_wrong", _("Beskriv vad som var fel i inlägget."))
    if not correction_text.strip():
        _add(errors, "correction_text", _("Skriv in rättelsen som publicerades."))
    _not_in_future(errors, "corrected_at", corrected_at, timezone.now())
    if corrected_at < post.published_at:
        _add(errors, "corrected_at", _("Rättelsen kan inte vara gjord före inlägget."))
    _refuse_if(errors)
    return _create(
        PostCorrection(
            post=post,
            what_was_wrong=what_was_wrong.strip(),
            correction_text=correction_text.strip(),
            corrected_at=corrected_at,
            link=link,
            logged_by=actor,
        ),
        actor,
    )


@transaction.atomic
def post_withdraw(
    *,
    post_id: int,
    actor: User,
    action: str,
    reason: str,
    screenshot: UploadedFile | None = None,
    captured_at: datetime.datetime | None = None,
) -> ModerationAction:
    """§10: an outdated or incorrect post is withdrawn, logged like any removal,
    with the post's content preserved."""
    post = Post.objects.select_for_update().select_related("account").get(pk=post_id)
    if post.removals.exists():
        raise ModerationError(_("Inlägget är redan tillbakadraget."))
    data = ActionData(
        action=action,
        origin=ModerationAction.Origin.OWN_POST,
        category=Category.INAKTUELLT,
        reason=reason,
        content_author=post.account.display_name,
        content_text=post.text,
        content_link=post.link,
        content_posted_at=post.published_at,
        captured_at=captured_at or timezone.now(),
        post=post,
    )
    return action_log(account_id=post.account_id, actor=actor, data=data, screenshot=screenshot)


# --- Moderation actions (§5, §6, §10; lag 1998:112 § 5) -----------------------


@dataclass
class ActionData:
    action: str
    origin: str
    category: str
    reason: str
    content_author: str = ""
    content_text: str = ""
    content_link: str = ""
    content_posted_at: datetime.datetime | None = None
    captured_at: datetime.datetime | None = None
    comment_rule: str = ""
    secrecy_provision: str = ""
    post: Post | None = None


def action_problems(
    data: ActionData,
    screenshot: UploadedFile | None = None,
    *,
    has_kept_screenshot: bool = False,
    now: datetime.datetime | None = None,
) -> dict[str, list[str]]:
    """Every reason the action may not be logged, per field. Used by the form to
    show them next to the fields and by ``action_log`` to refuse."""
    errors: dict[str, list[str]] = {}
    _check_choices(errors, data)
    if data.category not in Category.values:
        return errors
    if not data.reason.strip():
        _add(errors, "reason", _("Skriv en motivering."))
    _check_preserved_content(errors, data, screenshot, has_kept_screenshot)
    _check_category_details(errors, data)
    _check_times(errors, data, now or timezone.now())
    if screenshot and data.category not in NO_CONTENT_CATEGORIES:
        try:
            check_screenshot(screenshot)
        except ValidationError as exc:
            for message in exc.messages:
                _add(errors, "screenshot", message)
    return errors


def _check_choices(errors: dict[str, list[str]], data: ActionData) -> None:
    if data.action not in ModerationAction.Action.values:
        _add(errors, "action", _("Välj vad som gjordes med innehållet."))
    if data.origin not in ModerationAction.Origin.values:
        _add(errors, "origin", _("Välj om det var kommunens eget inlägg eller en medborgares."))
    if data.category not in Category.values:
        _add(errors, "category", _("Välj en kategori."))


def _check_preserved_content(
    errors: dict[str, list[str]],
    data: ActionData,
    screenshot: UploadedFile | None,
    has_kept_screenshot: bool,
) -> None:
    """§10: the content is preserved before it goes, except material whose mere
    possession is a crime (BrB 16:10 a), which is never stored in any form."""
    if data.category in NO_CONTENT_CATEGORIES:
        message = _(
            "Barnpornografiskt material får aldrig sparas, inte heller en länk eller "
            "skärmdump. Spara bara uppgifterna om händelsen och polisanmälan."
        )
        if data.content_text.strip():
            _add(errors, "content_text", message)
        if data.content_link.strip():
            _add(errors, "content_link", message)
        if screenshot:
            _add(errors, "screenshot", message)
    elif not data.content_text.strip() and not screenshot and not has_kept_screenshot:
        _add(
            errors,
            "content_text",
            _(
                "Bevara innehållet innan det tas bort: skriv av texten eller ladda upp en "
                "skärmdump (allmän handling, §10)."
            ),
        )


def _check_category_details(errors: dict[str, list[str]], data: ActionData) -> None:
    """What each category needs: the broken comment rule, an own post, the OSL
    provision; secret content is unpublished, not only hidden (§10)."""
    if data.category == Category.KOMMENTARSREGLER and not data.comment_rule.strip():
        _add(errors, "comment_rule", _("Ange vilken av kontots kommentarsregler som bröts."))
    if data.category in OWN_POST_ONLY and data.origin != ModerationAction.Origin.OWN_POST:
        _add(errors, "category", _("Den kategorin gäller bara kommunens egna inlägg (§10)."))
    if data.category == Category.SEKRETESS and not data.secrecy_provision.strip():
        _add(
            errors,
            "secrecy_provision",
            _("Ange bestämmelsen i offentlighets- och sekretesslagen, t.ex. 26 kap. 1 § OSL."),
        )
    if data.secrecy_provision.strip() and data.action == ModerationAction.Action.HIDDEN:
        _add(
            errors,
            "action",
            _("Innehåll med sekretessbelagda uppgifter ska avpubliceras, inte bara döljas (§10)."),
        )


def _check_times(errors: dict[str, list[str]], data: ActionData, now: datetime.datetime) -> None:
    _not_in_future(errors, "content_posted_at", data.content_posted_at, now)
    _not_in_future(errors, "captured_at", data.captured_at, now)
    if (
        data.content_posted_at
        and data.captured_at
        and data.captured_at + CLOCK_SLACK < data.content_posted_at
    ):
        _add(errors, "captured_at", _("Innehållet kan inte ha bevarats innan det publicerades."))


@transaction.atomic
def action_log(
    *,
    account_id: int,
    actor: User,
    data: ActionData,
    screenshot: UploadedFile | None = None,
    supersedes_id: int | None = None,
    correction_note: str = "",
) -> ModerationAction:
    """Record content hidden, unpublished or deleted, preserved as it was (§5,
    §10). A legal-duty category is escalated at once; secret content is marked
    for registration with its OSL provision. With ``supersedes_id`` this is a
    correction of an earlier entry, which stays as it was. The person logging
    has acknowledged the current policy (§12): §6 says what is never a reason."""
    account = _lock_account(account_id)
    _check_logger(actor, account)
    require_current_policy(actor)
    old = None
    if supersedes_id is not None:
        old = ModerationAction.objects.select_for_update().filter(pk=supersedes_id).first()
    no_content = data.category in NO_CONTENT_CATEGORIES
    # A correction keeps the earlier screenshot unless it brings a new one.
    kept = old.screenshot.name if old is not None and old.screenshot and not screenshot else ""
    if no_content:
        kept = ""
    errors = action_problems(data, screenshot, has_kept_screenshot=bool(kept))
    if data.post is not None and data.post.account_id != account.pk:
        _add(errors, "", _("Inlägget hör till ett annat konto."))
    if supersedes_id is not None:
        if old is None or old.account_id != account.pk:
            _add(errors, "", _("Posten som ska rättas finns inte för det här kontot."))
        elif ModerationAction.objects.filter(supersedes=old).exists():
            _add(errors, "", _("Posten är redan rättad. Rätta den senaste versionen."))
        if not correction_note.strip():
            _add(errors, "correction_note", _("Beskriv vad som var fel i den tidigare posten."))
    _refuse_if(errors)

    record = ModerationAction(
        account=account,
        action=data.action,
        origin=data.origin,
        post=data.post,
        category=data.category,
        comment_rule=data.comment_rule.strip(),
        reason=data.reason.strip(),
        content_author=data.content_author.strip(),
        content_text="" if no_content else data.content_text.strip(),
        content_link="" if no_content else data.content_link.strip(),
        content_posted_at=data.content_posted_at,
        captured_at=data.captured_at,
        secrecy_provision=data.secrecy_provision.strip(),
        for_registration=bool(data.secrecy_provision.strip()),
        supersedes=old,
        correction_note=correction_note.strip(),
        logged_by=actor,
    )
    if screenshot and not no_content:
        checked = check_screenshot(screenshot)
        record._screenshot_ext = checked.extension
        record.screenshot_type = checked.content_type
        record.screenshot_sha256 = upload_sha256(screenshot)
        record.screenshot = screenshot
    elif kept and old is not None:
        record.screenshot = kept
        record.screenshot_type = old.screenshot_type
        record.screenshot_sha256 = old.screenshot_sha256
    _create(record, actor)
    if is_legal_duty(record.category) and not _already_escalated(old):
        _escalate(record, actor)
    hooks.fire(hooks.ACTION_LOGGED, record=record, actor=actor)
    return record


def _already_escalated(old: ModerationAction | None) -> bool:
    while old is not None:
        if Escalation.objects.filter(action=old).exists():
            return True
        old = old.supersedes
    return False


def escalation_recipients(account: SocialAccount) -> list[User]:
    """§5: the security coordinator (or the role's deputy) and the unit's manager
    (their substitute when absent; the head of administration as a last resort)."""
    coordinators = list(role_holders(Role.SECURITY_COORDINATOR)) + role_deputies(
        Role.SECURITY_COORDINATOR
    )
    manager = unit_manager_for(account.unit) or administration_head_for(account.unit.administration)
    people = [p for p in coordinators if p.is_current()]
    if manager is not None:
        people.append(manager)
    seen, unique = set(), []
    for person in people:
        if person.pk not in seen:
            seen.add(person.pk)
            unique.append(person)
    return unique


def _escalate(record: ModerationAction, actor: User) -> Escalation:
    escalation = _create(Escalation(action=record), actor)
    recipients = escalation_recipients(record.account)
    escalation.notified.set(recipients)
    url = reverse("moderation:escalation_detail", args=[escalation.pk])
    context = {
        "account": record.account,
        "category": record.get_category_display(),
        "ground": ground_text(record.category),
        "action": record.get_action_display(),
        "logged_by": actor,
        "logged_at": record.logged_at,
    }
    notify(
        recipients=recipients,
        subject=render_to_string("emails/moderation_escalation_subject.txt", context).strip(),
        body=render_to_string("emails/moderation_escalation.txt", context),
        url=url,
        about=escalation,
    )
    return escalation


# --- Escalations: the police report (§5) -------------------------------------


@transaction.atomic
def police_report_record(
    *,
    escalation_id: int,
    actor: User,
    made: bool,
    reported_by: User | None = None,
    reported_on: datetime.date | None = None,
    reference: str = "",
    note: str = "",
) -> Escalation:
    """Record whether the content was reported to the police, by whom, and the
    police's reference. Recorded once; it is part of the record."""
    escalation = (
        Escalation.objects.select_for_update()
        .select_related("action__account__unit__administration")
        .get(pk=escalation_id)
    )
    if not can_record_police_report(actor, escalation):
        raise ModerationError(_("Du kan inte registrera polisanmälan för den här eskaleringen."))
    if escalation.outcome != Escalation.Outcome.PENDING:
        raise ModerationError(_("Beslutet om polisanmälan är redan registrerat."))
    errors: dict[str, list[str]] = {}
    if made:
        if not reference.strip():
            _add(errors, "reference", _("Ange polisens diarienummer för anmälan."))
        if reported_by is None:
            _add(errors, "reported_by", _("Ange vem som gjorde polisanmälan."))
        if reported_on is None:
            _add(errors, "reported_on", _("Ange när polisanmälan gjordes."))
        elif reported_on > timezone.localdate():
            _add(errors, "reported_on", _("Datumet kan inte ligga i framtiden."))
    elif not note.strip():
        _add(errors, "note", _("Skriv varför ingen polisanmälan görs."))
    _refuse_if(errors)
    escalation.outcome = Escalation.Outcome.REPORTED if made else Escalation.Outcome.NOT_REPORTED
    escalation.reported_by = reported_by if made else None
    escalation.reported_on = reported_on if made else None
    escalation.police_reference = reference.strip() if made else ""
    escalation.decision_note = note.strip()
    escalation.decided_by = actor
    escalation.decided_at = timezone.now()
    set_history_user(escalation, actor)
    escalation.save()
    return escalation
