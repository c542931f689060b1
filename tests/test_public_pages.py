"""The public pages: start page, accessibility statement (DOS-lagen 2018:1937)
with its problem report, privacy notice (GDPR art. 13/14) and the record of
processing (GDPR art. 30)."""

import re
import socket

import pytest
from django.test import Client
from django.urls import reverse

from nora_social.processing_record import PROCESSING_ACTIVITIES

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "index",
    "accessibility",
    "accessibility_report",
    "privacy",
    "processing_record",
    "channels_registry:public_list",
]
REPORT = reverse("accessibility_report")


def _text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_anonymous_gets_public_page_in_swedish_with_main_and_h1(name):
    response = Client().get(reverse(name))

    assert response.status_code == 200
    body = _text(response)
    assert '<html lang="sv">' in body
    assert re.search(r"<main\b[^>]*\bid=\"main\"", body)
    assert len(re.findall(r"<h1[\s>]", body)) == 1
    assert "lorem" not in body.lower()


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_link_to_statement_and_privacy_notice(name):
    body = _text(Client().get(reverse(name)))
    assert f'href="{reverse("accessibility")}"' in body
    assert f'href="{reverse("privacy")}"' in body


def test_start_page_explains_the_service_and_links_to_the_list():
    body = _text(Client().get(reverse("index")))
    assert "Nora kommun i sociala medier" in body
    assert f'href="{reverse("channels_registry:public_list")}"' in body
    assert f'href="{reverse("channels_registry:public_list_json")}"' in body
    assert "allmänna handlingar" in body
    assert "norakommun" in body  # how to recognise a real account (§4)


def test_start_page_sends_a_logged_in_person_to_their_own_page(client_for, staff):
    response = client_for(staff).get(reverse("index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")


def test_accessibility_statement_follows_diggs_model(settings):
    settings.ACCESSIBILITY_CONTACT = "tillganglighet@nora.se"
    body = _text(Client().get(reverse("accessibility")))

    for heading in [
        "Hur tillgänglig är webbplatsen?",
        "Vad kan du göra om du inte kan använda delar av webbplatsen?",
        "Rapportera brister i webbplatsens tillgänglighet",
        "Tillsyn",
        "Teknisk information om webbplatsens tillgänglighet",
        "Innehåll som inte är tillgängligt",
        "Bristande förenlighet med lagkraven",
        "Oskäligt betungande anpassning",
        "Innehåll som inte omfattas av lagstiftningen",
        "Hur vi testat webbplatsen",
    ]:
        assert f">{heading}</h" in body, heading
    assert "2018:1937" in body
    assert "delvis förenlig" in body
    assert "WCAG 2.1 nivå AA" in body
    assert 'href="https://www.digg.se/tdosanmalan"' in body
    assert "mailto:tillganglighet@nora.se" in body
    assert f'href="{REPORT}"' in body
    assert "Redogörelsen uppdaterades senast" in body


def test_privacy_notice_names_controller_purposes_basis_rights_and_imy(settings):
    settings.DPO_CONTACT = "dso.test@nora.se"
    body = _text(Client().get(reverse("privacy")))

    assert "Nora kommun" in body and "Personuppgiftsansvarig" in body
    assert "mailto:dso.test@nora.se" in body
    for required in [
        "allmänna handlingar",
        "offentlighets- och sekretesslagen",
        "tryckfrihetsförordningen",
        "artikel 6.1 c",
        "artikel 6.1 e",
        "dokumenthanteringsplan",
        "gallr",
        "artikel 15",
        "artikel 16",
        "artikel 17",
        "artikel 21",
        "Integritetsskyddsmyndigheten",
    ]:
        assert required in body, required
    assert f'href="{reverse("processing_record")}"' in body


def test_record_of_processing_is_a_table_with_every_art_30_column(settings):
    settings.DPO_CONTACT = "dso.test@nora.se"
    body = _text(Client().get(reverse("processing_record")))

    for column in [
        "Behandling och ändamål",
        "Rättslig grund",
        "Registrerade och kategorier av personuppgifter",
        "Mottagare",
        "Överföring till tredje land",
        "Lagringstid",
        "Säkerhetsåtgärder",
    ]:
        assert f'<th scope="col">{column}</th>' in body
    assert body.count('<th scope="row">') == len(PROCESSING_ACTIVITIES) >= 8
    assert "mailto:dso.test@nora.se" in body
    for activity in PROCESSING_ACTIVITIES:
        for key in (
            "name",
            "purpose",
            "legal_basis",
            "subjects",
            "recipients",
            "transfers",
            "retention",
            "security",
        ):
            assert str(activity[key]).strip(), (activity["name"], key)


# --- Reporting an accessibility problem ------------------------------------


def test_report_is_mailed_to_the_accessibility_contact_and_a_receipt_shown(settings, mailoutbox):
    settings.ACCESSIBILITY_CONTACT = "tillganglighet@nora.se"
    client = Client()

    response = client.post(
        REPORT,
        {
            "name": "Eva Exempel",
            "email": "eva@example.se",
            "page_url": "/konton/",
            "description": "Tabellen går inte att läsa med min skärmläsare.",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accessibility_report_sent")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["tillganglighet@nora.se"]
    assert mail.reply_to == ["eva@example.se"]
    assert "Tabellen går inte att läsa med min skärmläsare." in mail.body
    assert "/konton/" in mail.body
    assert "Eva Exempel" in mail.body

    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    text = _text(receipt)
    assert "Din rapport är skickad" in text
    assert "/konton/" in text
    assert "tillganglighet@nora.se" in text
    assert "Vi svarar dig på den e-postadress du angav." in text


def test_report_without_name_or_email_is_accepted(mailoutbox):
    client = Client()
    response = client.post(
        REPORT, {"page_url": "Startsidan", "description": "Fokus syns inte på knappen."}
    )

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].reply_to == []
    assert "vi kan inte svara dig" in _text(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"page_url": "/konton/", "description": ""}, "Beskriv problemet"),
        ({"page_url": "/konton/", "description": "   \n  "}, "Beskriv problemet"),
        ({"page_url": "", "description": "Något är fel."}, "Ange vilken sida det gäller."),
        (
            {"page_url": "/", "description": "Något är fel.", "email": "inte-en-adress"},
            "Ange en giltig e-postadress",
        ),
        ({"page_url": "/", "description": "x" * 5001}, "högst 5000 tecken"),
    ],
)
def test_invalid_report_gives_a_swedish_message_and_sends_nothing(data, message, mailoutbox):
    response = Client().post(REPORT, data)

    assert response.status_code == 400
    body = _text(response)
    assert message in body
    assert 'aria-invalid="true"' in body
    assert mailoutbox == []


def test_report_form_is_prefilled_with_the_page_it_came_from():
    body = _text(Client().get(REPORT, {"sida": "/personuppgifter/"}))
    assert 'value="/personuppgifter/"' in body


def test_page_address_cannot_smuggle_lines_into_the_mail(mailoutbox):
    Client().post(
        REPORT,
        {"page_url": "/konton/\r\nBcc: alla@example.se", "description": "Test av rader."},
    )

    assert len(mailoutbox) == 1
    assert mailoutbox[0].bcc == []
    assert "Sida: /konton/ Bcc: alla@example.se" in mailoutbox[0].body


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_report_when_the_mail_server_is_down_says_so_in_swedish(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _closed_port()
    settings.EMAIL_TIMEOUT = 2
    settings.ACCESSIBILITY_CONTACT = "tillganglighet@nora.se"

    response = Client().post(REPORT, {"page_url": "/", "description": "Något är fel."})

    assert response.status_code == 503
    body = _text(response)
    assert "Vi kunde inte skicka din rapport just nu" in body
    assert "tillganglighet@nora.se" in body
    assert "Något är fel." in body  # what the person wrote is kept in the form


def test_receipt_without_a_report_leads_to_the_form():
    response = Client().get(reverse("accessibility_report_sent"))
    assert response.status_code == 302
    assert response["Location"] == REPORT


def test_report_form_is_never_cached():
    assert "no-cache" in Client().get(REPORT)["Cache-Control"]


# --- Anonymous forms: per-client limit and honeypot ------------------------


@pytest.fixture
def redis_shared_cache(settings, redis_url):
    """The limit counts in the shared cache, Redis in production: here too."""
    import uuid

    import redis

    prefix = f"test-public-form-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        },
    }
    yield
    # Only this test's keys: the database also carries the Celery broker.
    server = redis.Redis.from_url(redis_url)
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


GOOD_REPORT = {"page_url": "/konton/", "description": "Knappen går inte att nå med tangentbordet."}


def test_one_client_sending_report_after_report_is_stopped_in_swedish(
    redis_shared_cache, settings, mailoutbox
):
    settings.PUBLIC_FORM_LIMIT = 5
    client = Client(REMOTE_ADDR="198.51.100.7")

    statuses = [client.post(REPORT, GOOD_REPORT).status_code for _ in range(30)]

    assert statuses == [302] * 5 + [429] * 25
    assert len(mailoutbox) == 5
    refused = client.post(REPORT, {**GOOD_REPORT, "description": "Min sjätte rapport."})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    body = _text(refused)
    assert "Du har skickat många formulär på kort tid" in body
    assert "Min sjätte rapport." in body  # nothing typed is lost
    assert len(mailoutbox) == 5

    # Another client is not held back by the first.
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert other.post(REPORT, GOOD_REPORT).status_code == 302
    assert len(mailoutbox) == 6


def test_reports_with_mistakes_do_not_use_up_the_limit(settings, mailoutbox):
    settings.PUBLIC_FORM_LIMIT = 2
    client = Client()
    for _ in range(6):
        assert client.post(REPORT, {"page_url": "", "description": ""}).status_code == 400
    assert client.post(REPORT, GOOD_REPORT).status_code == 302
    assert len(mailoutbox) == 1


def test_a_filled_in_honeypot_looks_accepted_but_sends_nothing(mailoutbox):
    client = Client()
    response = client.post(REPORT, {**GOOD_REPORT, "website": "https://billiga-klockor.example"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accessibility_report_sent")
    assert "Din rapport är skickad" in _text(client.get(response["Location"]))
    assert mailoutbox == []


def test_the_honeypot_is_out_of_reach_for_people():
    body = Client().get(REPORT).content.decode()
    wrapper = re.search(r'<div class="visually-hidden" aria-hidden="true">(.*?)</div>', body, re.S)
    assert wrapper, "honeypot wrapper missing"
    assert 'name="website"' in wrapper.group(1)
    assert 'tabindex="-1"' in wrapper.group(1)
    assert body.count('name="website"') == 1
