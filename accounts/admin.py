from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import (
    Absence,
    Administration,
    PlatformCompetence,
    PolicyAcknowledgement,
    PolicyVersion,
    Substitute,
    Unit,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    # The TOTP seed is never shown or edited here.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            "Person",
            {"fields": ("first_name", "last_name", "email", "phone", "title", "unit", "left_on")},
        ),
        ("Behörighet", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Datum", {"fields": ("last_login", "date_joined")}),
    )
    list_display = ("username", "first_name", "last_name", "unit", "is_active", "left_on")
    list_filter = ("is_active", "groups", "unit__administration")


@admin.register(Administration)
class AdministrationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "register_series", "head")


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("name", "administration", "manager")
    list_filter = ("administration",)


@admin.register(Substitute)
class SubstituteAdmin(SimpleHistoryAdmin):
    list_display = (
        "person",
        "scope",
        "unit",
        "administration",
        "role",
        "valid_from",
        "valid_until",
    )


@admin.register(Absence)
class AbsenceAdmin(SimpleHistoryAdmin):
    list_display = ("user", "starts_on", "ends_on")


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Shown, never written here: the record is made through its service, which
    checks the rules and writes the history (§12)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    # Published through the policy page's form (accounts.services.policy_publish),
    # which numbers the version, registers it and asks everyone to acknowledge it.
    list_display = ("number", "title", "decision_reference", "decided_on", "published_at")
    readonly_fields = (
        "number",
        "title",
        "decision_reference",
        "decided_on",
        "text",
        "published_at",
        "published_by",
    )


@admin.register(PolicyAcknowledgement)
class PolicyAcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ("user", "policy_version", "acknowledged_on")
    list_filter = ("policy",)
    list_select_related = ("user",)


admin.site.register(PlatformCompetence, SimpleHistoryAdmin)
