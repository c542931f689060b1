"""Reads of the register, already filtered by permission and prefetched."""

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.selectors import (
    administrations_headed_by,
    is_information_officer_or_deputy,
    units_managed_by,
)
from channels_registry.models import (
    AccountMember,
    BlockedAbbreviation,
    ChecklistItem,
    EscrowDeposit,
    SocialAccount,
)


def current_members_prefetch(on=None) -> Prefetch:
    on = on or timezone.localdate()
    return Prefetch(
        "members",
        queryset=AccountMember.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on
        )
        .select_related("user")
        .order_by("role", "pk"),
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


def public_accounts() -> QuerySet[SocialAccount]:
    """What the public may see (§10): active accounts and only public fields.
    The public views also leave out an account without a valid address
    (``public_views._grouped``); the sweep raises a finding for it."""
    return (
        SocialAccount.objects.filter(status=SocialAccount.Status.ACTIVE)
        .select_related("platform", "unit__administration")
        .only(
            "pk",
            "display_name",
            "handle",
            "url",
            "purpose",
            "contact",
            "update_frequency_text",
            "response_time_text",
            "activated_on",
            "platform__name",
            "platform__slug",
            "platform__domains",
            "unit__name",
            "unit__administration__name",
        )
        .order_by("unit__administration__name", "platform__name", "display_name")
    )


def current_deposit(account: SocialAccount) -> EscrowDeposit | None:
    return (
        account.escrow_deposits.filter(retired_at__isnull=True)
        .defer(*EscrowDeposit.SECRET_FIELDS)
        .first()
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
