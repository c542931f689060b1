"""Security headers: a strict CSP without inline script, frame protection (the
embed widget is framable only by the nora.se origins), nosniff, Referrer-Policy,
and HSTS in production. Templates and static files never gain inline script."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

BASE_DIR = Path(settings.BASE_DIR)

pytestmark = pytest.mark.django_db


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.fixture
def pages(staff, client_for):
    """A public page, the login page and a page of a logged-in person."""
    return [
        (Client(), reverse("index")),
        (Client(), reverse("accounts:login")),
        (Client(), reverse("channels_registry:public_list")),
        (client_for(staff), reverse("accounts:home")),
    ]


def test_csp_allows_no_inline_script_or_framing(pages):
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        csp = _csp(response)
        assert csp["script-src"] == ["'self'"], url
        assert "'unsafe-inline'" not in " ".join(csp.get("script-src", []))
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]
        assert csp["default-src"] == ["'self'"]
        assert csp["object-src"] == ["'none'"]
        assert csp["base-uri"] == ["'self'"]
        assert csp["form-action"] == ["'self'"]
        assert csp["frame-ancestors"] == ["'none'"], url


def test_pages_refuse_framing_and_sniffing(pages):
    for client, url in pages:
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url


def test_the_embed_widget_is_framable_only_by_nora_se(db):
    response = Client().get(reverse("channels_registry:public_embed"))

    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    ancestors = _csp(response)["frame-ancestors"]
    assert sorted(ancestors) == sorted(settings.NORA_EMBED_ORIGINS)
    assert all(origin.startswith("https://") for origin in ancestors)
    assert all(re.fullmatch(r"https://([a-z0-9-]+\.)*nora\.se", origin) for origin in ancestors)
    # Everything else in the policy stays as strict as on other pages.
    assert _csp(response)["script-src"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_embed_widget_keeps_its_framing_headers_on_a_304(db):
    client = Client()
    url = reverse("channels_registry:public_embed")
    etag = client.get(url)["ETag"]

    response = client.get(url, headers={"if-none-match": etag})

    assert response.status_code == 304
    assert "X-Frame-Options" not in response
    assert "'none'" not in _csp(response)["frame-ancestors"]


def test_the_json_list_cannot_be_framed_either(db):
    response = Client().get(reverse("channels_registry:public_list_json"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_production_turns_on_hsts_for_a_year_with_subdomains(production_settings):
    assert production_settings["SECURE_HSTS_SECONDS"] >= 31536000
    assert production_settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production_settings["SECURE_HSTS_PRELOAD"] is True
    assert production_settings["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_hsts_header_is_sent_over_https_with_the_production_settings(production_settings):
    names = ("SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD")
    with override_settings(**{name: production_settings[name] for name in names}):
        secure = Client().get(reverse("accounts:login"), secure=True)
        plain = Client().get(reverse("accounts:login"))

    assert secure["Strict-Transport-Security"] == (
        f"max-age={production_settings['SECURE_HSTS_SECONDS']}; includeSubDomains; preload"
    )
    # Browsers ignore HSTS over plain HTTP; Django sends it only over HTTPS.
    assert "Strict-Transport-Security" not in plain


def test_production_redirects_plain_http_to_https(production_settings):
    with override_settings(SECURE_SSL_REDIRECT=production_settings["SECURE_SSL_REDIRECT"]):
        response = Client().get(reverse("accounts:login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


# --- No inline script anywhere in the markup we ship -------------------------

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\b)[^>]*>", re.IGNORECASE)
HANDLER_ATTRIBUTE = re.compile(r"<[a-zA-Z][^<>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def _shipped_markup() -> list[Path]:
    roots = [BASE_DIR / "templates", BASE_DIR / "static"]
    roots += [p for p in BASE_DIR.glob("*/templates") if ".venv" not in p.parts]
    files = []
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and path.suffix in {".html", ".txt", ".svg", ".js", ".xml"}:
                files.append(path)
    return sorted(files)


def test_there_is_markup_to_scan():
    files = _shipped_markup()
    assert any(p.name == "base.html" for p in files)
    assert any(p.suffix == ".js" for p in files)


@pytest.mark.parametrize(
    ("snippet", "pattern"),
    [
        ("<script>alert(1)</script>", INLINE_SCRIPT),
        ('<script type="module">x()</script>', INLINE_SCRIPT),
        ('<button type="button" onclick="go()">', HANDLER_ATTRIBUTE),
        ("<img src=x onerror=alert(1)>", HANDLER_ATTRIBUTE),
        ("el.innerHTML = \"<a onmouseover='x'>\";", HANDLER_ATTRIBUTE),
        ('<a href="javascript:void(0)">', JAVASCRIPT_URL),
    ],
)
def test_the_scanner_finds_inline_script(snippet, pattern):
    assert pattern.search(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "<script src=\"{% static 'js/name_check.js' %}\" defer></script>",
        "<p>Vi är online</p>",
        '<input name="onboarding">',
        "button.onclick = handler;",
    ],
)
def test_the_scanner_lets_external_script_and_ordinary_words_pass(snippet):
    assert not INLINE_SCRIPT.search(snippet)
    assert not HANDLER_ATTRIBUTE.search(snippet)
    assert not JAVASCRIPT_URL.search(snippet)


def test_no_template_or_static_file_has_inline_script():
    problems = []
    for path in _shipped_markup():
        text = path.read_text(encoding="utf-8", errors="replace")
        for name, pattern in (
            ("inline <script>", INLINE_SCRIPT),
            ("on*= handler attribute", HANDLER_ATTRIBUTE),
            ("javascript: URL", JAVASCRIPT_URL),
        ):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(BASE_DIR)}:{line}: {name}")
    assert not problems, "CSP forbids inline script:\n" + "\n".join(problems)
