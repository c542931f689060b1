"""The capture's compliance rules (§3, §5, §10)."""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from channels_registry.compliance.engine import Hit, SweepContext, rule
from channels_registry.models import Finding, SocialAccount
from moderation.capture.models import AuthorRequest, CapturedObject, CapturedVersion
from moderation.models import Post

OWNER_FIRST = gettext_lazy("Kontoansvarig, därefter enhetschef och förvaltningschef")


def removed_without_note(now: datetime.datetime, account_ids=None):
    """Citizens' comments that were visible, are gone or hidden now since
    longer than the setting's hours, with no moderation action linked."""
    latest = CapturedVersion.objects.filter(captured=OuterRef("pk")).order_by("-number")
    rows = (
        CapturedObject.objects.filter(
            own=False,
            kind__in=[CapturedObject.Kind.COMMENT, CapturedObject.Kind.REPLY],
            account__status=SocialAccount.Status.ACTIVE,
        )
        .annotate(
            latest_state=Subquery(latest.values("state")[:1]),
            latest_at=Subquery(latest.values("captured_at")[:1]),
            was_visible=Exists(
                CapturedVersion.objects.filter(
                    captured=OuterRef("pk"), state=CapturedVersion.State.VISIBLE
                )
            ),
        )
        .filter(
            latest_state__in=[CapturedVersion.State.GONE, CapturedVersion.State.HIDDEN],
            latest_at__lte=now - datetime.timedelta(hours=settings.CAPTURE_REMOVAL_NOTE_HOURS),
            was_visible=True,
            evidence__isnull=True,
        )
        .order_by("pk")
    )
    if account_ids is not None:
        rows = rows.filter(account_id__in=account_ids)
    return rows


@rule(
    code="capture_removed_without_note",
    title=gettext_lazy("Borttagen utan anteckning"),
    severity=Finding.Severity.HIGH,
    policy_section="§5, §10",
    responsible=OWNER_FIRST,
)
def capture_removed_without_note(ctx: SweepContext):
    """A comment is a received public record: removing it is disposal unless
    it is preserved and the removal logged (§5, §10)."""
    for captured in removed_without_note(ctx.now, ctx.account_ids):
        yield Hit(
            captured.account_id,
            _(
                "En kommentar som var synlig är %(state)s sedan %(when)s utan att någon "
                "modereringsåtgärd loggats (borttagen utan anteckning). Logga åtgärden från "
                "kontots tidslinje."
            )
            % {
                "state": CapturedVersion.State(captured.latest_state).label.lower(),
                "when": captured.latest_at.strftime("%Y-%m-%d %H:%M"),
            },
            key=f"captured-{captured.pk}",
        )


@rule(
    code="capture_post_without_author",
    title=gettext_lazy("Inlägg utan loggad skribent"),
    severity=Finding.Severity.MEDIUM,
    policy_section="§3",
    responsible=OWNER_FIRST,
)
def capture_post_without_author(ctx: SweepContext):
    """§3: the author of a post follows the discussion, so every post the
    account published has a logged author; asked at capture, a finding after
    the setting's delay."""
    cutoff = ctx.now - datetime.timedelta(hours=settings.CAPTURE_AUTHOR_DELAY_HOURS)
    latest_link = (
        CapturedVersion.objects.filter(captured=OuterRef("captured"), content__isnull=False)
        .order_by("-number")
        .values("content__permalink")[:1]
    )
    rows = (
        ctx.scope_related(
            AuthorRequest.objects.filter(
                asked_at__lte=cutoff, captured__account__status=SocialAccount.Status.ACTIVE
            ),
            field="captured__account_id",
        )
        .annotate(link=Subquery(latest_link))
        .annotate(logged=Exists(Post.objects.filter(link=OuterRef("link")).exclude(link="")))
        .filter(logged=False)
        .select_related("captured")
        .order_by("pk")
    )
    for request in rows:
        yield Hit(
            request.captured.account_id,
            _("Ett inlägg publicerat %(when)s saknar loggad skribent (§3): %(link)s")
            % {
                "when": (request.captured.published_at or request.asked_at).strftime("%Y-%m-%d"),
                "link": request.link or request.captured.platform_id,
            },
            key=f"captured-{request.captured_id}",
        )
