"""Who may use the disposal, purge and export pages: anonymous to the login,
roles that may never use them 403, a missing object 404; the registrar's run
through the preview and the security coordinator's confirmation."""

import datetime

import pytest
from django.urls import reverse

from archive.disposal import services as disposal
from archive.models import DisposableType, DisposalEntry, Hold, PurgeEntry, RetentionDecision
from moderation.models import ModerationAction
from tests.archive.conftest import corrected, removed_comment
from tests.archive.test_disposal import age, decision

pytestmark = pytest.mark.django_db

REGISTRAR_PAGES = [
    ("archive:retention_index", []),
    ("archive:decision_create", []),
    ("archive:hold_create", []),
    ("archive:purge_propose", []),
    ("archive:export_package", []),
]


@pytest.mark.parametrize("name,args", REGISTRAR_PAGES + [("archive:purge_index", [])])
def test_anonymous_is_sent_to_login(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("name,args", REGISTRAR_PAGES + [("archive:purge_index", [])])
def test_staff_and_outsider_get_403(client_for, staff, outsider, name, args):
    assert client_for(staff).get(reverse(name, args=args)).status_code == 403
    assert client_for(outsider).get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize("name,args", REGISTRAR_PAGES)
def test_information_officer_and_security_coordinator_may_not_dispose(
    client_for, info_officer, security_coordinator, name, args
):
    assert client_for(info_officer).get(reverse(name, args=args)).status_code == 403
    assert client_for(security_coordinator).get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize("name,args", REGISTRAR_PAGES + [("archive:purge_index", [])])
def test_registrar_uses_them(client_for, registrar, name, args):
    assert client_for(registrar).get(reverse(name, args=args)).status_code == 200


def test_security_coordinator_sees_the_purge_list(client_for, security_coordinator):
    assert client_for(security_coordinator).get(reverse("archive:purge_index")).status_code == 200


def test_missing_decision_and_entry_are_404(client_for, registrar):
    client = client_for(registrar)
    assert client.get(reverse("archive:disposal_preview", args=[9999])).status_code == 404
    assert client.get(reverse("archive:disposal_detail", args=[9999])).status_code == 404


def test_registrar_records_a_decision_previews_and_confirms(client_for, registrar, account, staff):
    old = removed_comment(account, staff, text="Gammal kommentar")
    age(old, years=3)
    client = client_for(registrar)
    response = client.post(
        reverse("archive:decision_create"),
        {
            "record_type": DisposableType.MODERATION_ACTION,
            "rule": "after_years",
            "years": "2",
            "decided_by_body": "Kommunstyrelsen",
            "decided_on": "2025-03-01",
            "plan_paragraph": "3.4.2",
        },
    )
    rule = RetentionDecision.objects.get()
    assert response.status_code == 302
    preview = client.get(reverse("archive:disposal_preview", args=[rule.pk]))
    assert f'name="record" value="{old.pk}"' in preview.content.decode()
    response = client.post(reverse("archive:disposal_preview", args=[rule.pk]), {"record": old.pk})
    entry = DisposalEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("archive:disposal_detail", args=[entry.pk])
    assert not ModerationAction.objects.exists()
    assert client.get(response["Location"]).status_code == 200


def test_bad_decision_form_is_400_with_field_errors(client_for, registrar):
    response = client_for(registrar).post(
        reverse("archive:decision_create"),
        {"record_type": "x", "rule": "after_years", "decided_on": "2999-01-01"},
    )
    assert response.status_code == 400
    assert 'id="id_record_type_error"' in response.content.decode()
    assert not RetentionDecision.objects.exists()


def test_confirm_with_nothing_listed_is_400_and_removes_nothing(
    client_for, registrar, account, staff
):
    old = removed_comment(account, staff, text="Gammal")
    age(old, years=3)
    rule = decision(registrar)
    response = client_for(registrar).post(
        reverse("archive:disposal_preview", args=[rule.pk]), {"record": "x"}
    )
    assert response.status_code == 400
    assert ModerationAction.objects.filter(pk=old.pk).exists()


def test_hold_form_and_lift(client_for, registrar, account):
    client = client_for(registrar)
    response = client.post(
        reverse("archive:hold_create"),
        {"kind": Hold.Kind.APPEAL, "reference": "KS 2026/4", "account": account.pk},
    )
    assert response.status_code == 302
    hold = Hold.objects.get()
    response = client.post(reverse("archive:hold_lift", args=[hold.pk]))
    hold.refresh_from_db()
    assert hold.lifted_by == registrar
    empty = client.post(reverse("archive:hold_create"), {"kind": "appeal", "reference": "KS 1"})
    assert empty.status_code == 400
    assert Hold.objects.count() == 1


def test_purge_through_the_pages(client_for, registrar, security_coordinator, account, staff):
    record = removed_comment(account, staff, text="Brottsligt material")
    response = client_for(registrar).post(
        reverse("archive:purge_propose"),
        {
            "record_type": DisposableType.MODERATION_ACTION,
            "record_id": record.pk,
            "reason": "Brottsligt att inneha.",
        },
    )
    assert response.status_code == 302
    proposal = PurgeEntry.objects.get()
    # The registrar cannot confirm: the page is the security coordinator's.
    url = reverse("archive:purge_decide", args=[proposal.pk])
    assert client_for(registrar).post(url, {"action": "confirm"}).status_code == 403
    assert client_for(staff).post(url, {"action": "confirm"}).status_code == 403
    response = client_for(security_coordinator).post(url, {"action": "confirm"})
    assert response.status_code == 302
    assert not ModerationAction.objects.exists()
    listing = client_for(security_coordinator).get(reverse("archive:purge_index")).content.decode()
    assert "Brottsligt att inneha." in listing
    assert "Brottsligt material" not in listing


def test_purge_refusal_without_a_note_is_400(
    client_for, registrar, security_coordinator, account, staff
):
    record = removed_comment(account, staff, text="Kommentar")
    proposal = disposal.purge_propose(
        actor=registrar,
        record_type=DisposableType.MODERATION_ACTION,
        record_id=record.pk,
        reason="Fel konto",
    )
    url = reverse("archive:purge_decide", args=[proposal.pk])
    assert client_for(security_coordinator).post(url, {"action": "refuse"}).status_code == 400
    assert client_for(security_coordinator).post(url, {"action": "nej"}).status_code == 400
    missing = reverse("archive:purge_decide", args=[9999])
    assert client_for(security_coordinator).post(missing, {"action": "confirm"}).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == PurgeEntry.Status.PROPOSED


def test_retention_index_query_count_is_fixed(client_for, registrar, account, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    decision(registrar, years=1)
    disposal.hold_place(actor=registrar, kind=Hold.Kind.APPEAL, reference="KS 1", account=account)
    client = client_for(registrar)
    client.get(reverse("archive:retention_index"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("archive:retention_index"))
    for years in (2, 3, 4, 5):
        decision(registrar, years=years)
        disposal.hold_place(
            actor=registrar, kind=Hold.Kind.APPEAL, reference=f"KS {years}", account=account
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("archive:retention_index"))
    assert len(many) == len(few)


def test_dates_in_the_preview(client_for, registrar, account, staff):
    old = removed_comment(account, staff, text="Gammal")
    age(old, years=3, days=0)
    rule = decision(registrar)
    page = client_for(registrar).get(reverse("archive:disposal_preview", args=[rule.pk]))
    moment = ModerationAction.objects.get().logged_at
    assert moment.date() <= datetime.date.today()
    assert page.status_code == 200


def test_confirmation_says_how_many_listed_records_a_later_correction_kept(
    client_for, registrar, account, staff
):
    """The preview lists a due entry whose later correction is not due yet: the
    run keeps it, and the registrar is told so rather than only "0 disposed"."""
    first = removed_comment(account, staff, text="Första versionen")
    corrected(first, staff, reason="Personangrepp, rättad.", note="Fel motivering")
    age(first, years=4)
    rule = decision(registrar)
    client = client_for(registrar)
    response = client.post(
        reverse("archive:disposal_preview", args=[rule.pk]), {"record": first.pk}, follow=True
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert "0 handlingar är gallrade." in shown
    assert any(m.startswith("1 handlingar gallrades inte: en senare post hänvisar") for m in shown)
    assert ModerationAction.objects.filter(pk=first.pk).exists()
