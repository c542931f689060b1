"""Reads of the finished and running reports (the manifests in the storage)."""

from accounts.models import User
from nora_social.reports import store
from nora_social.reports.permissions import can_make_reports


def reports_for(user: User) -> list[store.Manifest]:
    """Every report, newest first, for those who may make them: the reports are
    the municipality's, registered in the diarium, not the requester's own."""
    if not can_make_reports(user):
        return []
    return store.all_manifests()


def report(user: User, token: str) -> store.Manifest | None:
    if not can_make_reports(user) or not store.TOKEN.match(token):
        return None
    return store.load(token)
