"""Admin for the register: for looking things up. Every change to an account, its
people, its checklist, its escrow and the platforms goes through the staff pages
and their services, which check the rules (§2–§5) and write the history; so all
of it is read-only here (``NoraAdmin``). Only the list of blocked abbreviations,
which has no staff page, is edited here.

Secrets of deposited access never appear here: the deposit admin shows only its
kind, account, dates and who deposited it, never decrypts, and cannot add or
change anything. The escrow log and compliance findings are read-only."""

from django.contrib import admin

from channels_registry.models import (
    AccessRequest,
    AccountMember,
    BlockedAbbreviation,
    BusinessRole,
    ChecklistConfirmation,
    EscrowDeposit,
    EscrowEvent,
    Finding,
    Platform,
    SocialAccount,
    SweepRun,
)
from nora_social.core.admin_base import NoraAdmin


@admin.register(Platform)
class PlatformAdmin(NoraAdmin):
    list_display = ("name", "slug", "access_kind", "requires_public_without_login", "is_active")
    list_filter = ("access_kind", "is_active")

    # Platforms are kept by the information officer on the staff pages
    # (services.platform_save), which keep the slug fixed: §9 competence names it.


@admin.register(SocialAccount)
class SocialAccountAdmin(NoraAdmin):
    list_display = ("display_name", "handle", "platform", "unit", "status")
    list_filter = ("status", "platform", "unit__administration")
    search_fields = ("display_name", "handle")
    list_select_related = ("platform", "unit__administration")
    # Read-only: an active account's name, handle, purpose, platform and unit are
    # published at once, and only the services check the naming rules (§4), the
    # amended-plan rule (§2–§3) and the lifecycle.


@admin.register(AccountMember)
class AccountMemberAdmin(NoraAdmin):
    list_display = ("account", "user", "role", "holds_credentials", "starts_on", "ends_on")
    list_filter = ("role", "holds_credentials")
    list_select_related = ("account__platform", "user")


@admin.register(ChecklistConfirmation)
class ChecklistConfirmationAdmin(NoraAdmin):
    list_display = ("account", "item", "confirmed_by", "confirmed_at")
    list_select_related = ("account__platform", "confirmed_by")


@admin.register(BlockedAbbreviation)
class BlockedAbbreviationAdmin(NoraAdmin):
    editable = True
    list_display = ("term", "note")
    search_fields = ("term",)


@admin.register(BusinessRole)
class BusinessRoleAdmin(NoraAdmin):
    list_display = ("account", "user", "platform_role", "starts_on", "ends_on")


@admin.register(AccessRequest)
class AccessRequestAdmin(NoraAdmin):
    list_display = (
        "account",
        "requested_by",
        "status",
        "requested_at",
        "decided_by",
        "valid_until",
    )
    list_filter = ("status",)


@admin.register(EscrowDeposit)
class EscrowDepositAdmin(NoraAdmin):
    """Only who, what kind and when. ``fields`` names no secret field, and the
    queryset defers them so they are never even decrypted here."""

    fields = ("kind", "account", "deposited_at", "deposited_by", "retired_at", "retired_reason")
    readonly_fields = fields
    list_display = ("account", "kind", "deposited_at", "deposited_by", "retired_at")
    list_filter = ("kind",)
    list_select_related = ("account__platform", "deposited_by")
    search_fields = ()
    actions = None

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*EscrowDeposit.SECRET_FIELDS)


@admin.register(EscrowEvent)
class EscrowEventAdmin(NoraAdmin):
    list_display = ("at", "account", "kind", "actor")
    list_filter = ("kind",)
    list_select_related = ("account__platform", "actor")
    fields = ("at", "account", "kind", "actor", "reason")
    readonly_fields = fields


@admin.register(Finding)
class FindingAdmin(NoraAdmin):
    list_display = ("rule_code", "account", "severity", "opened_at", "resolved_at")
    list_filter = ("rule_code", "severity")
    list_select_related = ("account__platform",)


@admin.register(SweepRun)
class SweepRunAdmin(NoraAdmin):
    list_display = ("started_at", "finished_at", "time_critical_only", "opened", "resolved")
