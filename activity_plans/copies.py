"""The approved plan as PDF/A-2b and the information officer's copy of it (§3),
made after the approval has committed: an approval never fails because rendering
does, and a PDF that never comes is the finding ``plan_pdf_missing``."""

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.roles import Role
from accounts.selectors import role_holders
from activity_plans import pdf
from activity_plans.models import ActivityPlan
from nora_social.core.history import set_history_user

logger = logging.getLogger(__name__)


def queue_plan_pdf(plan_id: int, actor_id: int | None = None) -> None:
    """Queue the task that renders the approved plan's PDF. A broker that is away
    is logged, not raised: the approval stands, and the compliance sweep reports
    a plan that is still without its PDF (``plan_pdf_missing``)."""
    from activity_plans.tasks import make_plan_pdf

    try:
        make_plan_pdf.apply_async(args=[plan_id, actor_id], retry=False)
    except Exception:  # noqa: BLE001 - any broker failure; the finding is the fallback
        logger.warning("Could not queue the PDF of plan %s.", plan_id)


def plan_pdf_make(*, plan_id: int, actor_id: int | None = None) -> ActivityPlan | None:
    """Render the approved plan as PDF/A-2b, store it with its SHA-256 and send
    the information officer the copy of §3 (``actor_id``, the final approver,
    gets it too). Idempotent: a plan that has its PDF is left alone, and the row
    lock makes a second run wait and then find the first one's PDF, so two runs
    never store two files. Returns the plan when this run stored the PDF."""
    plan = ActivityPlan.objects.filter(pk=plan_id).first()
    if plan is None or plan.status != ActivityPlan.Status.APPROVED or plan.pdf:
        return None
    # An approved plan no longer changes, so it is rendered outside the lock.
    with translation.override("sv"):
        document = pdf.render_plan_pdf(plan)
    with transaction.atomic():
        plan = ActivityPlan.objects.select_for_update(of=("self",)).get(pk=plan_id)
        if plan.pdf:
            return None
        actor = User.objects.filter(pk=actor_id).first() if actor_id else None
        plan.pdf_sha256 = hashlib.sha256(document).hexdigest()
        plan.pdf.save(
            f"aktivitetsplan-{plan.pk}-v{plan.revision}.pdf", ContentFile(document), save=False
        )
        set_history_user(plan, actor)
        plan.save(update_fields=["pdf", "pdf_sha256"])
        send_copy(plan, actor, document)
    return plan


def send_copy(plan: ActivityPlan, actor: User | None, document: bytes) -> None:
    """§3: the information officer receives a copy of every plan, as PDF/A."""
    recipients = {u.pk: u for u in role_holders(Role.INFORMATION_OFFICER)}
    if actor is not None:
        recipients.setdefault(actor.pk, actor)
    subject = _("Kopia: godkänd aktivitetsplan %(name)s") % {"name": plan.name_in_messages}
    body = _(
        "Aktivitetsplanen för %(name)s (%(unit)s), version %(revision)s, är godkänd. "
        "Planen finns som PDF/A i bilagan. SHA-256: %(sha)s"
    ) % {
        "name": plan.name_in_messages,
        "unit": plan.unit,
        "revision": plan.revision,
        "sha": plan.pdf_sha256,
    }
    url = plan.get_absolute_url()
    notes = [
        Notification.objects.create(
            recipient=person, subject=subject, body=body, url=url, about=plan
        )
        for person in recipients.values()
        if person.is_active
    ]
    filename = f"aktivitetsplan-{plan.pk}-v{plan.revision}.pdf"

    def send() -> None:
        for note in notes:
            if not note.recipient.email:
                continue
            message = EmailMessage(
                subject, f"{body}\n\n{settings.SITE_URL}{url}", None, [note.recipient.email]
            )
            message.attach(filename, document, "application/pdf")
            try:
                message.send()
            except OSError:
                logger.warning("The plan copy to user %s could not be mailed.", note.recipient_id)
                continue
            Notification.objects.filter(pk=note.pk).update(emailed=True)

    transaction.on_commit(send)
