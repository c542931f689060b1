"""The archive export: register entries as CSV and JSON, the stored files that
exist, a manifest whose SHA-256 values match; a tampered package is caught."""

import csv
import hashlib
import io
import json
import zipfile

import pytest
from django.urls import reverse

from archive import export, services
from tests.archive.conftest import register
from tests.archive.test_purge import uploaded_by_mistake

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(account, other_account, staff, registrar):
    record = uploaded_by_mistake(account, staff)
    services.register_record(record=record, actor=registrar)
    register(registrar, account, subject="Synpunkt på snöröjning")
    register(registrar, other_account, subject="Fråga om skolskjuts")
    return record


def build(registrar, **scope):
    return zipfile.ZipFile(export.build_package(scope=export.Scope(**scope), actor=registrar))


def test_manifest_hashes_match_every_file(registrar, account, registered):
    package = build(registrar, account=account)
    manifest = json.loads(package.read(export.MANIFEST))
    paths = {m["path"] for m in manifest["files"]}
    screenshot = f"filer/{registered.screenshot.name}"
    assert {"diarium/handlingar.csv", "diarium/handlingar.json", screenshot} <= paths
    for item in manifest["files"]:
        data = package.read(item["path"])
        assert hashlib.sha256(data).hexdigest() == item["sha256"]
        assert len(data) == item["size"]
    with registered.screenshot.open("rb") as stored:
        assert package.read(screenshot) == stored.read()
    lines = package.read(export.MANIFEST_TXT).decode().splitlines()
    assert len(lines) == len(manifest["files"])
    assert export.verify_package(io.BytesIO(_bytes(package))) == []


def _bytes(package: zipfile.ZipFile) -> bytes:
    package.fp.seek(0)
    return package.fp.read()


def test_account_scope_has_only_its_entries(registrar, account, registered):
    package = build(registrar, account=account)
    rows = list(
        csv.DictReader(
            io.StringIO(package.read("diarium/handlingar.csv").decode("utf-8-sig")), delimiter=";"
        )
    )
    subjects = {r["subject"] for r in rows}
    assert "Synpunkt på snöröjning" in subjects
    assert "Fråga om skolskjuts" not in subjects
    entries = json.loads(package.read("diarium/handlingar.json"))
    assert len(entries) == len(rows) == 2


def test_administration_scope(registrar, org, registered):
    package = build(registrar, administration=org["administration"])
    entries = json.loads(package.read("diarium/handlingar.json"))
    assert {e["reference"].split()[0] for e in entries} == {"KS"}


def test_tampered_package_is_caught(registrar, account, registered):
    original = zipfile.ZipFile(io.BytesIO(_bytes(build(registrar, account=account))))
    changed = io.BytesIO()
    with zipfile.ZipFile(changed, "w") as out:
        for name in original.namelist():
            data = original.read(name)
            if name == "diarium/handlingar.csv":
                data = data.replace("snöröjning".encode(), b"sandning")
            out.writestr(name, data)
        out.writestr("extra.txt", b"x")
    changed.seek(0)
    problems = export.verify_package(changed)
    assert any("handlingar.csv" in p for p in problems)
    assert any("extra.txt" in p for p in problems)


def test_registrar_downloads_the_zip(client_for, registrar, account, registered):
    response = client_for(registrar).get(reverse("archive:export_package"), {"account": account.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert export.verify_package(io.BytesIO(data)) == []


def test_export_form_needs_one_scope(client_for, registrar, account, org):
    client = client_for(registrar)
    assert client.get(reverse("archive:export_package")).status_code == 200
    response = client.get(
        reverse("archive:export_package"),
        {"account": account.pk, "administration": org["administration"].pk},
    )
    assert response.status_code == 400
    assert "antingen en förvaltning eller ett konto" in response.content.decode()
    response = client.get(reverse("archive:export_package"), {"year": "abc"})
    assert response.status_code == 400
