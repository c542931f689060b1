"""Closing an account ends its owner's membership; they land on a receipt they
may still see, of what was closed, retired and archived (§5, §10)."""

import pytest
from django.urls import reverse

from channels_registry import lifecycle_services
from channels_registry.models import SocialAccount
from tests.archive.snapshot_helpers import final_snapshot_row
from tests.factories import make_active_account

pytestmark = pytest.mark.django_db


def _owner(account):
    return account.members.get(role="owner", ends_on__isnull=True).user


@pytest.fixture
def closable(org, manager):
    account = make_active_account(unit=org["unit"])
    lifecycle_services.account_start_closing(account_id=account.pk, actor=manager, reason="Slut.")
    final_snapshot_row(account, _owner(account))
    return account


def test_owner_who_closes_lands_on_a_receipt_of_what_was_closed_and_archived(client_for, closable):
    owner = _owner(closable)
    c = client_for(owner)
    response = c.post(
        reverse("channels_registry:account_close", args=[closable.pk]),
        {"outcome": "deleted", "note": "Raderat 1 dec."},
        follow=True,
    )
    assert response.status_code == 200
    closable.refresh_from_db()
    assert closable.status == SocialAccount.Status.CLOSED
    html = response.content.decode()
    assert f"Kvitto: {closable.display_name} är stängt" in html
    assert "Kontot är raderat på plattformen" in html
    assert str(owner) in html  # closed by, and among the people whose membership ended
    assert "avvecklad" in html  # the escrowed access retired
    assert "Slutlig ögonblicksbild (PDF/A) skapad" in html  # what the archive kept
    # The account page itself is no longer theirs, the receipt stays.
    assert c.get(reverse("channels_registry:account_detail", args=[closable.pk])).status_code == 404
    again = c.get(reverse("channels_registry:account_closed", args=[closable.pk]))
    assert again.status_code == 200


def test_receipt_is_hidden_from_outsiders_and_for_accounts_not_closed(
    client_for, outsider, closable
):
    url = reverse("channels_registry:account_closed", args=[closable.pk])
    owner = _owner(closable)
    assert client_for(owner).get(url).status_code == 404  # still closing
    lifecycle_services.account_close(account_id=closable.pk, actor=owner, outcome="deleted")
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(owner).get(url).status_code == 200
