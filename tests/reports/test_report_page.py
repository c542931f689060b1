"""The page "Årsrapport": who may use it, a refused period, and a report made
by the task, registered in the diarium, notified and downloaded."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Notification
from archive.register.models import Direction, Document
from nora_social.reports import services, store

pytestmark = pytest.mark.django_db

URL = "/arsrapport/"


def test_anonymous_goes_to_login_and_staff_is_refused(client, staff):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/logga-in/")
    client.force_login(staff)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"start": "2025-01-01", "end": "2025-12-31"}).status_code == 403


def test_the_information_officer_sees_the_form_with_this_year(client, info_officer):
    client.force_login(info_officer)
    response = client.get(URL)
    assert response.status_code == 200
    year = datetime.date.today().year
    assert f'value="{year}-01-01"' in response.text
    assert "Hela kommunen" in response.text


def test_a_period_that_ends_before_it_begins_is_refused(client, info_officer):
    client.force_login(info_officer)
    response = client.post(URL, {"start": "2025-12-31", "end": "2025-01-01"})
    assert response.status_code == 400
    assert "Sista dagen kan inte ligga före den första." in response.text
    assert store.all_manifests() == []


def test_a_report_is_made_registered_notified_and_downloaded(
    client, info_officer, world, django_capture_on_commit_callbacks
):
    client.force_login(info_officer)
    response = client.post(URL, {"start": "2025-07-01", "end": "2026-06-30", "administration": ""})
    assert response.status_code == 302
    (manifest,) = store.all_manifests()
    assert manifest.state == store.QUEUED
    page = client.get(URL)
    assert "Väntar på att tas fram" in page.text

    services.report_make(manifest.token)

    made = store.load(manifest.token)
    assert made is not None and made.state == store.DONE and made.percent == 100
    document = Document.objects.get(pk=made.document_id)
    assert document.direction == Direction.DRAWN_UP
    assert document.subject.startswith("Årsrapport sociala medier 2025-07-01 – 2026-06-30")
    assert document.reference == made.document_reference
    note = Notification.objects.get(recipient=info_officer, subject="Årsrapporten är klar")
    assert note.url == f"{reverse('reports:index')}#r-{made.token}"
    page = client.get(URL)
    assert made.document_reference in page.text
    pdf = client.get(f"{URL}{made.token}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "no-store" in pdf["Cache-Control"] and "private" in pdf["Cache-Control"]
    xlsx = client.get(f"{URL}{made.token}/xlsx/")
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert list(book["fragor"].iter_rows(values_only=True))[1][1] == 3
    assert client.get(f"{URL}{made.token}/csv/").status_code == 200
    # Made again (a retried task): nothing new is registered.
    services.report_make(made.token)
    assert Document.objects.filter(subject=document.subject).count() == 1


def test_unknown_reports_and_kinds_are_404(client, info_officer, world):
    client.force_login(info_officer)
    assert client.get(f"{URL}{'0' * 32}/pdf/").status_code == 404
    assert client.get(f"{URL}not-a-token/pdf/").status_code == 404
    manifest = services.report_start(
        actor=info_officer, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 1, 31)
    )
    # Not finished yet: nothing to download.
    assert client.get(f"{URL}{manifest.token}/pdf/").status_code == 404
    services.report_make(manifest.token)
    assert client.get(f"{URL}{manifest.token}/exe/").status_code == 404
