"""The register as it goes in the package: ``diarium.xml`` (valid against the
package's own schema, ``nora-diarium-1.xsd``) and the two CSV copies.
"""

from lxml import etree

from archive.export.layout import BATCH, CHUNK, DIARIUM_NS, _csv_line, _d, _href, _iso, _person
from archive.export.package import PackedFile, _PackageWriter
from archive.export.selection import _cases, _documents
from archive.models import Case, Document

# --- Descriptive metadata --------------------------------------------------------------


def _element(tag: str, text=None, **attrs) -> etree._Element:
    element = etree.Element(
        _d(tag),
        {k: v for k, v in attrs.items() if v not in (None, "")},
        nsmap={None: DIARIUM_NS},
    )
    if text not in (None, ""):
        element.text = str(text)
    return element


def _child(parent, tag: str, text=None, **attrs) -> None:
    if text in (None, "") and not attrs:
        return
    parent.append(_element(tag, text, **attrs))


def _file_ref(parent, path: str, data_files: dict[str, PackedFile]) -> None:
    packed = data_files[path]
    _child(parent, "file", href=_href(path), size=str(packed.size), sha256=packed.sha256)


def _write_diarium(
    target, scope, objid, created, document_files, snapshots, snapshot_files, data_files, csv_out
) -> tuple[int, int]:
    """Stream the register (cases, documents, snapshots) as XML (schema
    ``schemas/nora-diarium-1.xsd``), and the CSV rows of the cases and documents
    to ``csv_out``. Returns the number of cases and documents."""
    cases_rows, document_rows = csv_out
    cases = documents = 0
    with etree.xmlfile(target, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(
            _d("register"), _register_attrs(scope, objid, created), nsmap={None: DIARIUM_NS}
        ):
            with xf.element(_d("cases")):
                for case in _cases(scope).iterator(chunk_size=BATCH):
                    xf.write("\n", _case_element(case), pretty_print=True)
                    cases_rows.write(_case_row(case))
                    cases += 1
            with xf.element(_d("documents")):
                for document in _documents(scope).iterator(chunk_size=BATCH):
                    element = _document_element(document, document_files, data_files)
                    xf.write("\n", element, pretty_print=True)
                    document_rows.write(_document_row(document, document_files))
                    documents += 1
            with xf.element(_d("snapshots")):
                for snapshot in snapshots:
                    element = _snapshot_element(snapshot, snapshot_files, data_files)
                    xf.write("\n", element, pretty_print=True)
    return cases, documents


def _register_attrs(scope, objid: str, created: str) -> dict[str, str]:
    attrs = {"objid": objid, "created": created}
    if scope.administration is not None:
        attrs["administration"] = scope.administration.name
        attrs["series"] = scope.administration.register_series
    if scope.account is not None:
        attrs["account"] = scope.account.display_name
    if scope.year:
        attrs["year"] = str(scope.year)
    return attrs


def _case_element(case: Case) -> etree._Element:
    element = _element(
        "case",
        reference=case.reference,
        series=case.series,
        year=str(case.year),
        number=str(case.number),
        opened=_iso(case.opened_on),
        collective="true" if case.is_collective else "false",
    )
    _child(element, "title", case.title)
    _child(element, "administration", case.administration.name)
    _child(element, "account", case.account.display_name if case.account else "")
    return element


def _document_element(document, document_files, data_files) -> etree._Element:
    """A document with its secrecy (provision and whether the subject is
    masked), the record it registers and its files in the package."""
    element = _element(
        "document",
        reference=document.reference,
        case=document.case.reference,
        number=str(document.number),
        direction=document.direction,
    )
    _child(element, "registered", _iso(document.registered_on))
    _child(element, "date", _iso(document.document_date))
    _child(element, "subject", document.subject)
    _child(element, "party", document.party)
    if document.secrecy_provision:
        _child(
            element,
            "secrecy",
            provision=document.secrecy_provision,
            masked="true" if document.subject_masked else "false",
        )
    _child(element, "account", document.account.display_name if document.account else "")
    _child(element, "handlingOfficer", _person(document.handling_officer))
    if document.record_type_id and document.record_id:
        _child(
            element,
            "record",
            type=f"{document.record_type.app_label}.{document.record_type.model}",
            id=str(document.record_id),
        )
    for path in document_files.get(document.pk, []):
        _file_ref(element, path, data_files)
    return element


def _snapshot_element(snapshot, snapshot_files, data_files) -> etree._Element:
    element = _element(
        "snapshot",
        id=str(snapshot.pk),
        account=snapshot.account.display_name,
        reason=snapshot.reason,
        final="true" if snapshot.final else "false",
        made=_iso(snapshot.made_at),
        periodStart=_iso(snapshot.period_start),
        periodEnd=_iso(snapshot.period_end),
        screenshotsTakenOn=_iso(snapshot.screenshots_taken_on),
        sha256=snapshot.sha256,
    )
    _child(element, "madeBy", _person(snapshot.made_by))
    if snapshot.pk in snapshot_files:
        _file_ref(element, snapshot_files[snapshot.pk], data_files)
    return element


def _case_row(case: Case) -> bytes:
    return _csv_line(
        [
            case.reference,
            case.title,
            case.administration.name,
            case.account.display_name if case.account else "",
            case.is_collective,
            _iso(case.opened_on),
        ]
    )


def _document_row(d: Document, document_files: dict[int, list[str]]) -> bytes:
    return _csv_line(
        [
            d.reference,
            d.case.reference,
            d.case.title,
            _iso(d.registered_on),
            _iso(d.document_date),
            d.direction,
            d.party,
            d.subject,
            d.secrecy_provision,
            d.account.display_name if d.account else "",
            _person(d.handling_officer),
            d.record_type.model if d.record_type else "",
            d.record_id or "",
            " ".join(document_files.get(d.pk, [])),
        ]
    )


def _copy_csv(writer: _PackageWriter, path: str, header: list[str], rows) -> PackedFile:
    """A CSV (semicolon, UTF-8 with BOM for spreadsheets) from the spooled rows."""
    rows.seek(0)
    entry = writer.open(path, "text/csv")
    with entry as target:
        target.write("\ufeff".encode())
        target.write(_csv_line(header))
        while chunk := rows.read(CHUNK):
            target.write(chunk)
    return entry.packed
