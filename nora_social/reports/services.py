"""Making the yearly report: ``report_start`` checks the request and queues the
task; ``report_make`` (the task) computes the tables, writes the three files,
registers the report in the diarium as a drawn-up document and notifies the
person who asked, with the link to download it."""

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Administration, User
from accounts.services import notify
from archive.errors import ArchiveError
from archive.register.files import attach_file
from archive.register.models import Case, Direction
from archive.register.services import Entry, case_open, register_document
from nora_social.core.errors import ServiceError
from nora_social.reports import render, store
from nora_social.reports.build import RENDER_STEPS, STEPS, Report, build_report
from nora_social.reports.permissions import can_make_reports
from nora_social.reports.tables import Period

logger = logging.getLogger(__name__)

MAX_DAYS = 5 * 366
CASE_TITLE = "Årsrapporter om sociala medier"
# The files kept with the registered document; the CSV files are the same
# figures as the spreadsheet, for other programs, and are not archived twice.
ARCHIVED_FILES = ("pdf", "xlsx")


class ReportError(ServiceError):
    """A report that cannot be made as asked."""


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)


def period_problems(
    start: datetime.date | None, end: datetime.date | None, today: datetime.date
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if start is None:
        errors["start"] = [_("Ange periodens första dag.")]
    elif start > today:
        errors["start"] = [_("Perioden kan inte börja i framtiden.")]
    if end is None:
        errors["end"] = [_("Ange periodens sista dag.")]
    if start and end:
        if end < start:
            errors.setdefault("end", []).append(_("Sista dagen kan inte ligga före den första."))
        elif (end - start).days > MAX_DAYS:
            errors.setdefault("end", []).append(_("Perioden får vara högst fem år."))
    return errors


def report_start(
    *,
    actor: User,
    start: datetime.date | None,
    end: datetime.date | None,
    administration_id: int | None = None,
) -> store.Manifest:
    """Queue a report. A period that runs past today ends today: the report
    shows what has happened, at the time it is made."""
    if not can_make_reports(actor):
        raise ReportError(_("Du får inte ta fram årsrapporten."))
    today = timezone.localdate()
    errors = period_problems(start, end, today)
    administration = None
    if administration_id:
        administration = Administration.objects.filter(pk=administration_id).first()
        if administration is None:
            errors["administration"] = [_("Förvaltningen finns inte.")]
    if errors:
        raise ReportError(_("Rapporten kunde inte startas."), errors)
    assert start is not None and end is not None  # type narrowing of an invariant  # nosec B101
    manifest = store.Manifest(
        token=store.new_token(),
        requested_by=actor.pk,
        requested_at=timezone.now().isoformat(),
        start=start.isoformat(),
        end=min(end, today).isoformat(),
        administration_id=administration.pk if administration else None,
        scope_name=administration.name if administration else _("Hela kommunen"),
        steps=STEPS + RENDER_STEPS + 1,
    )
    store.save(manifest)
    from nora_social.reports.tasks import make_report

    token = manifest.token
    transaction.on_commit(lambda: _queue(make_report, token))
    return manifest


def _queue(task: Any, token: str) -> None:
    try:
        task.apply_async(args=[token], retry=False)
    except Exception:  # noqa: BLE001 - broker away: the page says the report waits
        logger.warning("Could not queue report %s; it stays queued.", token)


def _case_administration(actor: User, manifest: store.Manifest) -> Administration | None:
    if manifest.administration_id:
        return Administration.objects.filter(pk=manifest.administration_id).first()
    if actor.unit is not None:
        return actor.unit.administration
    return (
        Administration.objects.filter(register_series="KS").order_by("pk").first()
        or Administration.objects.order_by("pk").first()
    )


def _register(actor: User, manifest: store.Manifest, report: Report) -> None:
    """The PDF enters the diarium as a drawn-up document, in the year's case of
    yearly reports of the scope's administration (opened when first needed)."""
    administration = _case_administration(actor, manifest)
    if administration is None:
        raise ArchiveError(_("Det finns ingen förvaltning vars diarieserie rapporten kan få."))
    today = timezone.localdate()
    with transaction.atomic():
        case = (
            Case.objects.filter(administration=administration, year=today.year, title=CASE_TITLE)
            .order_by("pk")
            .first()
        ) or case_open(administration=administration, title=CASE_TITLE, actor=actor)
        document = register_document(
            actor=actor,
            case_id=case.pk,
            entry=Entry(
                direction=Direction.DRAWN_UP,
                document_date=today,
                subject=render.title(report),
                handling_officer=actor,
                content_text=" ".join(t.title for t in report.tables),
            ),
        )
    manifest.document_id = document.pk
    manifest.document_reference = document.reference


def _keep_files(actor: User, manifest: store.Manifest) -> None:
    """The PDF/A and the spreadsheet become the registered document's files, so
    the archive package carries them with their checksums (idempotent: a retried
    task finds them kept)."""
    assert manifest.document_id is not None  # type narrowing of an invariant  # nosec B101
    for kind in ARCHIVED_FILES:
        path = store.file_path(manifest, kind)
        if path is None:
            continue
        with open(path, "rb") as handle:
            data = handle.read()
        name, mimetype = store.FILES[kind]
        attach_file(
            actor=actor,
            document_id=manifest.document_id,
            name=_archived_name(manifest, name),
            data=data,
            mimetype=mimetype,
        )


def _archived_name(manifest: store.Manifest, name: str) -> str:
    stem, _dot, extension = name.rpartition(".")
    return f"{stem}-{manifest.start}-{manifest.end}.{extension}"


def _progress(manifest: store.Manifest) -> Callable[[int, int], None]:
    def record(done: int, _total: int) -> None:
        manifest.step = done
        store.save(manifest)

    return record


def report_make(token: str) -> store.Manifest | None:
    """Make a queued report (the Celery task calls this). Idempotent: a finished
    report is left as it is, and a document already registered is not again."""
    manifest = store.load(token)
    if manifest is None or manifest.finished:
        return manifest
    actor = User.objects.filter(pk=manifest.requested_by, is_active=True).first()
    if actor is None or not can_make_reports(actor):
        return report_failed(token)
    manifest.state, manifest.step = store.RUNNING, 0
    store.save(manifest)
    period = Period(manifest.start_date, manifest.end_date, manifest.administration_id)
    progress = _progress(manifest)
    report = build_report(period, progress)
    made_by = actor.get_full_name() or actor.get_username()
    store.write_file(manifest, "pdf", render.render_pdf(report, made_by=made_by))
    progress(STEPS + 1, 0)
    store.write_file(manifest, "xlsx", render.render_xlsx(report))
    progress(STEPS + 2, 0)
    store.write_file(manifest, "csv", render.render_csv_zip(report))
    progress(STEPS + 3, 0)
    try:
        if manifest.document_id is None:
            _register(actor, manifest, report)
            store.save(manifest)
        _keep_files(actor, manifest)
    except ArchiveError:
        logger.warning("Report %s could not be registered", token)
        return report_failed(token)
    manifest.state = store.DONE
    manifest.step = manifest.steps
    manifest.finished_at = timezone.now().isoformat()
    store.save(manifest)
    notify(
        recipients=[actor],
        subject=_("Årsrapporten är klar"),
        body=_("%(title)s är klar och registrerad i diariet som %(ref)s.")
        % {"title": render.title(report), "ref": manifest.document_reference},
        url=reverse("reports:index") + f"#r-{token}",
    )
    return manifest


def report_failed(token: str) -> store.Manifest | None:
    """The task gave up: the report is marked failed and the person told."""
    manifest = store.load(token)
    if manifest is None or manifest.finished:
        return manifest
    manifest.state = store.FAILED
    manifest.finished_at = timezone.now().isoformat()
    store.save(manifest)
    person = User.objects.filter(pk=manifest.requested_by).first()
    notify(
        recipients=[person],
        subject=_("Årsrapporten kunde inte tas fram"),
        body=_(
            "Rapporten för %(start)s – %(end)s kunde inte tas fram. Försök igen, eller "
            "kontakta systemförvaltaren om det händer igen."
        )
        % {"start": manifest.start, "end": manifest.end},
        url=reverse("reports:index"),
    )
    return manifest
