"""Library decision (issue 14): pikepdf's content-stream parser or the kernel's
regular expressions for joining WeasyPrint's glyph strings.

WeasyPrint follows every glyph with a 0 position adjustment
(``[<002e>0<0055>0] TJ``); ``nora_social.core.pdf._join_unadjusted_glyphs`` drops
them before the PDF/A save, so the validator decodes fewer strings. This prints the
time of that step per document for both ways on the same WeasyPrint output (the
period listing of a snapshot, many pages), and the size each way writes.

Run: python bench/pdf_text_arrays.py [--sections 400]"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nora_social.settings")
os.environ.setdefault("NORA_TESTING", "true")

import django  # noqa: E402

django.setup()

import pikepdf  # noqa: E402

from nora_social.core import pdf  # noqa: E402

ZERO = 0


def _parser_join(document: pikepdf.Pdf) -> None:
    """The same join with pikepdf's parser: drop 0 adjustments inside TJ arrays
    and join the strings either side."""
    tj = pikepdf.Operator("TJ")
    for page in document.pages:
        instructions = pikepdf.parse_content_stream(page)
        out, changed = [], False
        for operands, operator in instructions:
            if operator == tj and len(operands) == 1 and isinstance(operands[0], pikepdf.Array):
                joined: list = []
                for item in operands[0]:
                    if not isinstance(item, pikepdf.String) and float(item) == ZERO:
                        changed = True
                        continue
                    if isinstance(item, pikepdf.String) and joined:
                        last = joined[-1]
                        if isinstance(last, pikepdf.String):
                            joined[-1] = pikepdf.String(bytes(last) + bytes(item))
                            continue
                    joined.append(item)
                out.append(([pikepdf.Array(joined)], operator))
            else:
                out.append((operands, operator))
        if changed:
            page.obj.Contents = document.make_stream(pikepdf.unparse_content_stream(out))


def _measure(raw: bytes, join, runs: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        with pikepdf.open(io.BytesIO(raw)) as document:
            start = time.perf_counter()
            join(document)
            times.append(time.perf_counter() - start)
            out = io.BytesIO()
            document.save(out)
            size = len(out.getvalue())
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sections", type=int, default=400, help="about 6 per page")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sentence = (
        "Åtgärd loggad: dold kommentar, kategori hets mot folkgrupp, skäl: brott mot "
        "kommentarsreglerna. "
    )
    rows = "".join(f"<h2>Post {i}</h2><p>{sentence * 3}</p>" for i in range(args.sections))
    raw = pdf.html_to_pdf(f"<html lang='sv'><body>{rows}</body></html>")
    with pikepdf.open(io.BytesIO(raw)) as document:
        pages = len(document.pages)
    regex_time, regex_size = _measure(raw, pdf._join_unadjusted_glyphs, args.runs)
    parser_time, parser_size = _measure(raw, _parser_join, args.runs)
    print(f"WeasyPrint output: {pages} pages, {len(raw):,} bytes")
    print(f"regular expressions (kept): median {regex_time:.3f} s, writes {regex_size:,} bytes")
    print(f"pikepdf parse/unparse:       median {parser_time:.3f} s, writes {parser_size:,} bytes")
    print(f"ratio: the parser takes {parser_time / regex_time:.1f}× the time")


if __name__ == "__main__":
    main()
