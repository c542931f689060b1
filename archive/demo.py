"""Demo entries in the register (seed_demo): the moderation demo's removed
comment and a question registered in the main account's collective case, a
letter drawn up by hand, and a secret entry, made through the services by
``registrator`` so numbers and history are as in real use."""

import datetime
import logging

from django.utils import timezone

from accounts.models import Unit, User
from archive.models import Direction, Document
from archive.register import services
from channels_registry import lifecycle_services
from channels_registry.models import SocialAccount

logger = logging.getLogger(__name__)


def seed(people: dict[str, User], units: dict[str, Unit]) -> None:
    _close_with_final_snapshot(people)
    _delegations(people)
    registrar = people.get("registrator")
    account = SocialAccount.objects.filter(
        platform__slug="facebook", handle="norakommun", status=SocialAccount.Status.ACTIVE
    ).first()
    if registrar is None or account is None or Document.objects.filter(account=account).exists():
        return
    today = timezone.localdate()
    records = []
    for relation in ("moderation_actions", "questions", "posts"):
        manager = getattr(account, relation, None)
        if manager is not None:
            first = manager.order_by("pk").first()
            if first is not None:
                records.append(first)
    for record in records:
        try:
            services.register_record(record=record, actor=registrar)
        except services.ArchiveError as error:
            logger.debug("Demo: record left unregistered: %s", error.message)
    services.register_document(
        actor=registrar,
        account_id=account.pk,
        entry=services.Entry(
            direction=Direction.DRAWN_UP,
            document_date=today - datetime.timedelta(days=3),
            subject="Svar på fråga om kommentarsreglerna",
            party="Länsstyrelsen i Örebro län",
            handling_officer=people.get("medarbetare"),
            content_text="Vi svarar att kommentarer som bryter mot reglerna döljs.",
        ),
    )
    services.register_document(
        actor=registrar,
        account_id=account.pk,
        entry=services.Entry(
            direction=Direction.RECEIVED,
            document_date=today - datetime.timedelta(days=1),
            subject="Meddelande med uppgifter om enskilds hälsa",
            party="Privatperson",
            secrecy_provision="OSL 26 kap. 1 §",
            handling_officer=people.get("medarbetare"),
            content_text="Ett privat meddelande med känsliga uppgifter (demo).",
        ),
    )
    _request_awaiting_decision(registrar)


def _delegations(people: dict[str, User]) -> None:
    """Each administration's head decides on requests for its documents, so a
    demo user (``forvaltningschef`` for KS) can make a written decision."""
    from accounts.models import Administration
    from archive.requests.models import Delegation

    if Delegation.objects.exists():
        return
    for administration in Administration.objects.exclude(head=None).select_related("head"):
        if administration.head is None:
            continue
        Delegation.objects.create(
            administration=administration,
            user=administration.head,
            title="Förvaltningschef",
            decision_reference="KS 2026/4 punkt 2.3 (demo)",
        )


def _request_awaiting_decision(registrar: User) -> None:
    """An anonymous request for the secret demo message, refused, whose
    requester has asked for a written decision: the delegate's next step."""
    from archive.requests import decisions as request_decisions
    from archive.requests import services as requests
    from archive.requests.models import Assessment, Delivery, RecordsRequest

    secret = Document.objects.exclude(secrecy_provision="").order_by("pk").first()
    if secret is None or RecordsRequest.objects.exists():
        return
    request, _token = requests.submit(
        description="Meddelandet om enskilds hälsa som kom in till kommunens Facebooksida.",
        reference=secret.reference,
        delivery=Delivery.EMAIL,
        email="medborgare@example.org",
        channel="email",
        actor=registrar,
    )
    for item in request.documents.all():
        requests.assess(
            actor=registrar,
            item=item,
            assessment=Assessment.SECRET,
            provision=secret.secrecy_provision,
            reasons="Uppgifter om en enskilds hälsa.",
        )
    requests.hand_out(actor=registrar, request=request)
    request_decisions.ask_for_decision(request=request)


def _demo_screenshot():
    """A plain PNG standing in for a screenshot of the live account."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 400), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 640, 60), fill=(0, 80, 110))
    draw.text((20, 20), "Nora kommun Bibliotek", fill="white")
    draw.text((20, 100), "Kontot avvecklas: kommunikationen samlas på huvudkontot.", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="bibliotek.png")


def _close_with_final_snapshot(people: dict[str, User]) -> None:
    """The demo's closing library account gets its final snapshot (§10) and is
    then closed by its owner, as the lifecycle requires."""
    from archive.models import SnapshotReason
    from archive.snapshots import services as snapshots

    account = SocialAccount.objects.filter(
        handle="norakommunbibliotek", status=SocialAccount.Status.CLOSING
    ).first()
    officer = people.get("kommunchef")
    if account is None or officer is None:
        return
    request = snapshots.snapshot_request_create(
        account_id=account.pk, actor=officer, reason=SnapshotReason.FINAL, note="Avveckling"
    )
    snapshots.screenshot_add(request_id=request.pk, actor=officer, upload=_demo_screenshot())
    snapshots.snapshot_make_start(request_id=request.pk, actor=officer)
    # Rendered here rather than by the worker, so the account can close now; the
    # queued task then finds the snapshot made and stops.
    snapshots.snapshot_render(request_id=request.pk, actor_id=officer.pk)
    lifecycle_services.account_close(
        account_id=account.pk,
        actor=officer,
        outcome=SocialAccount.ClosureOutcome.DELETED,
        note="Raderat på X.",
    )
