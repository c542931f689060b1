from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import (
    Absence,
    Administration,
    PlatformCompetence,
    PolicyAcknowledgement,
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


admin.site.register(PolicyAcknowledgement, SimpleHistoryAdmin)
admin.site.register(PlatformCompetence, SimpleHistoryAdmin)
