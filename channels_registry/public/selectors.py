"""Reads for the public list (§10)."""

from django.db.models import QuerySet

from channels_registry.models import SocialAccount


def public_accounts() -> QuerySet[SocialAccount]:
    """What the public may see (§10): active accounts and only public fields.
    The public views also leave out an account without a valid address
    (``public.views._grouped``); the sweep raises a finding for it."""
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
