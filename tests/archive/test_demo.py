"""archive.demo.seed (called by seed_demo) registers documents on the demo account."""

import pytest

from archive import demo
from archive.models import Document
from moderation import demo as moderation_demo

pytestmark = pytest.mark.django_db


def test_demo_seed_registers_documents_once(
    account, staff, colleague, outsider, registrar, security_coordinator
):
    people = {
        "medarbetare": staff,
        "kollega": colleague,
        "handlaggare": outsider,
        "registrator": registrar,
    }
    moderation_demo.seed(people, {})
    demo.seed(people, {})
    documents = Document.objects.filter(account=account)
    assert documents.count() >= 4
    assert documents.filter(record_id__isnull=False).count() >= 2
    assert documents.exclude(secrecy_provision="").exists()
    assert len({d.case_id for d in documents}) == 1
    demo.seed(people, {})
    assert Document.objects.filter(account=account).count() == documents.count()


def test_demo_lets_the_administrations_head_make_a_written_decision(
    account, staff, colleague, outsider, registrar, org
):
    from archive.requests import decisions, permissions
    from archive.requests.models import Decision, Delegation, RecordsRequest

    people = {
        "medarbetare": staff,
        "kollega": colleague,
        "handlaggare": outsider,
        "registrator": registrar,
    }
    moderation_demo.seed(people, {})
    demo.seed(people, {})
    head = org["head"]
    delegation = Delegation.objects.get(administration=org["administration"])
    assert delegation.user == head
    waiting = RecordsRequest.objects.get()
    assert waiting.status == RecordsRequest.Status.DECISION_REQUESTED
    assert permissions.can_decide(head, waiting)
    decision = decisions.decide(
        actor=head, request=waiting, delegation=delegation, reasons="Uppgifter om hälsa."
    )
    assert Decision.objects.get() == decision
    assert decision.pdf.name.endswith(".pdf")
    delegations = Delegation.objects.count()
    demo.seed(people, {})
    assert Delegation.objects.count() == delegations and RecordsRequest.objects.count() == 1
