"""Admin for people and the org tree. The users, their roles (groups), the
administrations, units and substitutes have no staff page of their own, so they
are edited here; what people do themselves (policy acknowledgement, platform
competence, absences) is recorded through the services and only shown here.
What each role may do is set in code (``accounts.roles``), so groups are read-only."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group

from accounts.models import (
    Absence,
    Administration,
    ExternalIdentity,
    GroupMapping,
    LoginEvent,
    PlatformCompetence,
    PolicyAcknowledgement,
    PolicyVersion,
    Substitute,
    Unit,
    User,
)
from nora_social.core.admin_base import NoraAdmin


@admin.register(User)
# NoraAdmin picks the history template per model (a property); the stubs type it
# as a plain class attribute of ModelAdmin.
class UserAdmin(NoraAdmin, BaseUserAdmin):  # type: ignore[misc]
    editable = True
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
    readonly_fields = ("last_login", "date_joined")
    list_display = ("username", "first_name", "last_name", "unit", "is_active", "left_on")
    list_filter = ("is_active", "groups", "unit__administration")


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(NoraAdmin, BaseGroupAdmin):  # type: ignore[misc]  # as UserAdmin
    pass


@admin.register(Administration)
class AdministrationAdmin(NoraAdmin):
    editable = True
    list_display = ("name", "register_series", "head")


@admin.register(Unit)
class UnitAdmin(NoraAdmin):
    editable = True
    list_display = ("name", "administration", "manager")
    list_filter = ("administration",)


@admin.register(Substitute)
class SubstituteAdmin(NoraAdmin):
    editable = True
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
class AbsenceAdmin(NoraAdmin):
    list_display = ("user", "starts_on", "ends_on")


@admin.register(PolicyVersion)
class PolicyVersionAdmin(NoraAdmin):
    # Shown, never written here: published through the policy page's form
    # (accounts.services.policy_publish), which numbers the version, registers it
    # and asks everyone to acknowledge it (§12).
    list_display = ("number", "title", "decision_reference", "decided_on", "published_at")


@admin.register(PolicyAcknowledgement)
class PolicyAcknowledgementAdmin(NoraAdmin):
    list_display = ("user", "policy_version", "acknowledged_on", "recorded_by")
    list_filter = ("policy",)
    list_select_related = ("user",)


@admin.register(PlatformCompetence)
class PlatformCompetenceAdmin(NoraAdmin):
    list_display = ("user", "platform", "achieved_on", "recorded_by")


@admin.register(LoginEvent)
class LoginEventAdmin(NoraAdmin):
    """Every login with its assurance (method, acr, amr); read-only."""

    list_display = ("at", "user", "method", "multi_factor", "step_up", "acr", "amr")
    list_filter = ("method", "multi_factor", "step_up")
    search_fields = ("user__username",)
    date_hierarchy = "at"


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(NoraAdmin):
    """Made at a person's first sign-on; read-only."""

    list_display = ("user", "provider", "subject", "created_at")
    search_fields = ("user__username", "subject")


@admin.register(GroupMapping)
class GroupMappingAdmin(NoraAdmin):
    """Edited by the information officer on the staff pages; shown here."""

    list_display = ("idp_group", "role", "unit")
