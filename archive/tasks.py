"""Celery's autodiscovery imports ``archive.tasks``: the tasks live in the
sub-packages and are registered under their ``archive.tasks.*`` names there."""

from archive.snapshots.tasks import make_snapshot, request_due_snapshots

__all__ = ["make_snapshot", "request_due_snapshots"]
