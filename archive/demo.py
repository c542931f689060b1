"""Demo entries in the register (seed_demo): the moderation demo's removed
comment and a question registered in the main account's collective case, a
letter drawn up by hand, and a secret entry, made through the services by
``registrator`` so numbers and history are as in real use."""

import datetime
import logging

from django.utils import timezone

from accounts.models import Unit, User
from archive import services
from archive.models import Direction, Document
from channels_registry.models import SocialAccount

logger = logging.getLogger(__name__)


def seed(people: dict[str, User], units: dict[str, Unit]) -> None:
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
            logger.info("Demo record not registered: %s", error.message)
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
