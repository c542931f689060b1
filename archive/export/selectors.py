"""Reads of the export log: the registrar's list of packages, and the counts the
yearly report shows (packages exported and verified in a period)."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from archive.export.models import ArchiveExport, ExportVerification

RECENT = 50


def recent_exports(limit: int = RECENT) -> list[ArchiveExport]:
    """The latest packages, each with its checks (newest first), in three queries."""
    return list(
        ArchiveExport.objects.select_related("exported_by", "administration", "account")
        .prefetch_related(
            Prefetch(
                "verifications",
                queryset=ExportVerification.objects.select_related("verified_by").order_by(
                    "-verified_at", "-pk"
                ),
            )
        )
        .order_by("-exported_at", "-pk")[:limit]
    )


@dataclass
class ExportCounts:
    exported: int = 0
    valid: int = 0
    verified: int = 0
    failed_checks: int = 0


def _in_administration(qs: QuerySet, prefix: str, administration_id: int) -> QuerySet:
    return qs.filter(
        Q(**{f"{prefix}administration_id": administration_id})
        | Q(**{f"{prefix}account__unit__administration_id": administration_id})
    )


def export_counts(
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    administration_id: int | None = None,
) -> dict[int | None, ExportCounts]:
    """Per administration (an account's package counts for its administration):
    packages written in [starts_at, ends_at), those valid when written, packages
    with a check in the period that found them valid and unchanged, and checks
    in the period that did not. Narrowed to one administration when given."""
    exports = ArchiveExport.objects.filter(exported_at__gte=starts_at, exported_at__lt=ends_at)
    checks = ExportVerification.objects.filter(verified_at__gte=starts_at, verified_at__lt=ends_at)
    if administration_id is not None:
        exports = _in_administration(exports, "", administration_id)
        checks = _in_administration(checks, "export__", administration_id)
    counts: dict[int | None, ExportCounts] = {}
    for export in exports.select_related("account__unit"):
        row = counts.setdefault(export.administration_id_in_scope, ExportCounts())
        row.exported += 1
        row.valid += export.valid
    verified: dict[int | None, set[int]] = {}
    for check in checks.select_related("export__account__unit"):
        key = check.export.administration_id_in_scope
        row = counts.setdefault(key, ExportCounts())
        if check.ok:
            verified.setdefault(key, set()).add(check.export_id)
        else:
            row.failed_checks += 1
    for key, pks in verified.items():
        counts[key].verified = len(pks)
    return counts
