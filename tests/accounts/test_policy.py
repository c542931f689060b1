"""The policy as data (§12, §13): the page, publishing versions, acknowledging
the current one, and §N links in the UI."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts import services
from accounts.models import PolicyAcknowledgement, PolicyVersion
from accounts.policy_text import parse
from accounts.templatetags.policy import link_sections
from archive.models import Document
from tests.factories import POLICY_TEXT, UserFactory

POLICY = reverse("accounts:policy")
PUBLISH = reverse("accounts:policy_publish")
ACK = reverse("accounts:acknowledge_policy")

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(org):
    return UserFactory(
        username="lasare", unit=org["unit"], roles=["medarbetare"], acknowledged=False
    )


def test_policy_page_has_contents_and_an_anchor_per_section(client, published_policy):
    body = client.get(POLICY).content.decode()

    assert 'href="#avsnitt-6">Yttrandefrihet</a>' in body
    assert 'id="avsnitt-6"' in body and 'id="avsnitt-12"' in body
    assert "KF 2014-11-12 § 145" in body
    assert "Respektera andras rätt att uttrycka sig." in body
    # A decision's paragraph is not one of the policy's sections.
    assert "avsnitt-145" not in body


def test_parse_reads_both_heading_styles_lists_and_ignores_numbered_lists():
    text = "Titel\n\n§ 1 Början\n\n • ett\n • två\n\n3. inte en rubrik\n\n§2. Slutet\n\nText."
    document = parse(text)
    assert [(s.number, s.heading) for s in document.sections] == [(1, "Början"), (2, "Slutet")]
    assert document.sections[0].blocks[0].items == ["ett", "två"]
    assert document.sections[0].blocks[1].text == "3. inte en rubrik"
    assert document.preamble[0].text == "Titel"


def test_section_references_link_to_the_policy_but_not_inside_links_or_law_paragraphs():
    html = '<p>Se (§6) och lag 1998:112 § 5, OSL 5 kap. 1 §.</p><a href="/x">§7</a>'
    out = link_sections(html)
    assert '<a class="policy-ref" href="/policy/#avsnitt-6">§6' in out
    assert "lag 1998:112 § 5" in out
    assert '<a href="/x">§7</a>' in out


def test_staff_pages_link_their_section_references(client_for, staff):
    body = client_for(staff).get(reverse("accounts:profile")).content.decode()
    assert '<a class="policy-ref" href="/policy/#avsnitt-12">§12' in body
    assert '<a class="policy-ref" href="/policy/#avsnitt-8">§8' in body


@time_machine.travel(datetime.datetime(2026, 3, 9, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_acknowledging_records_the_version_read_and_the_date(client_for, reader, published_policy):
    client = client_for(reader)
    assert "Jag har läst och förstått" in client.get(POLICY).content.decode()

    response = client.post(ACK, {"confirm": "yes", "policy": published_policy.pk}, follow=True)

    ack = PolicyAcknowledgement.objects.get(user=reader)
    assert ack.policy == published_policy
    assert ack.acknowledged_on == datetime.date(2026, 3, 9)
    assert ack.history.get().history_user == reader
    assert "Din kvittens av policyn är registrerad." in response.content.decode()


def test_acknowledging_without_the_box_or_by_get_records_nothing(
    client_for, reader, published_policy
):
    client = client_for(reader)
    response = client.post(ACK, {"policy": published_policy.pk}, follow=True)
    assert "Kryssa i att du har läst policyn." in response.content.decode()
    assert client.get(ACK).status_code == 405
    assert not PolicyAcknowledgement.objects.filter(user=reader).exists()


def test_publishing_a_new_version_asks_everyone_again(
    client_for, info_officer, staff, published_policy
):
    assert PolicyAcknowledgement.objects.filter(user=staff, policy=published_policy).exists()

    response = client_for(info_officer).post(
        PUBLISH,
        {
            "title": "Policy för sociala medier",
            "decision_reference": "KF 2026-02-10 § 12",
            "decided_on": "2026-02-10",
            "text": POLICY_TEXT + "\n13. Snabbguide\n\nVar trovärdig.\n",
        },
        follow=True,
    )

    new = PolicyVersion.objects.get(number=published_policy.number + 1)
    assert new.history.get().history_user == info_officer
    assert "Snabbguide" in response.content.decode()
    assert staff.notifications.filter(subject__contains="KF 2026-02-10 § 12").exists()
    profile = client_for(staff).get(reverse("accounts:profile")).content.decode()
    assert "Du har inte kvitterat den gällande policyn" in profile
    # Acknowledging the old version now is refused: the new one must be read.
    response = client_for(staff).post(
        ACK, {"confirm": "yes", "policy": published_policy.pk}, follow=True
    )
    assert "En nyare version av policyn har publicerats" in response.content.decode()
    assert not PolicyAcknowledgement.objects.filter(user=staff, policy=new).exists()
    # The earlier version stays readable.
    old_page = client_for(staff).get(
        reverse("accounts:policy_version", args=[published_policy.number])
    )
    assert "Det här är en tidigare version." in old_page.content.decode()


def test_a_published_version_is_registered_in_the_diarium(
    info_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.policy_publish(
            actor=info_officer,
            decision_reference="KF 2014-11-12 § 145",
            decided_on=datetime.date(2014, 11, 12),
            text=POLICY_TEXT,
        )
    with django_capture_on_commit_callbacks(execute=True):
        second = services.policy_publish(
            actor=info_officer,
            decision_reference="KF 2026-02-10 § 12",
            decided_on=datetime.date(2026, 2, 10),
            text=POLICY_TEXT,
        )
    documents = {
        d.record_id: d
        for d in Document.objects.filter(
            record_id__in=[first.pk, second.pk], record_type__model="policyversion"
        )
    }
    assert set(documents) == {first.pk, second.pk}
    assert documents[first.pk].case_id == documents[second.pk].case_id
    assert documents[first.pk].document_date == datetime.date(2014, 11, 12)
    assert documents[first.pk].case.series == "KS"
    assert "KF 2014-11-12 § 145" in documents[first.pk].subject


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"decision_reference": "", "decided_on": "2014-11-12", "text": POLICY_TEXT},
            "Detta fält måste fyllas i.",
        ),
        (
            {"decision_reference": "KF", "decided_on": "2999-01-01", "text": POLICY_TEXT},
            "Beslutsdatumet kan inte ligga i framtiden.",
        ),
        (
            {"decision_reference": "KF", "decided_on": "2014-11-12", "text": "Bara löptext."},
            "Texten har inga numrerade avsnitt.",
        ),
    ],
)
def test_publishing_bad_input_is_refused_in_swedish(
    client_for, info_officer, published_policy, data, message
):
    response = client_for(info_officer).post(PUBLISH, {"title": "Policy", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert PolicyVersion.objects.count() == 1


def test_only_the_information_officer_may_publish(client, client_for, staff, manager):
    assert client.get(PUBLISH).status_code == 302
    for person in (staff, manager):
        assert client_for(person).get(PUBLISH).status_code == 403
    with pytest.raises(services.PolicyError):
        services.policy_publish(
            actor=staff,
            decision_reference="KF",
            decided_on=datetime.date(2014, 11, 12),
            text=POLICY_TEXT,
        )


def test_admin_shows_the_published_text_read_only(client, published_policy):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    change = reverse("admin:accounts_policyversion_change", args=[published_policy.pk])
    assert client.get(change).status_code == 200
    client.post(change, {"text": "Ändrad", "decision_reference": "X"})
    published_policy.refresh_from_db()
    assert published_policy.text == POLICY_TEXT
    assert client.get(reverse("admin:accounts_policyversion_add")).status_code == 403


@pytest.mark.no_policy
def test_without_a_published_policy_the_information_officer_is_told(client_for, info_officer):
    home = client_for(info_officer).get(reverse("accounts:home")).content.decode()
    assert "Policyn för sociala medier är inte publicerad här." in home
    page = client_for(info_officer).get(POLICY).content.decode()
    assert "Policyn är inte publicerad här än." in page
