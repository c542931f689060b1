"""What makes a PDF readable by a screen reader, checked on the stored bytes:
a tagged structure (/StructTreeRoot, /MarkInfo Marked), the document language,
a title shown as the window title, and a structure tree whose every marked
content reference on the pages resolves (the PDF/A step rewrites the page
content, so the tree must still fit it)."""

import io
import re

import pikepdf
from weasyprint import HTML
from weasyprint.formatting_structure import boxes


def _structure_types(element, found: list[str]) -> None:
    if isinstance(element, pikepdf.Dictionary):
        if "/S" in element:
            found.append(str(element.S))
        kids = element.get("/K")
        if kids is not None:
            _structure_types(kids, found)
    elif isinstance(element, pikepdf.Array):
        for kid in element:
            _structure_types(kid, found)


def _parent_tree(root) -> dict[int, pikepdf.Object]:
    numbers: dict[int, pikepdf.Object] = {}

    def walk(node) -> None:
        if "/Nums" in node:
            pairs = list(node.Nums)
            for key, value in zip(pairs[::2], pairs[1::2], strict=True):
                numbers[int(key)] = value
        for kid in node.get("/Kids", []):
            walk(kid)

    walk(root.StructTreeRoot.ParentTree)
    return numbers


def tagged_pdf_facts(data: bytes) -> dict:
    """The accessibility facts of a PDF, for asserting on."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        facts = {
            "tagged": "/StructTreeRoot" in root,
            "marked": bool(root.get("/MarkInfo", {}).get("/Marked", False)),
            "lang": str(root.get("/Lang", "")),
            "title": str(pdf.docinfo.get("/Title", "")),
            "display_title": bool(
                root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)
            ),
            "types": [],
            "unresolved_mcids": [],
            "alt_texts": [],
        }
        if not facts["tagged"]:
            return facts
        _structure_types(root.StructTreeRoot, facts["types"])
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure":
                facts["alt_texts"].append(str(obj.get("/Alt", "")))
        parents = _parent_tree(root)
        for number, page in enumerate(pdf.pages, start=1):
            mcids = [
                int(operands[1].MCID)
                for operands, operator in pikepdf.parse_content_stream(page)
                if str(operator) == "BDC"
                and isinstance(operands[1], pikepdf.Dictionary)
                and "/MCID" in operands[1]
            ]
            if not mcids:
                continue
            owners = parents.get(int(page.obj.get("/StructParents", -1)))
            for mcid in mcids:
                if (
                    owners is None
                    or mcid >= len(owners)
                    or not isinstance(owners[mcid], pikepdf.Dictionary)
                ):
                    facts["unresolved_mcids"].append((number, mcid))
        return facts


def assert_accessible(data: bytes, *, title: str) -> dict:
    facts = tagged_pdf_facts(data)
    assert facts["tagged"] and facts["marked"], "the PDF is not tagged"
    assert facts["lang"] == "sv"
    assert title in facts["title"]
    assert facts["display_title"]
    # Reading order: the document's heading comes first, tables keep their headers.
    assert facts["types"].index("/H1") < facts["types"].index("/Table")
    assert "/TH" in facts["types"] and "/TD" in facts["types"]
    assert facts["unresolved_mcids"] == []
    return facts


def rows_split_across_pages(html: str) -> list[str]:
    """The table rows of a document that WeasyPrint lays out on more than one page."""
    pages_of: dict[int, set[int]] = {}
    text_of: dict[int, str] = {}
    for number, page in enumerate(HTML(string=html).render().pages):
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TableRowBox) and box.element is not None:
                pages_of.setdefault(id(box.element), set()).add(number)
                text_of[id(box.element)] = re.sub(r"\s+", " ", "".join(box.element.itertext()))
    return [text_of[key] for key, pages in pages_of.items() if len(pages) > 1]
