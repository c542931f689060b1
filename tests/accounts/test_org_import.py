"""Reading in the org tree from a spreadsheet (issue 16): a preview of every
problem before anything is saved, then all or nothing, recorded in history."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.imports import org_tree
from accounts.models import Administration, Unit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEAD = "Förvaltning;Diarieserie;Förvaltningschef;Enhet;Chef\r\n"


def _csv(body: str, encoding="cp1252", bom=False) -> bytes:
    data = (HEAD + body).encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def _upload(client, data: bytes, name="org.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("accounts:org_import"), {"file": SimpleUploadedFile(name, data, "text/csv")}
    )


def test_every_problem_is_previewed_and_nothing_is_saved_until_fixed(info_officer):
    UserFactory(username="bosse")
    client = Client()
    client.force_login(info_officer)
    broken = (
        "Kultur- och fritidsförvaltningen;KFN;bosse;Biblioteket;okand\r\n"
        ";KFN;;Simhallen;\r\n"
        "Kultur- och fritidsförvaltningen;kfn;;Museet;\r\n"
        "Kultur- och fritidsförvaltningen;KFN;;Biblioteket;\r\n"
        "Socialförvaltningen;SN;;;\r\n"
    )
    response = _upload(client, _csv(broken))
    body = response.content.decode()
    assert response.status_code == 200
    for expected in (
        "Okänd person som chef: okand.",
        "Förvaltning saknas.",
        "Diarieserien kfn ska vara 2–10 versaler",
        "Enheten finns redan på rad 2.",
        "Enhet saknas.",
    ):
        assert expected in body
    assert "Läs in allt" not in body
    assert not Administration.objects.filter(register_series="KFN").exists()

    fixed = (
        "Kultur- och fritidsförvaltningen;KFN;bosse;Biblioteket;bosse\r\n"
        "Kultur- och fritidsförvaltningen;KFN;;Simhallen;\r\n"
        "Socialförvaltningen;SN;;Försörjningsstöd;\r\n"
    )
    response = _upload(client, _csv(fixed, "utf-8", bom=True))
    body = response.content.decode()
    assert "Skapar förvaltningen Kultur- och fritidsförvaltningen." in body
    payload = response.context["payload"]
    response = client.post(reverse("accounts:org_import"), {"payload": payload})
    assert response.status_code == 302
    kfn = Administration.objects.get(name="Kultur- och fritidsförvaltningen")
    assert kfn.head.username == "bosse"
    assert Unit.objects.get(name="Biblioteket").manager.username == "bosse"
    assert Unit.objects.filter(administration__register_series="SN").count() == 1
    assert kfn.history.first().history_user == info_officer


def test_a_problem_found_at_confirmation_saves_nothing(info_officer):
    rows = [
        {"administration": "A-förv", "series": "AF", "head": "", "unit": "Ett", "manager": ""},
        {"administration": "A-förv", "series": "AF", "head": "", "unit": "Ett", "manager": ""},
    ]
    from nora_social.core.errors import ServiceError

    with pytest.raises(ServiceError):
        org_tree.apply(actor=info_officer, rows=rows)
    assert not Administration.objects.filter(name="A-förv").exists()


def test_the_template_explains_the_columns_in_swedish(info_officer):
    client = Client()
    client.force_login(info_officer)
    response = client.get(reverse("accounts:org_import_template"))
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]] == [
        "Förvaltning",
        "Diarieserie",
        "Förvaltningschef",
        "Enhet",
        "Chef",
    ]
    assert book.worksheets[1]["A1"].value == "Kolumn"
    # The template itself reads back without a problem.
    rows = org_tree.parse("mall.xlsx", response.content)
    assert all(not p.problems for p in org_tree.plan(rows))
