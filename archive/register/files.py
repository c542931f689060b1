"""Files of a registered document (a drawn-up report's PDF/A and spreadsheet):
stored once with their size and SHA-256, so the archive package carries them
with checksums in METS and PREMIS, and ``verify_archive`` re-hashes them."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from archive.errors import ArchiveError
from archive.models import Document, DocumentFile
from archive.register.permissions import can_register

MAX_NAME = 200


@transaction.atomic
def attach_file(
    *, actor: User, document_id: int, name: str, data: bytes, mimetype: str
) -> DocumentFile:
    """Keep ``data`` as the file ``name`` of the document. A document's file is
    never replaced: the same name again with the same bytes returns the file
    kept (a retried task), with other bytes it is refused."""
    if not can_register(actor):
        raise ArchiveError(_("Du får inte registrera handlingar i diariet."))
    document = Document.objects.select_for_update().filter(pk=document_id).first()
    if document is None:
        raise ArchiveError(_("Handlingen finns inte."))
    name = name.strip()[:MAX_NAME]
    if not name or not data:
        raise ArchiveError(_("Filen är tom eller saknar namn."))
    sha256 = hashlib.sha256(data).hexdigest()
    kept = DocumentFile.objects.filter(document=document, name=name).first()
    if kept is not None:
        if kept.sha256 != sha256:
            raise ArchiveError(
                _(
                    "Handlingen har redan en fil med namnet %(name)s; en registrerad fil ersätts aldrig."
                )
                % {"name": name}
            )
        return kept
    stored = DocumentFile(
        document=document,
        name=name,
        mimetype=mimetype,
        size=len(data),
        sha256=sha256,
        added_by=actor,
        added_at=timezone.now(),
    )
    stored.file.save(name, ContentFile(data), save=False)
    storage, stored_name = stored.file.storage, stored.file.name
    try:
        stored.save()
    except Exception:
        storage.delete(stored_name)  # no file on disk without its row
        raise
    return stored
