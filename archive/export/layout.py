"""The layout of an archive package: namespaces, the E-ARK profile's fixed
values, the paths inside the package and the columns of its CSV files.
"""

import csv
import datetime
import io
import mimetypes
from pathlib import Path
from urllib.parse import quote

from django.utils import timezone

from accounts.models import User
from nora_social.core.csv_cells import csv_row

CHUNK = 1 << 16
BATCH = 500

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
PREMIS_NS = "http://www.loc.gov/premis/v3"
DIARIUM_NS = "urn:nora-kommun:nora-social:diarium:1"

PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
CONTENT_CATEGORY = "Mixed"
CONTENT_INFORMATION_TYPE = "OTHER"
OTHER_CONTENT_INFORMATION_TYPE = "Nora social diarium 1"
ORGANISATION = "Nora kommun"
SOFTWARE = "Nora social"
SOFTWARE_VERSION = "0.1.0"
REPRESENTATION = "rep1"

METS_SCHEMA_LOCATION = (
    f"{METS_NS} http://www.loc.gov/standards/mets/mets.xsd "
    f"{XLINK_NS} http://www.loc.gov/standards/mets/xlink.xsd "
    f"{CSIP_NS} https://earkcsip.dilcis.eu/schema/DILCISExtensionMETS.xsd"
)
PREMIS_SCHEMA_LOCATION = f"{PREMIS_NS} https://www.loc.gov/standards/premis/premis.xsd"

PACKAGE_METS = "METS.xml"
DIARIUM = "metadata/descriptive/diarium.xml"
DOCUMENTS_CSV = "metadata/descriptive/handlingar.csv"
CASES_CSV = "metadata/descriptive/arenden.csv"
PREMIS = "metadata/preservation/premis.xml"
SCHEMA = "schemas/nora-diarium-1.xsd"
README = "documentation/las-mig.txt"
REP_DIR = f"representations/{REPRESENTATION}"
REP_METS = f"{REP_DIR}/METS.xml"
REP_DATA = f"{REP_DIR}/data"

DOCUMENT_FIELDS = [
    "reference",
    "case",
    "case_title",
    "registered_on",
    "document_date",
    "direction",
    "party",
    "subject",
    "secrecy_provision",
    "account",
    "handling_officer",
    "record_type",
    "record_id",
    "files",
]
CASE_FIELDS = ["reference", "title", "administration", "account", "collective", "opened_on"]


def _href(path: str) -> str:
    return quote(path, safe="/")


SCHEMA_FILE = Path(__file__).with_name("nora-diarium-1.xsd")


def diarium_xsd() -> bytes:
    """The package's own schema of ``diarium.xml``, as it goes in the package."""
    return SCHEMA_FILE.read_bytes()


def _iso(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _mimetype(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _person(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _csv_line(values) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerow(csv_row(values))
    return buffer.getvalue().encode("utf-8")


def _m(tag: str) -> str:
    return f"{{{METS_NS}}}{tag}"


def _xl(tag: str) -> str:
    return f"{{{XLINK_NS}}}{tag}"


def _cs(tag: str) -> str:
    return f"{{{CSIP_NS}}}{tag}"


def _p(tag: str) -> str:
    return f"{{{PREMIS_NS}}}{tag}"


def _d(tag: str) -> str:
    return f"{{{DIARIUM_NS}}}{tag}"
