"""The PREMIS preservation metadata of an archive package: the objects, the
events that made them and the agents.
"""

import logging

from lxml import etree

from accounts.models import User
from archive.export.layout import (
    ORGANISATION,
    PREMIS_NS,
    PREMIS_SCHEMA_LOCATION,
    SOFTWARE,
    SOFTWARE_VERSION,
    XSI_NS,
    _iso,
    _p,
    _person,
)

logger = logging.getLogger(__name__)

# --- Preservation metadata (PREMIS 3) --------------------------------------------------


def _identifier(parent, kind: str, value: str, id_type: str = "local") -> None:
    element = etree.SubElement(parent, _p(kind))
    etree.SubElement(element, _p(f"{kind}Type")).text = id_type
    etree.SubElement(element, _p(f"{kind}Value")).text = value


def _event(root, *, event_id, event_type, when, detail, outcome, agents, objects) -> None:
    event = etree.SubElement(root, _p("event"))
    _identifier(event, "eventIdentifier", event_id)
    etree.SubElement(event, _p("eventType")).text = event_type
    etree.SubElement(event, _p("eventDateTime")).text = when
    info = etree.SubElement(event, _p("eventDetailInformation"))
    etree.SubElement(info, _p("eventDetail")).text = detail
    result = etree.SubElement(event, _p("eventOutcomeInformation"))
    etree.SubElement(result, _p("eventOutcome")).text = outcome
    for agent_id, role in agents:
        link = etree.SubElement(event, _p("linkingAgentIdentifier"))
        etree.SubElement(link, _p("linkingAgentIdentifierType")).text = "local"
        etree.SubElement(link, _p("linkingAgentIdentifierValue")).text = agent_id
        etree.SubElement(link, _p("linkingAgentRole")).text = role
    for value in objects:
        link = etree.SubElement(event, _p("linkingObjectIdentifier"))
        etree.SubElement(link, _p("linkingObjectIdentifierType")).text = "local"
        etree.SubElement(link, _p("linkingObjectIdentifierValue")).text = value


def _agent(root, agent_id: str, name: str, agent_type: str, note: str = "") -> None:
    agent = etree.SubElement(root, _p("agent"))
    _identifier(agent, "agentIdentifier", agent_id)
    etree.SubElement(agent, _p("agentName")).text = name
    etree.SubElement(agent, _p("agentType")).text = agent_type
    if agent_type == "software":
        etree.SubElement(agent, _p("agentVersion")).text = SOFTWARE_VERSION
    if note:
        etree.SubElement(agent, _p("agentNote")).text = note


def _premis(objid, created, actor, data, snapshots, snapshot_files, data_files, formats=None):
    """The files with their fixity and format (``formats``: what a record kind
    said of the files it keeps, e.g. WARC with its PRONOM id); for each snapshot
    its creation and a fixity check of the PDF against the SHA-256 stored when
    it was made; the packing."""
    root = etree.Element(_p("premis"), nsmap={"premis": PREMIS_NS, "xsi": XSI_NS}, version="3.0")
    root.set(f"{{{XSI_NS}}}schemaLocation", PREMIS_SCHEMA_LOCATION)
    _file_objects(root, objid, data, formats or {})
    people: dict[int, User] = {actor.pk: actor}
    for snapshot in snapshots:
        path = snapshot_files.get(snapshot.pk)
        if snapshot.made_by_id:
            people[snapshot.made_by_id] = snapshot.made_by
        _snapshot_creation(root, snapshot, path)
        _snapshot_fixity_check(
            root, snapshot, path, data_files.get(path) if path else None, created
        )
    _event(
        root,
        event_id="event-packing",
        event_type="packing",
        when=created,
        detail=f"Paketet {objid} skrevs med {len(data)} lagrade filer; SHA-256 för varje fil.",
        outcome="success",
        agents=[
            ("agent-software", "executing program"),
            (f"agent-user-{actor.pk}", "implementer"),
            ("agent-organisation", "authorizer"),
        ],
        objects=[objid],
    )
    _agent(root, "agent-software", SOFTWARE, "software")
    _agent(root, "agent-organisation", ORGANISATION, "organization")
    for pk, person in sorted(people.items()):
        _agent(root, f"agent-user-{pk}", _person(person), "person", person.get_username())
    return root


def _format(characteristics, packed, known) -> None:
    """The format by name (and version), and by its PRONOM id where the kind
    that keeps the file gave one."""
    element = etree.SubElement(characteristics, _p("format"))
    designation = etree.SubElement(element, _p("formatDesignation"))
    etree.SubElement(designation, _p("formatName")).text = (
        known.format_name if known else packed.mimetype
    )
    if known and known.format_version:
        etree.SubElement(designation, _p("formatVersion")).text = known.format_version
    if known and known.pronom:
        registry = etree.SubElement(element, _p("formatRegistry"))
        etree.SubElement(registry, _p("formatRegistryName")).text = "PRONOM"
        etree.SubElement(registry, _p("formatRegistryKey")).text = known.pronom
        etree.SubElement(registry, _p("formatRegistryRole")).text = "specification"


def _file_objects(root, objid: str, data, formats) -> None:
    """The package as an intellectual entity, and each stored file with its size,
    format and SHA-256."""
    xsi_type = f"{{{XSI_NS}}}type"
    package = etree.SubElement(root, _p("object"), {xsi_type: "premis:intellectualEntity"})
    _identifier(package, "objectIdentifier", objid)
    for packed in data:
        obj = etree.SubElement(root, _p("object"), {xsi_type: "premis:file"})
        _identifier(obj, "objectIdentifier", packed.path)
        characteristics = etree.SubElement(obj, _p("objectCharacteristics"))
        etree.SubElement(characteristics, _p("compositionLevel")).text = "0"
        fixity = etree.SubElement(characteristics, _p("fixity"))
        etree.SubElement(fixity, _p("messageDigestAlgorithm")).text = "SHA-256"
        etree.SubElement(fixity, _p("messageDigest")).text = packed.sha256
        etree.SubElement(characteristics, _p("size")).text = str(packed.size)
        _format(characteristics, packed, formats.get(packed.path))


def _snapshot_creation(root, snapshot, path: str | None) -> None:
    agents = [("agent-software", "executing program")]
    if snapshot.made_by_id:
        agents.append((f"agent-user-{snapshot.made_by_id}", "implementer"))
    _event(
        root,
        event_id=f"event-snapshot-{snapshot.pk}-creation",
        event_type="creation",
        when=_iso(snapshot.made_at),
        detail=(
            f"Ögonblicksbild (PDF/A-2b) av kontot {snapshot.account.display_name}: "
            f"{snapshot.get_reason_display()}, perioden {_iso(snapshot.period_start)}–"
            f"{_iso(snapshot.period_end)}, skärmdumparna tagna "
            f"{_iso(snapshot.screenshots_taken_on)}. SHA-256 vid skapandet: {snapshot.sha256}."
        ),
        outcome="success",
        agents=agents,
        objects=[path] if path else [],
    )


def _snapshot_fixity_check(root, snapshot, path: str | None, packed, created: str) -> None:
    """The PDF in the package against the SHA-256 stored when it was made: a
    missing file or a different hash is a failure, and is logged."""
    if packed is None:
        detail, outcome = "Filen saknades i lagringen vid exporten.", "failure"
    elif packed.sha256 == snapshot.sha256:
        detail, outcome = (
            f"SHA-256 i paketet stämmer med den vid skapandet: {packed.sha256}.",
            "success",
        )
    else:
        detail, outcome = (
            f"SHA-256 i paketet ({packed.sha256}) skiljer sig från den vid skapandet "
            f"({snapshot.sha256}).",
            "failure",
        )
        logger.warning("Snapshot %s: stored file does not match its SHA-256", snapshot.pk)
    _event(
        root,
        event_id=f"event-snapshot-{snapshot.pk}-fixity",
        event_type="fixity check",
        when=created,
        detail=detail,
        outcome=outcome,
        agents=[("agent-software", "executing program")],
        objects=[path] if path else [],
    )
