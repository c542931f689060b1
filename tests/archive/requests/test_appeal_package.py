"""The package to kammarrätten: a ZIP the registrar downloads, with the
covering letter, the appeal letter, the decision, the request, the masked
hand-out and the original marked as secret for the court only; every generated
part PDF/A; its SHA-256 recorded with the forwarding, and the covering letter
registered as sent in the case."""

import hashlib
import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from archive.models import Direction, Document
from archive.requests import appeal_package, decisions, services
from archive.requests.models import Appeal, Assessment
from nora_social.core.errors import ServiceError
from nora_social.core.pdf import check_pdfa
from tests.archive.requests.conftest import NAME, letter_upload, pdf_text, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def appealed(comment_document, registrar, delegate):
    request, _token = submit(comment_document.reference)
    services.take(actor=registrar, request=request)
    item = request.documents.get()
    services.assess(
        actor=registrar, item=item, assessment=Assessment.PARTLY, provision="OSL 21 kap. 7 §"
    )
    services.mask_string(actor=registrar, item=item, text=NAME, provision="OSL 21 kap. 7 §")
    services.hand_out(actor=registrar, request=request)
    decisions.ask_for_decision(request=request)
    decisions.decide(
        actor=registrar,
        request=request,
        delegation=delegate.request_delegations.get(),
        reasons="Namnet är en personuppgift.",
    )
    request.refresh_from_db()
    return request


def _register_appeal(client, request, **extra):
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    return client.post(
        reverse("archive:request_appeal_register", args=[request.pk]),
        {"received_on": today, "decision_received_on": today, **extra},
    )


def test_registrar_prepares_downloads_and_forwards_the_package(appealed, registrar, settings):
    settings.RECORDS_REQUEST_APPEAL_COURT = "Kammarrätten i Göteborg"
    client = Client()
    client.force_login(registrar)
    assert _register_appeal(client, appealed, letter=letter_upload()).status_code == 302
    appeal = Appeal.objects.get()
    page = reverse("archive:request_appeal", args=[appealed.pk, appeal.pk])

    assert client.post(page, {"action": "prepare"}).status_code == 302
    appeal.refresh_from_db()
    download = client.get(reverse("archive:request_appeal_package", args=[appealed.pk, appeal.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Cache-Control"] == "private, no-store"
    data = b"".join(download.streaming_content)
    assert hashlib.sha256(data).hexdigest() == appeal.package_sha256

    bundle = zipfile.ZipFile(io.BytesIO(data))
    names = bundle.namelist()
    assert names == [
        "01-foljebrev.pdf",
        "02-overklagande.pdf",
        "03-beslut.pdf",
        "04-begaran.pdf",
        "05-utlamnad-kopia.pdf",
        "06-original-1-sekretess.pdf",
        "innehall.txt",
    ]
    for name in names[:-1]:
        if name != "02-overklagande.pdf":  # the letter as it came in
            assert check_pdfa(bundle.read(name)).passed, name
    manifest = bundle.read("innehall.txt").decode()
    for name in names[:-1]:
        assert f"{hashlib.sha256(bundle.read(name)).hexdigest()}  {name}" in manifest

    covering = pdf_text(bundle.read("01-foljebrev.pdf"))
    assert "Kammarrätten i Göteborg" in covering and appealed.case.reference in covering
    assert "Jag överklagar beslutet." in pdf_text(bundle.read("02-overklagande.pdf"))
    assert "kammarrätten" in pdf_text(bundle.read("03-beslut.pdf"))
    assert appealed.case.reference in pdf_text(bundle.read("04-begaran.pdf"))
    handed_out = pdf_text(bundle.read("05-utlamnad-kopia.pdf"))
    assert "Greta" not in handed_out and "tycker illa om er" in handed_out
    original = pdf_text(bundle.read("06-original-1-sekretess.pdf"))
    assert NAME in original
    assert "endast för" in original and "OSL 21 kap. 7 §" in original

    # Prepared once: never replaced.
    again = client.post(page, {"action": "prepare"})
    assert again.status_code == 400
    appeal.refresh_from_db()
    assert hashlib.sha256(appeal.package.open("rb").read()).hexdigest() == appeal.package_sha256

    assert client.post(page, {"action": "forward"}).status_code == 302
    appeal.refresh_from_db()
    assert appeal.forwarded_on is not None
    sent = Document.objects.get(case=appealed.case, direction=Direction.SENT)
    assert sent.party == "Kammarrätten i Göteborg"
    assert appeal.package_sha256 in sent.search_text
    assert sent.file_sha256 == hashlib.sha256(bundle.read("01-foljebrev.pdf")).hexdigest()
    recorded = appeal.history.order_by("history_date").last()
    assert recorded.forwarded_on and recorded.package_sha256 == appeal.package_sha256
    assert recorded.history_user == registrar


def test_without_the_letter_nothing_is_prepared(appealed, registrar):
    client = Client()
    client.force_login(registrar)
    _register_appeal(client, appealed)
    appeal = Appeal.objects.get()
    page = reverse("archive:request_appeal", args=[appealed.pk, appeal.pk])
    response = client.post(page, {"action": "prepare"})
    assert response.status_code == 400
    assert "Registrera överklagandeskrivelsen först" in response.content.decode()
    refused = client.post(
        page,
        {"action": "letter", "letter": letter_upload().__class__("x.pdf", b"MZ\x90\x00")},
    )
    assert refused.status_code == 400
    assert "varken en PDF eller en bild" in refused.content.decode()
    appeal.refresh_from_db()
    assert not appeal.package
    assert client.post(page, {"action": "letter", "letter": letter_upload()}).status_code == 302
    assert client.post(page, {"action": "prepare"}).status_code == 302
    with pytest.raises(ServiceError, match="redan"):
        appeal_package.attach_letter(actor=registrar, appeal=appeal, upload=letter_upload())


def test_only_the_registrar_gets_the_package(appealed, registrar, delegate, outsider):
    appeal = decisions.register_appeal(
        actor=registrar,
        request=appealed,
        received_on=appealed.decision.decided_on,
        decision_received_on=appealed.decision.decided_on,
        letter=letter_upload(),
    )
    appeal_package.prepare_package(actor=registrar, appeal=appeal)
    url = reverse("archive:request_appeal_package", args=[appealed.pk, appeal.pk])
    client = Client()
    client.force_login(delegate)  # sees the request, does not handle it
    assert client.get(url).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    with pytest.raises(ServiceError):
        appeal_package.prepare_package(actor=delegate, appeal=appeal)
