"""`make run` (DEBUG with NORA_DEMO): the app's own 404 and 500 pages, not Django's
debug pages with the URL list or a traceback; mail goes to files under var/mail/,
said once; seeding prints no e-mail and no line that reads like a failure."""

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    settings.NORA_DEMO = True
    return settings


@pytest.mark.django_db
def test_demo_shows_its_own_404_for_unknown_urls_and_missing_objects(demo, client_for, staff):
    for client, url in (
        (Client(), "/finns-inte/"),
        (client_for(staff), "/register/konton/999999/"),
    ):
        response = client.get(url)
        assert response.status_code == 404
        html = response.content.decode()
        assert "<h1>Sidan finns inte</h1>" in html, url
        assert "URLconf" not in html and "Django tried these URL patterns" not in html


@pytest.mark.django_db
@pytest.mark.urls("tests.demo_urls")
def test_demo_shows_its_own_500_page_and_logs_the_traceback(demo, caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="nora_social.middleware"):
        response = client.get("/test-fel/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Ett fel uppstod" in html
    assert "Traceback" not in html and "deliberate failure" not in html
    assert "deliberate failure" in caplog.text


@pytest.mark.django_db
def test_without_the_demo_flag_debug_keeps_djangos_debug_404(settings):
    settings.DEBUG = True
    settings.NORA_DEMO = False
    html = Client().get("/finns-inte/").content.decode()
    assert "Django tried these URL patterns" in html


def test_development_writes_mail_to_var_mail(tmp_path):
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="nora_social.settings",
        DEBUG="true",
        VAR_DIR=str(tmp_path),
        PYTHONDONTWRITEBYTECODE="1",
    )
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.EMAIL_BACKEND); print(s.EMAIL_FILE_PATH)"
    out = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    backend, path = out.stdout.split()[-2:]
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert path == str(tmp_path / "mail")


@pytest.mark.django_db
def test_seeding_prints_no_mail_and_nothing_that_reads_like_a_failure(
    demo, tmp_path, caplog, django_capture_on_commit_callbacks
):
    demo.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    demo.EMAIL_FILE_PATH = str(tmp_path / "mail")
    out = io.StringIO()
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    assert any((tmp_path / "mail").iterdir())  # the mail went to files
    assert printed.count(str(tmp_path / "mail")) == 1  # and that is said once
    assert "Content-Type" not in printed and "Subject:" not in printed
    shown = [f"{r.levelname} {r.getMessage()}" for r in caplog.records if r.levelno >= logging.INFO]
    for line in shown + printed.splitlines():
        lowered = line.lower()
        assert not any(
            w in lowered
            for w in ("no plan", "no final", "not registered", "error", "failed", "warning")
        ), line
    assert not any(r.name.startswith("weasyprint") for r in caplog.records)
