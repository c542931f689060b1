"""Screenshots: images only, judged by their content, never by name or the
browser's content type. SVG is refused (it is a document that can carry script),
as is anything Pillow cannot open and verify as PNG, JPEG or WebP."""

import hashlib
import warnings
from dataclasses import dataclass
from typing import BinaryIO, Protocol, cast

import pikepdf
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
# Far above any real screenshot (a 4K screen is 8.3 Mpx), far below a
# decompression bomb.
MAX_PIXELS = 40_000_000

FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "WEBP": ("webp", "image/webp"),
}


class BinaryReader(Protocol):
    """A binary file open for reading, as ``hashlib.file_digest`` reads it: an
    open ``Path``, a storage's ``File``, a zip member, an upload."""

    def readinto(self, buffer: bytearray, /) -> int: ...

    def readable(self) -> bool: ...


@dataclass(frozen=True)
class CheckedImage:
    extension: str
    content_type: str
    width: int
    height: int


def check_screenshot(upload: UploadedFile) -> CheckedImage:
    """Raise ``ValidationError`` with a Swedish message unless the upload is a
    PNG, JPEG or WebP image of sensible size."""
    size = getattr(upload, "size", None)
    if size is None or size > MAX_BYTES:
        raise ValidationError(
            _("Skärmdumpen är för stor. Den får vara högst %(mb)s MB.")
            % {"mb": MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("Filen är tom."), code="empty")
    refused = ValidationError(
        _(
            "Filen är inte en bild i formatet PNG, JPEG eller WebP. Ladda upp en skärmdump som bild."
        ),
        code="not_image",
    )
    try:
        upload.seek(0)
        # Pillow warns between its two bomb limits; our own, lower pixel limit
        # below refuses such an image with a message, so the warning says nothing new.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(upload)
        with image:
            kind = image.format
            width, height = image.size
            if kind not in FORMATS:
                raise refused
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("Bilden har för många bildpunkter (högst %(mp)s miljoner).")
                    % {"mp": MAX_PIXELS // 1_000_000},
                    code="too_many_pixels",
                )
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise refused from None
    finally:
        upload.seek(0)
    extension, content_type = FORMATS[kind]
    return CheckedImage(extension, content_type, width, height)


def stream_sha256(stream: BinaryReader) -> str:
    """The SHA-256 of a binary stream from its current position, read in chunks
    (every file the system hashes: uploads, stored files, backups, packages)."""
    return hashlib.file_digest(stream, "sha256").hexdigest()


def upload_sha256(upload: File) -> str:
    """The SHA-256 of an uploaded file; the file is left at its start for saving."""
    upload.seek(0)
    digest = stream_sha256(upload)
    upload.seek(0)
    return digest


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    content_type: str


def _is_pdf(upload: UploadedFile) -> bool:
    """A PDF that pikepdf opens, not encrypted (an archive must read it later)."""
    upload.seek(0)
    if upload.read(5) != b"%PDF-":
        return False
    upload.seek(0)
    try:
        with pikepdf.open(cast(BinaryIO, upload)) as pdf:
            return not pdf.is_encrypted and len(pdf.pages) > 0
    except (pikepdf.PdfError, OSError, ValueError):
        return False
    finally:
        upload.seek(0)


def check_document_file(upload: UploadedFile) -> CheckedFile:
    """A document filed in the register from outside (a letter, a scanned
    form): a PDF, or an image as a screenshot is checked. Judged by content,
    never by name; raise ``ValidationError`` with a Swedish message otherwise."""
    size = getattr(upload, "size", None)
    if size is None or size > MAX_BYTES:
        raise ValidationError(
            _("Filen är för stor. Den får vara högst %(mb)s MB.")
            % {"mb": MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("Filen är tom."), code="empty")
    if _is_pdf(upload):
        return CheckedFile("pdf", "application/pdf")
    try:
        image = check_screenshot(upload)
    except ValidationError as error:
        if error.code != "not_image":
            raise
        raise ValidationError(
            _("Filen är varken en PDF eller en bild i formatet PNG, JPEG eller WebP."),
            code="not_document",
        ) from None
    return CheckedFile(image.extension, image.content_type)
