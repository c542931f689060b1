"""Issue 18 in the browser: the registrar writes an archive package from the
page Arkivexport, downloads it, and finds it in the log of packages below the
form, with its SHA-256 and its check; the page passes axe and reflows at 320 px
with a long selection and a failed later check on it."""

import hashlib
from pathlib import Path

import pytest

from archive.export import services, writer
from archive.export.models import ArchiveExport
from tests.e2e.test_reflow import LONG_NAME

pytestmark = pytest.mark.django_db(transaction=True)


def test_registrar_exports_and_sees_the_log(
    page, live_server, login, axe_check, registrar, org, tmp_path
):
    org["administration"].name = LONG_NAME
    org["administration"].save()
    earlier = tmp_path / "tidigare.zip"
    with open(earlier, "w+b") as out:
        services.export_package(
            scope=writer.Scope(administration=org["administration"], year=2025),
            actor=registrar,
            out=out,
            channel=ArchiveExport.Channel.COMMAND,
        )
    changed = tmp_path / "andrad.zip"
    changed.write_bytes(earlier.read_bytes() + b"\0")
    services.verify_recorded_package(path=changed, actor=registrar)

    login(page, "registrator")
    page.goto(f"{live_server.url}/diariet/arkivexport/")
    axe_check(page)
    log = page.get_by_role("region", name="De senaste paketen, nyast först")
    assert "inte samma fil som exporterades" in log.inner_text()

    page.get_by_label("Förvaltning").select_option(label=LONG_NAME)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Skapa och ladda ner paketet").click()
    data = Path(download_info.value.path()).read_bytes()

    newest = ArchiveExport.objects.order_by("-exported_at").first()
    assert newest is not None and newest.channel == ArchiveExport.Channel.WEB
    assert newest.sha256 == hashlib.sha256(data).hexdigest()
    page.goto(f"{live_server.url}/diariet/arkivexport/")
    assert newest.sha256 in log.inner_text()
    assert ArchiveExport.objects.count() == 2
