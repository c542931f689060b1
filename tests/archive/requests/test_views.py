"""The request pages as people reach them: the public form (anonymous, rate
limited, honeypot, nothing unescaped), the tracking and download links
(tokens only, links expire), and who sees the staff pages (anonymous → login,
a role that never uses them → 403, a request one may not see → 404; the
security coordinator sees threats, a delegate their administration's)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from archive.requests import services
from archive.requests.models import Assessment, HandOut, RecordsRequest
from tests.archive.requests.conftest import submit

pytestmark = pytest.mark.django_db

FORM = "/begaran/"


def _post(client, **data):
    values = {"reference": "", "description": "", "delivery": "email", "name": "", "email": ""}
    values.update(data)
    values.setdefault("address", "")
    return client.post(FORM, values)


def test_anonymous_request_gets_a_tracking_link_and_nothing_is_unescaped(comment_document):
    client = Client()
    page = client.get(f"{FORM}?ref={comment_document.reference}")
    assert page.status_code == 200 and comment_document.reference in page.content.decode()
    response = _post(client, reference=comment_document.reference, description="<script>x</script>")
    assert response.status_code == 302
    tracking = client.get(response["Location"])
    body = tracking.content.decode()
    assert tracking.status_code == 200 and "Kvitto" in body
    assert "<script>x</script>" not in body and "&lt;script&gt;" in body
    assert tracking["Cache-Control"] == "private, no-store"
    # The receipt is shown once; the link itself keeps working.
    assert "Kvitto" not in client.get(response["Location"]).content.decode()
    assert client.get("/begaran/folj/inte-en-riktig-token/").status_code == 404


def test_bad_input_is_refused_in_swedish_and_saves_nothing(org):
    response = _post(Client(), reference="KS 1999/9-9", delivery="post")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Det finns ingen handling med det diarienumret." in body
    assert "Ange en postadress" in body
    assert not RecordsRequest.objects.exists()


def test_honeypot_and_rate_limit(org, settings):
    settings.PUBLIC_FORM_LIMIT = 2
    client = Client(REMOTE_ADDR="198.51.100.7")
    caught = _post(client, description="Alla kommentarer", website="https://spam.example")
    assert caught.status_code == 200 and not RecordsRequest.objects.exists()
    statuses = [_post(client, description="Alla kommentarer").status_code for _ in range(4)]
    assert statuses == [302, 302, 429, 429]
    assert RecordsRequest.objects.count() == 2


def test_downloads_need_the_token_and_links_expire(comment_document, registrar):
    request, token = submit(comment_document.reference)
    services.take(actor=registrar, request=request)
    item = request.documents.get()
    services.assess(actor=registrar, item=item, assessment=Assessment.PUBLIC)
    handout, link = services.hand_out(actor=registrar, request=request)
    client = Client()
    assert client.get(reverse("request_link_download", args=[link])).status_code == 200
    assert client.get(reverse("request_link_download", args=["gissad"])).status_code == 404
    assert (
        client.get(reverse("request_track_download", args=[token, handout.pk])).status_code == 200
    )
    assert (
        client.get(reverse("request_track_download", args=["gissad", handout.pk])).status_code
        == 404
    )
    HandOut.objects.filter(pk=handout.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert client.get(reverse("request_link_download", args=[link])).status_code == 404
    assert (
        client.get(reverse("request_track_download", args=[token, handout.pk])).status_code == 404
    )


def test_who_sees_the_staff_pages(
    comment_document, registrar, staff, delegate, security_coordinator, client_for
):
    request, _token = submit(comment_document.reference)
    threat, _token = submit(description="Hotfullt brev", is_threat=True)
    queue = reverse("archive:request_queue")
    detail = reverse("archive:request_detail", args=[request.pk])
    threat_detail = reverse("archive:request_detail", args=[threat.pk])

    assert Client().get(queue).status_code == 302
    assert client_for(staff).get(queue).status_code == 403
    assert client_for(staff).get(detail).status_code == 404

    registrar_client = client_for(registrar)
    assert registrar_client.get(queue).status_code == 200
    assert registrar_client.get(detail).status_code == 200

    coordinator = client_for(security_coordinator)
    assert coordinator.get(threat_detail).status_code == 200
    assert coordinator.get(detail).status_code == 404

    # A delegate sees the administration's requests but does not handle them.
    delegate_client = client_for(delegate)
    assert delegate_client.get(detail).status_code == 200
    take = reverse("archive:request_act", args=[request.pk, "take"])
    assert delegate_client.post(take).status_code == 403
    request.refresh_from_db()
    assert request.status == RecordsRequest.Status.RECEIVED


def test_registrar_works_a_request_through_the_pages(comment_document, registrar, client_for):
    request, _token = submit(comment_document.reference)
    client = client_for(registrar)
    assert client.post(reverse("archive:request_act", args=[request.pk, "take"])).status_code == 302
    item = request.documents.get()
    assess = reverse("archive:request_assess", args=[item.pk])
    refused = client.post(assess, {f"a{item.pk}-assessment": "partly", f"a{item.pk}-provision": ""})
    assert refused.status_code == 400
    assert "Ange bestämmelsen" in refused.content.decode()
    ok = client.post(
        assess, {f"a{item.pk}-assessment": "partly", f"a{item.pk}-provision": "OSL 21 kap. 7 §"}
    )
    assert ok.status_code == 302
    mask = reverse("archive:request_mask", args=[item.pk])
    assert client.get(mask).status_code == 200
    response = client.post(
        mask, {"kind": "string", "s-text": "Greta Granskare", "s-provision": "OSL 21 kap. 7 §"}
    )
    assert response.status_code == 302
    assert "Greta Granskare" not in client.get(mask).content.decode().split("Maskeringslogg")[0]
    pause = reverse("archive:request_act", args=[request.pk, "pause"])
    assert client.post(pause, {"reason": ""}).status_code == 400
    assert client.post(reverse("archive:request_hand_out", args=[request.pk])).status_code == 302
    request.refresh_from_db()
    handout = request.handouts.get()
    assert (
        client.get(reverse("archive:request_handout_print", args=[handout.pk])).status_code == 200
    )
    assert client.get(reverse("archive:request_delegations")).status_code == 200


def test_registrar_marks_a_web_request_as_a_threat_for_the_coordinator(
    comment_document, registrar, security_coordinator, client_for
):
    request, _token = submit(comment_document.reference)
    detail = reverse("archive:request_detail", args=[request.pk])
    coordinator = client_for(security_coordinator)
    assert coordinator.get(detail).status_code == 404
    mark = reverse("archive:request_act", args=[request.pk, "threat"])
    assert client_for(registrar).post(mark).status_code == 302
    assert coordinator.get(detail).status_code == 200
    assert (
        coordinator.post(reverse("archive:request_act", args=[request.pk, "no-threat"])).status_code
        == 403
    )
    request.refresh_from_db()
    assert request.is_threat
    assert request.history.first().history_user == registrar


def test_the_embed_offers_the_request_form_in_the_whole_window(org, settings):
    """The widget on nora.se (framed only by NORA_EMBED_ORIGINS) has a GET form
    that opens /begaran/ prefilled in the top window: the form page itself is
    never framed, its POST keeps CSRF and the public form's rate limit."""
    from lxml import html as lxml_html

    settings.NORA_EMBED_ORIGINS = ["https://www.nora.se"]
    embed = Client().get(reverse("channels_registry:public_embed"))
    form = lxml_html.fromstring(embed.content).xpath("//section[@class='request']/form")[0]
    assert form.get("action") == reverse("request_form")
    assert form.get("method") == "get" and form.get("target") == "_top"
    assert {field.get("name") for field in form.xpath(".//textarea | .//input")} == {
        "beskrivning",
        "ref",
    }
    assert "https://www.nora.se" in embed["Content-Security-Policy"]

    page = Client().get(
        reverse("request_form"),
        {"beskrivning": "Kommentarerna <script>x</script> i maj", "ref": "KS 2026/1-1"},
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "Kommentarerna &lt;script&gt;x&lt;/script&gt; i maj" in body
    assert 'value="KS 2026/1-1"' in body
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]

    settings.PUBLIC_FORM_LIMIT = 1
    client = Client(REMOTE_ADDR="198.51.100.9")
    statuses = [_post(client, description="Kommentarerna i maj").status_code for _ in range(2)]
    assert statuses == [302, 429]
