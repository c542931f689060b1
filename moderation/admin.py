"""Read-only admin: logged records are public records and never edited (§10).
Corrections are made as new entries in the application."""

from django.contrib import admin

from moderation.models import Escalation, ModerationAction, Post, PostCorrection, Question
from nora_social.core.admin_base import NoraAdmin


@admin.register(Post)
class PostAdmin(NoraAdmin):
    list_display = ["account", "author", "published_at", "logged_at"]
    list_filter = ["account__platform"]
    date_hierarchy = "published_at"


@admin.register(PostCorrection)
class PostCorrectionAdmin(NoraAdmin):
    list_display = ["post", "corrected_at", "logged_by"]


@admin.register(ModerationAction)
class ModerationActionAdmin(NoraAdmin):
    list_display = ["account", "action", "category", "origin", "logged_at", "for_registration"]
    list_filter = ["category", "action", "origin", "for_registration"]
    # The screenshot file is served only through the permission-checked view.
    exclude = ["screenshot"]


@admin.register(Escalation)
class EscalationAdmin(NoraAdmin):
    list_display = ["action", "outcome", "police_reference", "created_at"]
    list_filter = ["outcome"]


@admin.register(Question)
class QuestionAdmin(NoraAdmin):
    list_display = ["account", "asker", "received_at", "due_at", "status", "assigned_to"]
    list_filter = ["status"]
