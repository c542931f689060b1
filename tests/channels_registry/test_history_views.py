"""The history of an account (simple-history rows with who and when): for the
information officer and those with view_account_history; never a secret."""

import pytest
from django.urls import reverse

from channels_registry import member_services, services
from channels_registry.escrow import services as escrow_services
from tests.factories import SocialAccountFactory, UserFactory

SECRET_PASSWORD = "hunter2-very-secret"


@pytest.fixture
def account(org, platform, staff, colleague, info_officer):
    account = SocialAccountFactory(unit=org["unit"], platform=platform)
    member_services.member_add(
        account_id=account.pk, actor=info_officer, user=staff, role="owner", holds_credentials=True
    )
    member_services.member_add(
        account_id=account.pk,
        actor=info_officer,
        user=colleague,
        role="deputy",
        holds_credentials=True,
    )
    services.checklist_confirm(account_id=account.pk, actor=staff, item="comment_rules")
    services.account_update(
        account_id=account.pk, actor=staff, changes={"contact": "ny-kontakt@nora.se"}
    )
    escrow_services.escrow_deposit(
        account_id=account.pk,
        actor=staff,
        kind="shared_login",
        secrets={"login_name": "nora-login", "password": SECRET_PASSWORD},
    )
    return account


def _url(account):
    return reverse("channels_registry:account_history", args=[account.pk])


def test_anonymous_is_sent_to_login(client, account):
    assert client.get(_url(account)).status_code == 302


def test_outsider_gets_404(client_for, outsider, account):
    assert client_for(outsider).get(_url(account)).status_code == 404


@pytest.mark.parametrize("persona", ["staff", "manager", "head"])
def test_people_without_the_history_permission_get_403(request, client_for, account, persona):
    assert client_for(request.getfixturevalue(persona)).get(_url(account)).status_code == 403


@pytest.mark.parametrize("persona", ["info_officer", "registrar"])
def test_history_lists_changes_with_who_and_when(request, client_for, account, staff, persona):
    response = client_for(request.getfixturevalue(persona)).get(_url(account))
    assert response.status_code == 200
    entries = response.context["entries"]
    whats = {e["what"] for e in entries}
    assert {"Kontot", "Person på kontot", "Checklistan", "Deponerad åtkomst (logg)"} <= whats
    contact_change = next(e for e in entries if e["what"] == "Kontot" and e["kind"] == "Ändrad")
    assert contact_change["who"] == staff
    assert ("kontakt", "ny-kontakt@nora.se") in contact_change["changes"]
    member_rows = [e for e in entries if e["what"] == "Person på kontot"]
    assert {e["subject"] for e in member_rows} >= {str(staff)}
    assert all(e["at"] is not None for e in entries)
    assert [e["at"] for e in entries] == sorted((e["at"] for e in entries), reverse=True)


def test_history_never_shows_a_secret(client_for, info_officer, account):
    html = client_for(info_officer).get(_url(account)).content.decode()
    assert SECRET_PASSWORD not in html
    assert "nora-login" not in html


def test_history_shows_ended_memberships(client_for, info_officer, account, org):
    helper = UserFactory(unit=org["unit"], first_name="Hjalmar", last_name="Hjälp")
    member = member_services.member_add(
        account_id=account.pk,
        actor=info_officer,
        user=helper,
        role="admin",
        holds_credentials=False,
    )
    member_services.member_end(member_id=member.pk, actor=info_officer)
    entries = client_for(info_officer).get(_url(account)).context["entries"]
    ended = [e for e in entries if e["subject"] == "Hjalmar Hjälp" and e["kind"] == "Ändrad"]
    assert ended and ended[0]["who"] == info_officer
    assert any(label == "till och med" for label, _ in ended[0]["changes"])


def test_history_reads_in_swedish_with_local_times_and_choice_labels(
    client_for, info_officer, account, staff
):
    """Field names are Swedish labels, times Swedish local time to the minute,
    codes their labels: "Begärd av", never "Requested by", "2026-…:12.345678+00:00"
    or "Skäl: closed"."""
    import datetime
    import re
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from channels_registry.models import SocialAccount

    confirmation = account.checklist.get(item="comment_rules")
    at_utc = datetime.datetime(2026, 6, 1, 10, 5, 7, 123456, tzinfo=datetime.UTC)
    confirmation.confirmed_at = at_utc
    confirmation._history_user = staff
    confirmation.save()
    SocialAccount.objects.filter(pk=account.pk).update(status="closing")
    escrow_services.retire_escrow(account, info_officer, "closed")
    html = client_for(info_officer).get(_url(account)).content.decode()
    for english in ("Requested by", "Item:", "Confirmed by", "Created at", "Skäl: closed"):
        assert english not in html
    from channels_registry.models import ChecklistItem

    assert f"Punkt: {ChecklistItem('comment_rules').label}" in html
    assert "Bekräftad av: " in html
    local = timezone.localtime(at_utc, ZoneInfo("Europe/Stockholm"))
    assert f"Bekräftad: {local:%Y-%m-%d %H:%M}<" in html  # 12:05 in summer, not 10:05
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d{6}", html)
    assert "Skäl: Kontot stängdes" in html
