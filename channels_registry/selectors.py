"""Reads of the register, already filtered by permission and prefetched, and
the account's history as a person reads it."""

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import (
    administrations_headed_by,
    is_information_officer_or_deputy,
    units_managed_by,
)
from channels_registry.models import (
    AccessRequest,
    AccountMember,
    BlockedAbbreviation,
    BusinessRole,
    ChecklistConfirmation,
    ChecklistItem,
    EscrowDeposit,
    EscrowEvent,
    SocialAccount,
)


def current_members_prefetch(on=None) -> Prefetch:
    on = on or timezone.localdate()
    return Prefetch(
        "members",
        queryset=AccountMember.objects.current(on).select_related("user").order_by("role", "pk"),
        to_attr="current_members",
    )


def accounts_visible_to(user: User) -> QuerySet[SocialAccount]:
    """Accounts a person may see: all for those with ``view_all_accounts``;
    otherwise those they are on (guardian), and their units' and administrations'."""
    qs = SocialAccount.objects.select_related("platform", "unit__administration")
    if not user.is_authenticated:
        return qs.none()
    if user.has_perm("channels_registry.view_all_accounts") or is_information_officer_or_deputy(
        user
    ):
        # The information officer's deputy stands in for them on every account (§3).
        return qs
    member_of = SocialAccount.objects.filter(
        socialaccountuserobjectpermission__user=user,
        socialaccountuserobjectpermission__permission__codename="view_socialaccount",
    ).values("pk")
    return qs.filter(
        Q(pk__in=member_of)
        | Q(unit__in=units_managed_by(user))
        | Q(unit__administration__in=administrations_headed_by(user))
    )


def closure_receipt(account: SocialAccount) -> dict:
    """What closing an account did (§5, §10): who closed it and when, the outcome,
    the people whose membership ended, the escrowed access retired, and what the
    later apps archived (``CLOSURE_RECEIPT`` hooks)."""
    from channels_registry import hooks

    closed_row = (
        account.history.filter(status=SocialAccount.Status.CLOSED)
        .select_related("history_user")
        .order_by("history_date")
        .first()
    )
    members = (
        account.members.filter(ends_on=account.closed_on)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name")
    )
    retired = account.escrow_deposits.filter(
        retired_reason=EscrowDeposit.RetiredReason.CLOSED
    ).defer(*EscrowDeposit.SECRET_FIELDS)
    return {
        "closed_by": closed_row.history_user if closed_row else None,
        "closed_at": closed_row.history_date if closed_row else None,
        "members": list(members),
        "retired_deposits": list(retired),
        "archived": hooks.collect(hooks.CLOSURE_RECEIPT, account),
    }


def required_checklist_items(account: SocialAccount) -> list[str]:
    return checklist_items_for(
        requires_public_without_login=account.platform.requires_public_without_login
    )


def checklist_items_for(*, requires_public_without_login: bool) -> list[str]:
    items = [c.value for c in ChecklistItem if c != ChecklistItem.PUBLIC_WITHOUT_LOGIN]
    if requires_public_without_login:
        items.append(ChecklistItem.PUBLIC_WITHOUT_LOGIN.value)
    return items


def missing_checklist_items(account: SocialAccount) -> list[str]:
    done = set(account.checklist.values_list("item", flat=True))
    return [item for item in required_checklist_items(account) if item not in done]


def blocked_terms() -> list[str]:
    return list(BlockedAbbreviation.objects.values_list("term", flat=True))


def handle_taken(*, platform_id: int, handle: str, exclude_pk: int | None = None) -> bool:
    from channels_registry.naming import normalise

    wanted = normalise(handle)
    qs = SocialAccount.objects.filter(platform_id=platform_id).exclude(
        status=SocialAccount.Status.CLOSED
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return any(normalise(h) == wanted for h in qs.values_list("handle", flat=True))


def todos(user: User) -> list:
    """Start page: open findings on the accounts this person is owner of, one line
    per account with a link to it (one query)."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils.translation import ngettext

    from accounts.navigation import TodoItem
    from channels_registry.models import Finding

    owned = AccountMember.objects.filter(
        user=user, role=AccountMember.Role.OWNER, ends_on__isnull=True
    ).values("account_id")
    rows = (
        Finding.objects.filter(resolved_at__isnull=True, account__in=owned)
        .values("account_id", "account__display_name")
        .annotate(n=Count("pk"))
        .order_by("account__display_name")
    )
    return [
        TodoItem(
            ngettext(
                "%(count)d brist att åtgärda på %(account)s, som du är kontoansvarig för",
                "%(count)d brister att åtgärda på %(account)s, som du är kontoansvarig för",
                row["n"],
            )
            % {"count": row["n"], "account": row["account__display_name"]},
            reverse("channels_registry:account_detail", args=[row["account_id"]]),
            order=30,
        )
        for row in rows
    ]


def platform_names(slugs) -> dict[str, str]:
    from channels_registry.models import Platform

    return dict(Platform.objects.filter(slug__in=slugs).values_list("slug", "name"))


# History: the simple-history rows of the account and what hangs on it. EscrowDeposit
# has no history table by design (its secrets must not outlive key rotation); its log
# (EscrowEvent) holds only who, when and why.
_HIDDEN_HISTORY_FIELDS = {"id", "account", "updated_at"}


def _history_sources(account: SocialAccount):
    return [
        (_("Kontot"), SocialAccount, SocialAccount.history.filter(id=account.pk)),
        (_("Person på kontot"), AccountMember, AccountMember.history.filter(account_id=account.pk)),
        (
            _("Checklistan"),
            ChecklistConfirmation,
            ChecklistConfirmation.history.filter(account_id=account.pk),
        ),
        (
            _("Begäran om åtkomst"),
            AccessRequest,
            AccessRequest.history.filter(account_id=account.pk),
        ),
        (
            _("Roll på företagskontot"),
            BusinessRole,
            BusinessRole.history.filter(account_id=account.pk),
        ),
    ]


def _display(field, value, related: dict) -> str:
    """A history value as a person reads it: names for people, the choice's label,
    ja/nej, and times in Swedish local time to the minute (stored in UTC)."""
    if value in (None, ""):
        return "–"
    if field.is_relation:
        return str(related.get((field.related_model, value), value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "Y-m-d")
    return str(value)


def _event_reason(event: EscrowEvent) -> str:
    # A retirement's reason is a code (replaced, closed); the others are what a
    # person wrote.
    if event.kind == EscrowEvent.Kind.RETIRE:
        return (
            str(EscrowDeposit.RetiredReason(event.reason).label)
            if event.reason in (EscrowDeposit.RetiredReason.values)
            else event.reason
        )
    return event.reason


def account_history_entries(account: SocialAccount) -> list[dict]:
    """Each history row with who, when, what kind of change and which fields,
    newest first. Secret fields never appear; related rows are read in bulk."""
    loaded = [
        (
            label,
            model,
            _history_fields(model),
            list(qs.select_related("history_user").order_by("history_date", "history_id")),
        )
        for label, model, qs in _history_sources(account)
    ]
    related = _related_objects(loaded)
    entries = [
        entry
        for label, model, fields, rows in loaded
        for entry in _row_entries(label, model, fields, rows, related)
    ]
    entries.extend(_escrow_log_entries(account))
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries


def _history_fields(model) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in _HIDDEN_HISTORY_FIELDS
        and f.name not in getattr(model, "SECRET_FIELDS", ())
    ]


def _related_objects(loaded) -> dict:
    """Every row a history value points to, one query per related model."""
    wanted: dict = {}
    for _label, _model, fields, rows in loaded:
        for row in rows:
            for f in fields:
                value = getattr(row, f.attname) if f.is_relation else None
                if value is not None:
                    wanted.setdefault(f.related_model, set()).add(value)
    return {
        (rel_model, pk): obj
        for rel_model, pks in wanted.items()
        for pk, obj in rel_model._default_manager.in_bulk(pks).items()
    }


def _row_entries(label, model, fields, rows, related: dict) -> list[dict]:
    """A created row shows its filled fields; a changed row the fields that
    differ from the previous row of the same object."""
    kinds = {"+": _("Skapad"), "~": _("Ändrad"), "-": _("Borttagen")}
    entries = []
    previous: dict = {}
    for row in rows:
        values = {f.name: getattr(row, f.attname) for f in fields}
        before = previous.get(row.id)
        if row.history_type == "+" or before is None:
            changed = [f for f in fields if values[f.name] not in (None, "")]
        elif row.history_type == "~":
            changed = [f for f in fields if values[f.name] != before[f.name]]
        else:
            changed = []
        previous[row.id] = values
        entries.append(
            {
                "at": row.history_date,
                "who": row.history_user,
                "what": label,
                "subject": _history_subject(model, fields, values, related),
                "kind": kinds.get(row.history_type, row.history_type),
                "changes": [
                    (f.verbose_name, _display(f, values[f.name], related)) for f in changed
                ],
            }
        )
    return entries


def _history_subject(model, fields, values: dict, related: dict) -> str:
    if model is AccountMember:
        user_field = next(f for f in fields if f.name == "user")
        return _display(user_field, values["user"], related)
    if model is ChecklistConfirmation:
        return dict(ChecklistItem.choices).get(values["item"], values["item"])
    return ""


def _escrow_log_entries(account: SocialAccount) -> list[dict]:
    return [
        {
            "at": event.at,
            "who": event.actor,
            "what": _("Deponerad åtkomst (logg)"),
            "subject": "",
            "kind": event.get_kind_display(),
            "changes": [(_("skäl"), _event_reason(event))] if event.reason else [],
        }
        for event in EscrowEvent.objects.filter(account=account).select_related("actor")
    ]
