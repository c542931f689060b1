"""Fixtures for requests for public documents: a removed comment by a named
citizen, registered in the diarium, and a delegate for the administration."""

import io

import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.register import services as register
from archive.requests import services
from archive.requests.models import Delegation, Delivery
from nora_social.core.pdf import html_to_pdf
from tests.archive.conftest import removed_comment
from tests.factories import UserFactory

NAME = "Greta Granskare"


@pytest.fixture
def comment_document(account, staff, registrar):
    record = removed_comment(
        account, staff, text=f"Jag heter {NAME} och tycker illa om er.", author=NAME
    )
    return register.register_record(record=record, actor=registrar)


@pytest.fixture
def delegate(org):
    return make_delegate(org)


def make_delegate(org):
    person = UserFactory(
        username="delegat", first_name="Dag", last_name="Delegat", roles=["medarbetare"]
    )
    Delegation.objects.create(
        administration=org["administration"],
        user=person,
        title="Kanslichef",
        decision_reference="KS 2026/4 punkt 2.3",
    )
    return person


def submit(reference: str = "", **kwargs):
    values = {"description": "", "reference": reference, "delivery": Delivery.EMAIL}
    values.update(kwargs)
    values.setdefault("email", "medborgare@example.org" if values["delivery"] == "email" else "")
    return services.submit(**values)


def pdf_text(data: bytes) -> str:
    pdf = pypdfium2.PdfDocument(io.BytesIO(data).getvalue())
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def letter_upload(text: str = "Jag överklagar beslutet.") -> SimpleUploadedFile:
    """An appeal letter as a one-page PDF with its text."""
    data = html_to_pdf(f"<html lang='sv'><body><p>{text}</p></body></html>")
    return SimpleUploadedFile("overklagande.pdf", data, content_type="application/pdf")
