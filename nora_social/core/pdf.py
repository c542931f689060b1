"""PDF/A-2b rendering (weasyprint) and checking (pikepdf's validator); kernel:
imports no app.

Every PDF the system writes (plans, snapshots) is rendered by ``html_to_pdf``:
PDF/A-2b and tagged (a structure tree in reading order, /MarkInfo, the
document's language from ``<html lang>`` and its title from ``<title>``, shown
as the window title), so a screen reader can read it (DOS-lagen, WCAG 2.1 AA
for documents). The tags are those WeasyPrint writes for its PDF/UA-1 variant,
but the file claims neither PDF/A-2a nor PDF/UA-1: pikepdf's validator checks
level B only and refuses the ``pdfuaid`` XMP property without an extension
schema it does not read, so a tagged PDF/A-2b is what we can write and check.

WeasyPrint writes empty /Pattern and /Shading resource dictionaries, which the
allowlist validator cannot approve ("not supported"); they carry nothing, so
they are dropped and the file is written again through ``pikepdf.pdfa.save``,
which validates the bytes it writes. No CSS gradients in the template: they
become shadings the validator cannot check.
"""

import io
import re
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING

import pikepdf
from django.conf import settings

if TYPE_CHECKING:
    # Imported where used: importing pikepdf.pdfa checks its optional dependencies.
    from pikepdf.pdfa import Report

FLAVOUR = "2b"
WEASYPRINT_OPTIONS = {"pdf_variant": "pdf/a-2b", "pdf_tags": True}


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint's tagged PDF/A-2b of a document template, before ``to_pdfa``."""
    from weasyprint import HTML

    # WeasyPrint ships no type information; with no target it returns the bytes.
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(**WEASYPRINT_OPTIONS)
    return pdf


def _drop_empty_resources(document: pikepdf.Pdf) -> None:
    def clean(resources: pikepdf.Object | None) -> None:
        if not isinstance(resources, pikepdf.Dictionary):
            return
        for key in ("/Pattern", "/Shading"):
            value = resources.get(key)
            if isinstance(value, pikepdf.Dictionary) and len(value.keys()) == 0:
                del resources[key]

    for obj in document.objects:
        if isinstance(obj, pikepdf.Dictionary):
            if "/Resources" in obj:
                clean(obj.get("/Resources"))
            if "/Font" in obj or "/ExtGState" in obj:
                clean(obj)
    for page in document.pages:
        clean(page.obj.get("/Resources"))


# A text-showing array of hex strings and numbers only (no literal strings).
_TJ_ARRAY = re.compile(rb"\[[^\[\]()]*\]\s*TJ")
_ZERO_BETWEEN_GLYPHS = re.compile(rb"(?<=[0-9A-Fa-f])>0<(?=[0-9A-Fa-f])")
_ZERO_AT_END = re.compile(rb"(?<=[0-9A-Fa-f]>)0(?=\])")


def _join_unadjusted_glyphs(document: pikepdf.Pdf) -> None:
    """WeasyPrint (70) follows every glyph with a position adjustment, nearly
    always 0 (``[<002e>0<0055>0<0044>0] TJ``). A 0 moves nothing, so those are
    dropped and the strings either side joined: the same text in the same
    places, smaller page content, and a shorter walk for the validator, which
    decodes every string (figures in docs/performance.md)."""

    def join(match: re.Match[bytes]) -> bytes:
        return _ZERO_AT_END.sub(b"", _ZERO_BETWEEN_GLYPHS.sub(b"", match.group(0)))

    for page in document.pages:
        contents = page.obj.get("/Contents")
        streams = contents if isinstance(contents, pikepdf.Array) else [contents]
        for stream in streams:
            if not isinstance(stream, pikepdf.Stream):
                continue
            data = stream.read_bytes()
            joined = _TJ_ARRAY.sub(join, data)
            if joined != data:
                stream.write(zlib.compress(joined), filter=pikepdf.Name.FlateDecode)


def to_pdfa(raw: bytes, *, prepare: Callable[[pikepdf.Pdf], None] | None = None) -> bytes:
    """Clean WeasyPrint's output and write it as validated PDF/A-2b. ``prepare``
    may change the opened document first (the snapshots put their screenshots
    in); the validator then checks the bytes written, changes included."""
    import pikepdf.pdfa

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(raw)) as document:
        if prepare is not None:
            prepare(document)
        _join_unadjusted_glyphs(document)
        _drop_empty_resources(document)
        pikepdf.pdfa.save(document, out, FLAVOUR, repair=False)
    return out.getvalue()


def check_pdfa(data: bytes) -> "Report":
    """pikepdf's allowlist validator over the stored bytes (a Report)."""
    import pikepdf.pdfa

    with pikepdf.open(io.BytesIO(data)) as document:
        return pikepdf.pdfa.check(document, FLAVOUR)
