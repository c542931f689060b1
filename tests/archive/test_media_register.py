"""§10: the register of social media per administration, past and present,
with its dates; as a page and as CSV."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from channels_registry.models import SocialAccount
from tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(org, platform):
    return SocialAccountFactory(
        unit=org["unit"],
        platform=platform,
        display_name="Nora kommun Sommarlov",
        status=SocialAccount.Status.CLOSED,
        planned_on=datetime.date(2019, 3, 1),
        activated_on=datetime.date(2019, 4, 1),
        closed_on=datetime.date(2023, 9, 30),
    )


def test_registrar_sees_every_account_past_and_present_per_administration(
    client_for, registrar, account, other_account, closed
):
    response = client_for(registrar).get(reverse("archive:media_register"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kommunstyrelseförvaltningen (KS)" in page
    assert "Barn- och utbildningsförvaltningen (BUN)" in page
    for name in ("Nora kommun Sommarlov", account.display_name, other_account.display_name):
        assert name in page
    assert "2023-09-30" in page and "2019-04-01" in page


def test_csv_has_the_dates(client_for, registrar, closed):
    response = client_for(registrar).get(reverse("archive:media_register_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    row = next(r for r in rows if r[3] == "Nora kommun Sommarlov")
    assert row[0] == "Kommunstyrelseförvaltningen"
    assert row[7:] == ["2019-03-01", "2019-04-01", "2023-09-30"]


def test_staff_see_only_the_accounts_they_may_see(client_for, outsider, account, other_account):
    page = client_for(outsider).get(reverse("archive:media_register")).content.decode()
    assert other_account.display_name in page
    assert "Barn- och utbildningsförvaltningen" in page
    assert "Kommunstyrelseförvaltningen" not in page


def test_media_register_query_count_is_fixed(client_for, registrar, org, platform):
    client = client_for(registrar)
    SocialAccountFactory(unit=org["unit"], platform=platform)
    client.get(reverse("archive:media_register"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("archive:media_register"))
    for _ in range(10):
        SocialAccountFactory(unit=org["unit"], platform=platform)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("archive:media_register"))
    assert len(many) == len(few)
