"""The archive's refusals: a refused registration, disposal, purge or snapshot step."""


class ArchiveError(Exception):
    """A refused registration. ``errors`` maps form field names ("" for the whole
    form) to the reasons, in Swedish."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class SnapshotError(ArchiveError):
    """A refused snapshot step, with a Swedish message (and per-field reasons)."""
