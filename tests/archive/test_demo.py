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
