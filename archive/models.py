"""The module Django loads for the ``archive`` app: the models live in the
sub-packages (``register``, ``snapshots``, ``disposal``) and are gathered here,
so the app label, the model names, their tables and the migrations stay as they
were.

The register (diarium) holds cases and the documents in them (§10; OSL 5 kap.):
a case is numbered per register series and year, a document within its case,
from counter rows locked with ``select_for_update``. A document links the record
it registers generically, so this app reaches rightward to no one. Disposal and
purges remove a document with its history rows and leave their own entry;
nothing else deletes.
"""

from archive.disposal.models import (
    DisposalEntry,
    DisposedRecord,
    Hold,
    PurgeEntry,
    RetentionDecision,
)
from archive.register.models import (
    Case,
    CaseCounter,
    CaseLink,
    Direction,
    Document,
    DocumentFile,
    MinorRecord,
    SecrecyProvision,
)
from archive.snapshots.models import (
    Snapshot,
    SnapshotReason,
    SnapshotRequest,
    SnapshotScreenshot,
    snapshot_screenshot_path,
)

__all__ = [
    "Case",
    "CaseCounter",
    "CaseLink",
    "Direction",
    "DisposalEntry",
    "DisposedRecord",
    "Document",
    "DocumentFile",
    "Hold",
    "MinorRecord",
    "PurgeEntry",
    "RetentionDecision",
    "SecrecyProvision",
    "Snapshot",
    "SnapshotReason",
    "SnapshotRequest",
    "SnapshotScreenshot",
    "snapshot_screenshot_path",
]

# Requests for public documents live in their own sub-package (app label archive).
# The log of archive packages written and checked (archive.export).
from archive.export.models import ArchiveExport, ExportVerification  # noqa: E402, F401
from archive.requests.models import (  # noqa: E402, F401
    Appeal,
    Decision,
    Delegation,
    FeeSchedule,
    HandOut,
    Mask,
    Pause,
    RecordsRequest,
    RequestedDocument,
)
