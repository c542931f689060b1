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

import contextlib
import gc
import io
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pikepdf
from django.conf import settings

from nora_social.core import file_modes

if TYPE_CHECKING:
    # Imported where used: importing pikepdf.pdfa checks its optional dependencies.
    from pikepdf.pdfa import Report

FLAVOUR = "2b"
# Streams uncompressed: ``to_pdfa`` opens the output again, rewrites the page
# contents and saves it, and that save compresses every stream once (qpdf's
# ``compress_streams``); WeasyPrint's own compression would be undone and done
# again.
WEASYPRINT_OPTIONS = {"pdf_variant": "pdf/a-2b", "pdf_tags": True, "uncompressed_pdf": True}

_font_config: Any = None


def _shared_font_config() -> Any:
    """One WeasyPrint font configuration for the process: each new one is a new
    Pango font map whose fonts, metrics and shaping caches start empty. The
    templates declare no ``@font-face``, so nothing accumulates in it."""
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint's tagged PDF/A-2b of a document template, before ``to_pdfa``."""
    from weasyprint import HTML

    # WeasyPrint ships no type information; with no target it returns the bytes.
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        font_config=_shared_font_config(), **WEASYPRINT_OPTIONS
    )
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
                # Stored uncompressed here: the save compresses it (see
                # WEASYPRINT_OPTIONS).
                stream.write(joined)


def _clean(raw: bytes, prepare: Callable[[pikepdf.Pdf], None] | None) -> pikepdf.Pdf:
    document = pikepdf.open(io.BytesIO(raw))
    try:
        if prepare is not None:
            prepare(document)
        _join_unadjusted_glyphs(document)
        _drop_empty_resources(document)
    except BaseException:
        document.close()
        raise
    return document


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """pikepdf's validator records every warning raised while it parses a content
    stream as a violation of the PDF (``pikepdf:content-parse``), warnings the
    garbage collector raises for another object included: a file another part of
    the process left open ("unclosed file …", a ResourceWarning) failed a valid
    PDF. The cyclic collector does not run while a PDF is validated; what it
    would have freed is freed after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def to_pdfa(raw: bytes, *, prepare: Callable[[pikepdf.Pdf], None] | None = None) -> bytes:
    """Clean WeasyPrint's output and write it as validated PDF/A-2b. ``prepare``
    may change the opened document first (the snapshots put their screenshots
    in); the validator then checks the bytes written, changes included."""
    import pikepdf.pdfa

    out = io.BytesIO()
    with _clean(raw, prepare) as document, _no_collection():
        pikepdf.pdfa.save(document, out, FLAVOUR, repair=False)
    return out.getvalue()


def to_pdfa_file(
    raw: bytes, path: str | os.PathLike, *, prepare: Callable[[pikepdf.Pdf], None] | None = None
) -> None:
    """As ``to_pdfa``, written to a new file at ``path`` instead of returned:
    ``pikepdf.pdfa.save`` writes a temporary file beside it, validates that
    file and renames it to ``path``, so no copy of a large PDF is held in
    memory. The file is given the app's mode and flushed to disk; a file that
    fails validation never appears at ``path``."""
    import pikepdf.pdfa

    target = Path(path)
    if target.exists():
        raise FileExistsError(target)
    with _clean(raw, prepare) as document, _no_collection():
        pikepdf.pdfa.save(document, target, FLAVOUR, repair=False)
    file_modes.restrict(target)
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# A small document with what the real ones use (the font in regular and bold,
# a table, an image, a page footer, the tags), for ``warm_up``.
_WARM_UP_HTML = """<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>Nora</title><style>@page { size: A4; @bottom-center { content: counter(page)
" / " counter(pages); font-family: "DejaVu Sans"; } }
body { font-family: "DejaVu Sans"; } table { table-layout: fixed; width: 100%; }
img { image-rendering: crisp-edges; }</style>
</head><body><h1>Ögonblicksbild åäö ÅÄÖ – §10</h1><table><tr><th scope="row">Konto</th>
<td>Nora kommun · 2026-12-07 12:00</td></tr></table><p><strong>Fet</strong> och
<em>kursiv</em> text.</p><figure><img alt="" style="width: 10mm; height: 5mm" src="data:image/png;base64,
iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC">
<figcaption>Bild</figcaption></figure></body></html>"""


def warm_up() -> None:
    """Load what the first PDF of a process would otherwise pay for: WeasyPrint
    and pikepdf's validator imported, fontconfig and Pango's fonts found and
    opened, the glyph subsetter and the validator's tables loaded. A Celery
    worker calls this before it forks its children (``nora_social.celery``)."""
    to_pdfa(html_to_pdf(_WARM_UP_HTML))


def check_pdfa(data: bytes) -> "Report":
    """pikepdf's allowlist validator over the stored bytes (a Report)."""
    import pikepdf.pdfa

    with pikepdf.open(io.BytesIO(data)) as document, _no_collection():
        return pikepdf.pdfa.check(document, FLAVOUR)
