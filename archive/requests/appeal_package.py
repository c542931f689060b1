"""The package to kammarrätten when a decision on a request is appealed (OSL
6 kap. 7–8 §§; förvaltningslagen 46 §: the authority forwards the appeal and
the documents of the case to the court).

One ZIP, prepared once and never changed: a covering letter (följebrev) to the
court, the appeal letter as it came in, the written decision, the request, the
hand-out as the requester got it (masked), and each document refused in whole
or in part as the original, marked on every page as secret and for the court
only. Every generated part is PDF/A, checked before it is stored; a list of the
parts with their SHA-256 is in the package (``innehall.txt``), and the
package's own SHA-256 is recorded on the appeal and in the covering letter's
register entry when the forwarding is recorded."""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from archive.models import Direction, Document
from archive.register import services as register
from archive.requests import masking
from archive.requests.documents import render_pdfa
from archive.requests.models import Appeal, Assessment, Decision, RecordsRequest
from archive.requests.permissions import can_handle
from archive.requests.services import RequestError, _refuse, _save
from nora_social.core.history import set_history_user
from nora_social.core.uploads import check_document_file, upload_sha256

COVERING_LETTER = "01-foljebrev.pdf"


@dataclass
class Part:
    name: str
    description: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def court() -> str:
    return str(getattr(settings, "RECORDS_REQUEST_APPEAL_COURT", "Kammarrätten i Göteborg"))


def appeal_document(appeal: Appeal) -> Document | None:
    """The appeal's entry in the register (registered when it came in)."""
    return Document.objects.filter(
        record_type=ContentType.objects.get_for_model(Appeal), record_id=appeal.pk
    ).first()


@transaction.atomic
def attach_letter(*, actor: User, appeal: Appeal, upload: UploadedFile) -> Document:
    """File the appeal letter (a PDF or a scanned image) with the appeal's
    register entry; once, and checked as every filed document is."""
    if not can_handle(actor):
        raise RequestError(_("Bara registrator kan registrera överklaganden."))
    document = appeal_document(appeal)
    if document is None:
        raise RequestError(_("Överklagandet är inte registrerat i diariet."))
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.file:
        raise _refuse("letter", _("Överklagandeskrivelsen är redan registrerad."))
    try:
        extension = check_document_file(upload).extension
    except ValidationError as error:
        raise _refuse("letter", error.messages[0]) from None
    document.file_sha256 = upload_sha256(upload)
    document.file.save(f"overklagande-{secrets.token_hex(8)}.{extension}", upload, save=False)
    set_history_user(document, actor)
    document.save()
    return document


def _read(stored) -> bytes:
    with stored.open("rb") as handle:
        return handle.read()


def _original_pdf(item) -> bytes:
    """The original of a document refused in whole or in part, unmasked,
    marked as secret for the court only on every page."""
    document = item.document
    stored = masking.pdf_file(document)
    context = {
        "item": item,
        "document": document,
        "court": court(),
        "images": masking.masked_pages(stored, masking.MaskSet()) if stored else None,
        "lines": None if stored else masking.text_lines(document, []),
    }
    return render_pdfa("archive/requests/appeal_original_pdf.html", context)


def _parts(appeal: Appeal, request: RecordsRequest, letter: Document) -> list[Part]:
    decision = Decision.objects.get(request=request)
    extension = letter.file.name.rsplit(".", 1)[-1]
    parts = [
        Part(f"02-overklagande.{extension}", _("Överklagandet"), _read(letter.file)),
        Part("03-beslut.pdf", _("Det överklagade beslutet"), _read(decision.pdf)),
        Part(
            "04-begaran.pdf",
            _("Begäran om att ta del av allmän handling"),
            render_pdfa(
                "archive/requests/appeal_request_pdf.html", {"request": request, "court": court()}
            ),
        ),
    ]
    handout = request.handouts.exclude(pdf="").order_by("-made_at", "-pk").first()
    if handout is not None:
        parts.append(
            Part(
                "05-utlamnad-kopia.pdf",
                _("Den kopia som lämnades ut, med de maskerade uppgifterna borttagna"),
                _read(handout.pdf),
            )
        )
    refused = request.documents.filter(
        assessment__in=(Assessment.PARTLY, Assessment.SECRET), document__isnull=False
    ).select_related("document__case")
    for number, item in enumerate(refused, start=1):
        assert item.document is not None  # filtered above  # nosec B101
        parts.append(
            Part(
                f"06-original-{number}-sekretess.pdf",
                _("%(reference)s i original. Sekretess enligt %(provision)s: endast för domstolen")
                % {"reference": item.document.reference, "provision": item.provision},
                _original_pdf(item),
            )
        )
    return parts


def _zip(parts: list[Part]) -> bytes:
    manifest = "\n".join(f"{p.sha256}  {p.name}  {p.description}" for p in parts) + "\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for part in parts:
            archive.writestr(part.name, part.data)
        archive.writestr("innehall.txt", manifest.encode("utf-8"))
    return buffer.getvalue()


@transaction.atomic
def prepare_package(*, actor: User, appeal: Appeal) -> Appeal:
    """Prepare the package to the court, once, for an appeal that came in in
    time, when its letter is registered."""
    if not can_handle(actor):
        raise RequestError(_("Bara registrator kan förbereda paketet till kammarrätten."))
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.package:
        raise RequestError(_("Paketet till kammarrätten är redan förberett."))
    if not appeal.in_time:
        raise RequestError(
            _("Överklagandet kom in för sent och skickas inte till kammarrätten: det avvisas.")
        )
    letter = appeal_document(appeal)
    if letter is None or not letter.file:
        raise _refuse("letter", _("Registrera överklagandeskrivelsen först."))
    request = RecordsRequest.objects.select_related("case", "administration").get(
        pk=appeal.request_id
    )
    parts = _parts(appeal, request, letter)
    covering = render_pdfa(
        "archive/requests/appeal_letter_pdf.html",
        {
            "appeal": appeal,
            "request": request,
            "court": court(),
            "parts": parts,
            "made_on": timezone.localdate(),
            "actor": actor,
        },
    )
    parts.insert(0, Part(COVERING_LETTER, _("Följebrev till kammarrätten"), covering))
    data = _zip(parts)
    appeal.package.save(f"kammarratten-{secrets.token_hex(8)}.zip", ContentFile(data), save=False)
    appeal.package_sha256 = hashlib.sha256(data).hexdigest()
    appeal.package_made_at = timezone.now()
    _save(appeal, actor)
    return appeal


def covering_letter(appeal: Appeal) -> bytes:
    with appeal.package.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        return archive.read(COVERING_LETTER)


def register_forwarding(*, actor: User, appeal: Appeal) -> Document:
    """The covering letter enters the request's case as a sent document,
    with the package's checksum in its subject line's register entry."""
    request = RecordsRequest.objects.select_related("case").get(pk=appeal.request_id)
    assert request.case is not None  # an appeal is registered in the request's case  # nosec B101
    entry = register.Entry(
        direction=Direction.SENT,
        document_date=timezone.localdate(),
        subject=_("Överlämnande av överklagande till kammarrätten"),
        party=court(),
        handling_officer=actor,
        content_text=_("Paket till domstolen, SHA-256 %(sha)s") % {"sha": appeal.package_sha256},
    )
    letter = ContentFile(covering_letter(appeal), name="foljebrev.pdf")
    return register.create_document(
        case=request.case,
        entry=entry,
        account=None,
        actor=actor,
        record=None,
        upload=(letter, "pdf"),
    )
