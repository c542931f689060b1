"""The registrar's cases: opened in any series with the series' own next
number, documents filed from any account or from outside (checked uploads,
direction, party, secrecy from the maintained list), related cases linked both
ways, closed and opened again with a reason; the public register shows cases
as it shows documents, secret titles withheld. Everything in the history."""

import datetime
import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from archive.models import Case, CaseLink, Direction, Document
from archive.register import cases, services
from tests.archive.conftest import entry, register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def provisions(db):
    """The maintained list as migration 0012 writes it (a browser test's
    live_server empties every table, so it is put back here)."""
    import importlib

    from django.apps import apps

    seed = importlib.import_module("archive.migrations.0012_register_cases_links_files")
    seed.seed_provisions(apps, None)


def a_pdf(text: str = "Brev") -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def upload(name="brev.pdf", data=None, content_type="application/pdf"):
    return SimpleUploadedFile(name, a_pdf() if data is None else data, content_type=content_type)


@pytest.fixture
def other_administration(org):
    return org["other_unit"].administration


@pytest.fixture
def complaint(registrar, org):
    return cases.open_case(
        actor=registrar, administration=org["administration"], title="Klagomål på ett inlägg"
    )


def test_registrar_opens_a_case_with_the_next_number_of_its_series(
    client, registrar, org, account, other_administration
):
    register(registrar, account)  # the account's collective case takes KS n/1
    client.force_login(registrar)
    response = client.post(
        reverse("archive:case_open"),
        {"administration": org["administration"].pk, "title": "Klagomål på ett inlägg"},
    )
    case = Case.objects.get(title="Klagomål på ett inlägg")
    assert response.status_code == 302
    assert response["Location"] == reverse("archive:case_detail", args=[case.pk])
    year = timezone.localdate().year
    assert case.reference == f"KS {year}/2"
    assert case.opened_by == registrar
    bun = cases.open_case(actor=registrar, administration=other_administration, title="Uppföljning")
    assert bun.reference == f"BUN {year}/1"
    assert case.history.get().history_user == registrar


def test_opening_a_case_without_a_title_changes_nothing(client, registrar, org):
    client.force_login(registrar)
    response = client.post(
        reverse("archive:case_open"), {"administration": org["administration"].pk, "title": " "}
    )
    assert response.status_code == 400
    assert "Skriv en ärendemening" in response.content.decode()
    assert not Case.objects.exists()


def test_staff_and_information_officer_cannot_open_or_close_cases(
    client, staff, org, complaint, django_user_model
):
    client.force_login(staff)
    assert client.get(reverse("archive:case_open")).status_code == 403
    assert client.get(reverse("archive:case_detail", args=[complaint.pk])).status_code == 404
    assert client.post(reverse("archive:case_close", args=[complaint.pk])).status_code == 404
    with pytest.raises(Exception, match="Bara registrator"):
        cases.open_case(actor=staff, administration=org["administration"], title="X")
    complaint.refresh_from_db()
    assert not complaint.is_closed


def test_registrar_files_a_letter_from_outside_with_its_file(client, registrar, complaint):
    client.force_login(registrar)
    response = client.post(
        reverse("archive:case_file", args=[complaint.pk]),
        {
            "f-direction": Direction.RECEIVED,
            "f-document_date": timezone.localdate().isoformat(),
            "f-party": "Polismyndigheten",
            "f-subject": "Underrättelse om beslut i förundersökning",
            "f-secrecy_provision": "OSL 18 kap. 1 §",
            "f-subject_masked": "on",
            "f-file": upload(),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get(case=complaint)
    assert document.reference == f"{complaint.reference}-1"
    assert document.account is None
    assert document.party == "Polismyndigheten"
    assert document.secrecy_provision == "OSL 18 kap. 1 §"
    assert document.file.name.endswith(".pdf") and "brev" not in document.file.name
    assert len(document.file_sha256) == 64
    download = client.get(reverse("archive:document_attachment", args=[document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert "attachment" in download["Content-Disposition"]
    assert document.history.get().history_user == registrar


def test_a_letter_filed_from_outside_is_in_the_archive_package_with_its_checksum(
    client, registrar, complaint
):
    import hashlib
    import zipfile

    from lxml import etree

    from archive.export import layout, writer

    client.force_login(registrar)
    client.post(
        reverse("archive:case_file", args=[complaint.pk]),
        {
            "f-direction": Direction.RECEIVED,
            "f-document_date": timezone.localdate().isoformat(),
            "f-party": "Polismyndigheten",
            "f-subject": "Underrättelse om beslut",
            "f-secrecy_provision": "",
            "f-file": upload(),
        },
    )
    document = Document.objects.get(case=complaint)
    scope = writer.Scope(administration=complaint.administration, year=complaint.year)
    package = zipfile.ZipFile(io.BytesIO(writer.build_package(scope=scope, actor=registrar).read()))
    root = package.namelist()[0].split("/")[0]
    ns = {"d": layout.DIARIUM_NS}
    diarium = etree.fromstring(package.read(f"{root}/{layout.DIARIUM}"))
    (entry_element,) = [
        d for d in diarium.iterfind(".//d:document", ns) if d.get("reference") == document.reference
    ]
    files = {f.get("sha256"): f.get("href") for f in entry_element.iterfind("d:file", ns)}
    assert list(files) == [document.file_sha256]
    member = package.read(f"{root}/{files[document.file_sha256]}")
    assert hashlib.sha256(member).hexdigest() == document.file_sha256


def test_a_sent_document_about_any_account(registrar, complaint, other_account):
    document = cases.file_document(
        actor=registrar,
        case=complaint,
        entry=entry(direction=Direction.SENT, party="Medborgaren", subject="Svar på klagomål"),
        account=other_account,
    )
    assert document.get_direction_display() == "Utgående"
    assert document.account == other_account


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("brev.pdf", b"<script>alert(1)</script>", "varken en PDF eller en bild"),
        ("tom.pdf", b"", "tom"),
    ],
)
def test_a_file_that_is_not_a_document_is_refused(
    client, registrar, complaint, name, data, message
):
    client.force_login(registrar)
    response = client.post(
        reverse("archive:case_file", args=[complaint.pk]),
        {
            "f-direction": Direction.RECEIVED,
            "f-document_date": timezone.localdate().isoformat(),
            "f-subject": "Brev",
            "f-file": SimpleUploadedFile(name, data, content_type="application/pdf"),
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.exists()


def test_a_provision_not_on_the_list_is_refused(registrar, complaint):
    with pytest.raises(Exception, match="listan") as refused:
        cases.file_document(
            actor=registrar, case=complaint, entry=entry(secrecy_provision="OSL 99 kap. 9 §")
        )
    assert "secrecy_provision" in refused.value.errors
    assert not Document.objects.exists()


def test_linked_cases_show_on_both_and_only_once(client, registrar, org, complaint):
    follow_up = cases.open_case(
        actor=registrar, administration=org["administration"], title="Polisanmälans uppföljning"
    )
    client.force_login(registrar)
    response = client.post(
        reverse("archive:case_link", args=[complaint.pk]), {"l-reference": follow_up.reference}
    )
    assert response.status_code == 302
    for case, other in ((complaint, follow_up), (follow_up, complaint)):
        page = client.get(reverse("archive:case_detail", args=[case.pk])).content.decode()
        assert other.reference in page
    again = client.post(
        reverse("archive:case_link", args=[follow_up.pk]), {"l-reference": complaint.reference}
    )
    assert again.status_code == 400
    assert "redan länkade" in again.content.decode()
    itself = client.post(
        reverse("archive:case_link", args=[complaint.pk]), {"l-reference": complaint.reference}
    )
    assert itself.status_code == 400
    missing = client.post(
        reverse("archive:case_link", args=[complaint.pk]), {"l-reference": "KS 1999/9"}
    )
    assert missing.status_code == 400
    assert CaseLink.objects.count() == 1
    assert CaseLink.objects.get().history.get().history_user == registrar


def test_a_closed_case_takes_no_documents_until_reopened_with_a_reason(
    client, registrar, complaint
):
    client.force_login(registrar)
    assert client.post(reverse("archive:case_close", args=[complaint.pk])).status_code == 302
    complaint.refresh_from_db()
    assert complaint.closed_on == timezone.localdate() and complaint.closed_by == registrar
    with pytest.raises(Exception, match="avslutat"):
        cases.file_document(actor=registrar, case=complaint, entry=entry())
    with pytest.raises(Exception, match="avslutat"):
        services.register_document(actor=registrar, entry=entry(), case_id=complaint.pk)
    no_reason = client.post(reverse("archive:case_reopen", args=[complaint.pk]), {"o-reason": ""})
    assert no_reason.status_code == 400
    response = client.post(
        reverse("archive:case_reopen", args=[complaint.pk]),
        {"o-reason": "Ny skrivelse från klaganden"},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert not complaint.is_closed
    assert complaint.reopen_reason == "Ny skrivelse från klaganden"
    assert cases.file_document(actor=registrar, case=complaint, entry=entry()).number == 1
    states = [h.closed_on for h in complaint.history.order_by("history_date")]
    assert states[:3] == [None, timezone.localdate(), None]


def test_this_years_collective_case_is_not_closed_by_hand(registrar, account):
    document = register(registrar, account)
    with pytest.raises(Exception, match="samlingsärende"):
        cases.close_case(actor=registrar, case=document.case)


def test_public_register_lists_cases_and_withholds_secret_titles(client, registrar, org):
    open_case = cases.open_case(
        actor=registrar, administration=org["administration"], title="Klagomål på ett inlägg"
    )
    secret_case = cases.open_case(
        actor=registrar,
        administration=org["administration"],
        title="Orosanmälan om barnet Kalle",
        secrecy_provision="OSL 26 kap. 1 §",
    )
    cases.file_document(
        actor=registrar,
        case=open_case,
        entry=entry(party="Erik Exempelsson", subject="Klagomål", secrecy_provision=""),
    )
    cases.file_document(
        actor=registrar,
        case=open_case,
        entry=entry(subject="Utredning om Kalle", secrecy_provision="OSL 26 kap. 1 §"),
    )
    listing = client.get(reverse("archive:public_cases")).content.decode()
    assert open_case.reference in listing and "Klagomål på ett inlägg" in listing
    assert secret_case.reference in listing
    assert "Sekretess enligt OSL 26 kap. 1 §" in listing
    assert "Kalle" not in listing
    page = client.get(reverse("archive:public_case", args=[open_case.pk])).content.decode()
    assert f"{open_case.reference}-1" in page and f"{open_case.reference}-2" in page
    assert "Klagomål" in page
    assert "Kalle" not in page
    assert "Erik Exempelsson" not in page
    assert "Begär ut handlingen" in page


def test_a_request_is_its_own_case_and_closes_with_it(registrar, client):
    from archive.requests import services as requests
    from archive.requests.models import Delivery

    request, _token = requests.submit(
        description="Alla klagomål i oktober", delivery=Delivery.ON_SITE, actor=registrar
    )
    case = request.case
    assert case.title == "Begäran om allmän handling"
    with pytest.raises(Exception, match="Begäran om allmän handling i ärendet"):
        cases.close_case(actor=registrar, case=case)
    client.force_login(registrar)
    page = client.get(reverse("archive:case_detail", args=[case.pk])).content.decode()
    assert reverse("archive:request_detail", args=[request.pk]) in page
    request.documents.create(description="Klagomålen")
    item = request.documents.get()
    requests.assess(actor=registrar, item=item, assessment="public")
    requests.hand_out(actor=registrar, request=request)
    requests.close(actor=registrar, request=request)
    case.refresh_from_db()
    assert case.closed_on == timezone.localdate()


def test_document_date_in_the_future_is_refused(registrar, complaint):
    future = timezone.localdate() + datetime.timedelta(days=2)
    with pytest.raises(Exception, match="registreras"):
        cases.file_document(actor=registrar, case=complaint, entry=entry(document_date=future))
    assert not Document.objects.exists()
