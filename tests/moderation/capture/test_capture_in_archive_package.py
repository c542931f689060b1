"""The capture's WARC files go into the archive package (issue 17): listed
with size and SHA-256 in the representation's METS and in PREMIS with their
PRONOM format, they open with warcio and hold the captured exchanges, and the
package still passes the independent E-ARK validator."""

import hashlib
import io
import json
import zipfile

import pytest
from django.utils import timezone
from lxml import etree
from warcio.archiveiterator import ArchiveIterator

from archive.export import layout, validator, writer
from moderation.capture.models import WarcFile
from moderation.capture.services import poll_connection
from tests.archive.eark import eark_errors
from tests.moderation.capture import recorded as r
from tests.moderation.conftest import make_account

pytestmark = pytest.mark.django_db

NS = {"mets": layout.METS_NS, "xlink": layout.XLINK_NS, "premis": layout.PREMIS_NS}
POST = r.fb_post("900", "Välkommen till biblioteket")


@pytest.fixture
def captured(rsps, facebook):
    r.facebook_page(rsps, [POST], {POST["id"]: [r.fb_comment("900_1", "Tack för infon")]}, [])
    poll_connection(connection_id=facebook.pk)
    return WarcFile.objects.get(connection=facebook)


def _package(registrar, account, tmp_path):
    data = writer.build_package(
        scope=writer.Scope(account=account, year=timezone.localdate().year), actor=registrar
    ).read()
    package = zipfile.ZipFile(io.BytesIO(data))
    root = package.namelist()[0].split("/")[0]
    package.extractall(tmp_path)
    return tmp_path / root


def test_the_package_carries_the_warc_file_and_passes_the_eark_validator(
    captured, facebook, registrar, tmp_path
):
    root = _package(registrar, facebook.account, tmp_path)
    inside = f"{layout.REP_DATA}/{captured.path}"
    warc_bytes = (root / inside).read_bytes()

    errors = eark_errors(root)
    assert errors == [], "\n".join(errors)
    assert validator.verify_package(root) == []  # our own check: sizes and hashes too

    with open(root / inside, "rb") as handle:
        records = [(rec.rec_type, rec.content_stream().read()) for rec in ArchiveIterator(handle)]
    assert len(records) == captured.records
    responses_ = [body for kind, body in records if kind == "response"]
    # The platform's answers as it sent them: the captured comment is in one.
    texts = [json.dumps(json.loads(body), ensure_ascii=False) for body in responses_]
    assert any('"900_1"' in text and "Tack för infon" in text for text in texts)

    rep = etree.parse(str(root / layout.REP_METS))
    listed = rep.xpath(
        "//mets:file[mets:FLocat/@xlink:href=$href]", namespaces=NS, href=f"data/{captured.path}"
    )[0]
    assert listed.get("CHECKSUMTYPE") == "SHA-256"
    assert listed.get("CHECKSUM") == hashlib.sha256(warc_bytes).hexdigest()
    assert listed.get("SIZE") == str(len(warc_bytes))
    assert listed.get("MIMETYPE") == "application/warc"

    premis = etree.parse(str(root / layout.PREMIS))
    obj = next(
        o
        for o in premis.iterfind("premis:object", NS)
        if o.findtext("premis:objectIdentifier/premis:objectIdentifierValue", namespaces=NS)
        == inside
    )
    assert obj.findtext(".//premis:messageDigest", namespaces=NS) == listed.get("CHECKSUM")
    assert obj.findtext(".//premis:formatName", namespaces=NS) == "WARC"
    # warcio writes WARC/1.0 records: PRONOM fmt/289 (fmt/1355 is WARC 1.1).
    assert warc_bytes[:2] == b"\x1f\x8b"
    assert obj.findtext(".//premis:formatVersion", namespaces=NS) == "1.0"
    assert obj.findtext(".//premis:formatRegistryKey", namespaces=NS) == "fmt/289"
    assert "WARC-filer" in (root / layout.README).read_text()


def test_another_accounts_package_has_no_warc_file_of_this_one(
    captured, org, platform, outsider, colleague, registrar, tmp_path
):
    other = make_account(
        org["other_unit"], platform, owner=outsider, deputy=colleague, handle="norakommun.skolan"
    )
    root = _package(registrar, other, tmp_path)
    assert not (root / layout.REP_DATA / captured.path).exists()


def test_a_year_without_capture_has_no_warc_file(captured, facebook, registrar, tmp_path):
    data = writer.build_package(
        scope=writer.Scope(account=facebook.account, year=timezone.localdate().year - 1),
        actor=registrar,
    ).read()
    assert not [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if ".warc" in n]
