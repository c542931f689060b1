from django.contrib import admin

from activity_plans.models import ActivityPlan, Decision, PlanRevision
from nora_social.core.admin_base import NoraAdmin


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DecisionInline(ReadOnlyInline):
    model = Decision
    fields = ("decided_at", "revision", "kind", "step", "decided_by", "on_behalf_of", "comment")
    readonly_fields = fields


class RevisionInline(ReadOnlyInline):
    model = PlanRevision
    fields = ("number", "submitted_by", "submitted_at")
    readonly_fields = fields


@admin.register(ActivityPlan)
class ActivityPlanAdmin(NoraAdmin):
    """Read-only: plans move only through the services (the chain)."""

    list_display = ("display_name", "unit", "author", "status", "revision", "approved_at")
    list_filter = ("status",)
    search_fields = ("display_name", "handle")
    inlines = [DecisionInline, RevisionInline]
