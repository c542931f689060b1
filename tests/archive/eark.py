"""The E-ARK reference validator (``eark-validator``, E-ARK/OPF) run on a
package, offline.

On import the validator builds its vocabulary checks from four CSIP vocabulary
files it downloads from the DILCIS site, which CI cannot reach. The copies in
``eark_vocabularies/`` (the DILCIS Board's ``E-ARK-CSIP`` repository, folder
``schema/``) are served instead by replacing ``urllib.request.urlopen`` while
the validator is imported; any other address is refused, so nothing reaches
the network.
"""

import io
import urllib.request
from pathlib import Path

VOCABULARIES = Path(__file__).with_name("eark_vocabularies")
VOCABULARY_SITE = "https://earkcsip.dilcis.eu/schema/"


def _local_urlopen(url, *args, **kwargs):
    address = getattr(url, "full_url", url)
    name = address.removeprefix(VOCABULARY_SITE)
    path = VOCABULARIES / name
    if not address.startswith(VOCABULARY_SITE) or "/" in name or not path.is_file():
        raise OSError(f"eark-validator asked for {address!r}, which is not a stored vocabulary")
    return io.BytesIO(path.read_bytes())


def _packages_module():
    original = urllib.request.urlopen
    urllib.request.urlopen = _local_urlopen
    try:
        from eark_validator import packages  # noqa: PLC0415 - must follow the patch
    finally:
        urllib.request.urlopen = original
    return packages


# eark-validator 1.1.3's SIP14 rule tests an unqualified ``@NOTETYPE`` on the
# note of every CREATOR agent. CSIP10-16 (the same validator) require the one
# CREATOR to be the software with exactly one note, ``csip:NOTETYPE="SOFTWARE
# VERSION"``, and the METS schema (the same validator again) refuses an
# unqualified NOTETYPE: no schema-valid package satisfies all three. SIP 2.1
# itself asks for ``csip:NOTETYPE="IDENTIFICATIONCODE"`` on the submitting
# organisation, which the package has (tests assert it). This one error, on
# the software agent's note and nothing else, is the validator's.
SIP14_ON_SOFTWARE_NOTE = "SIP14"


def _is_sip14_on_software_note(result, mets) -> bool:
    if result.rule_id != SIP14_ON_SOFTWARE_NOTE:
        return False
    namespaces = {"mets": "http://www.loc.gov/METS/"}
    creators = mets.findall("mets:metsHdr/mets:agent[@ROLE='CREATOR']", namespaces)
    return len(creators) == 1 and creators[0].get("OTHERTYPE") == "SOFTWARE"


def eark_errors(package: Path) -> list[str]:
    """Every error the reference validator reports for the unpacked package
    folder against CSIP 2.1 and, for a SIP, SIP 2.1: structure, METS schema
    and schematron, except the self-contradicting SIP14 above. Empty when the
    package is valid."""
    from lxml import etree  # noqa: PLC0415

    packages = _packages_module()
    from eark_validator.model.validation_report import Severity  # noqa: PLC0415
    from eark_validator.specifications.specification import (  # noqa: PLC0415
        SpecificationVersion,
    )

    report = packages.PackageValidator(Path(package), SpecificationVersion.V2_1_0).validation_report
    messages = list(report.structure.messages)
    if report.metadata is not None:
        messages += report.metadata.schema_results.messages
        messages += report.metadata.schematron_results.messages
    mets = etree.parse(str(Path(package) / "METS.xml")).getroot()
    return [
        f"{m.rule_id}: {m.message} ({m.location})"
        for m in messages
        if m.severity == Severity.ERROR and not _is_sip14_on_software_note(m, mets)
    ]
