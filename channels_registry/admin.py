"""Admin for the register. Day-to-day changes go through the staff pages and their
services; the admin is for looking things up and for the reference lists.

Secrets of deposited access never appear here: the deposit admin shows only its
kind, account, dates and who deposited it, never decrypts, and cannot add or
change anything. The escrow log and compliance findings are read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Platform)
class PlatformAdmin(SimpleHistoryAdmin):
    list_display = ("name", "slug", "access_kind", "requires_public_without_login", "is_active")
    list_filter = ("access_kind", "is_active")

    def get_readonly_fields(self, request, obj=None):
        # §9 competence names platforms by slug.
        return ("slug",) if obj else ()


@admin.register(SocialAccount)
class SocialAccountAdmin(SimpleHistoryAdmin):
    list_display = ("display_name", "handle", "platform", "unit", "status")
    list_filter = ("status", "platform", "unit__administration")
    search_fields = ("display_name", "handle")
    list_select_related = ("platform", "unit__administration")
    # The lifecycle, people and name exceptions move only through the services,
    # which check the rules and grant the object permissions.
    readonly_fields = (
        "status",
        "planned_on",
        "activated_on",
        "closing_on",
        "closed_on",
        "is_pre_existing",
        "plan_due_on",
        "closure_outcome",
        "naming_override_reason",
        "naming_override_by",
        "naming_override_at",
        "created_by",
        "created_at",
        "updated_at",
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccountMember)
class AccountMemberAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ("account", "user", "role", "holds_credentials", "starts_on", "ends_on")
    list_filter = ("role", "holds_credentials")
    list_select_related = ("account__platform", "user")


@admin.register(ChecklistConfirmation)
class ChecklistConfirmationAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ("account", "item", "confirmed_by", "confirmed_at")
    list_select_related = ("account__platform", "confirmed_by")


@admin.register(BlockedAbbreviation)
class BlockedAbbreviationAdmin(SimpleHistoryAdmin):
    list_display = ("term", "note")
    search_fields = ("term",)


@admin.register(BusinessRole)
class BusinessRoleAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ("account", "user", "platform_role", "starts_on", "ends_on")


@admin.register(AccessRequest)
class AccessRequestAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
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
class EscrowDepositAdmin(ReadOnlyAdmin):
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
class EscrowEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "account", "kind", "actor")
    list_filter = ("kind",)
    list_select_related = ("account__platform", "actor")
    fields = ("at", "account", "kind", "actor", "reason")
    readonly_fields = fields


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ("rule_code", "account", "severity", "opened_at", "resolved_at")
    list_filter = ("rule_code", "severity")
    list_select_related = ("account__platform",)


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "finished_at", "time_critical_only", "opened", "resolved")
