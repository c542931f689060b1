"""The archive's refusals: a refused registration, disposal, purge or snapshot
step. Both are the kernel's ``ServiceError`` (``errors`` per form field, "" for
the whole form, in Swedish), so views show them with ``add_to_form``."""

from nora_social.core.errors import ServiceError


class ArchiveError(ServiceError):
    """A refused registration, disposal or purge."""


class SnapshotError(ArchiveError):
    """A refused snapshot step, with a Swedish message (and per-field reasons)."""
