"""The one base class of every ModelAdmin in the project.

The admin is a second door into every table, and it knows none of the rules the
services enforce (the approval chain, the people rules, the naming rules, the
escrow's two-person grant). So by default a model is read-only here: no add, no
change, no delete, no actions. A reference list with no staff page of its own
(the org tree, the users and their roles, the blocked abbreviations) opts in to
add and change with ``editable = True``; nothing is ever deleted here, since
records go only by disposal or purge (DESIGN.md), both through their services.

django-simple-history's history form view (``<id>/history/<history_id>/``)
checks only view-or-change permission and then saves whatever is POSTed, which
let a user with view permission grant an access request "by" someone else. The
view only ever shows a version here; a POST to it is refused for everyone, and
``SIMPLE_HISTORY_REVERT_DISABLED`` hides the revert button.
"""

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern
from simple_history.admin import SimpleHistoryAdmin

# django-simple-history ships no type information, so what its admin methods
# return is given Django admin's types through annotated locals below.


def has_simple_history(model: type[Model]) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


class NoraAdmin(SimpleHistoryAdmin):
    editable = False
    actions: Sequence[Any] | None = None

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.editable and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.editable and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    # The history pages exist only for models that keep history; the others get
    # Django's own log-entry history page.

    def get_urls(self) -> list[URLPattern]:
        if has_simple_history(self.model):
            urls: list[URLPattern] = super().get_urls()
            return urls
        return admin.ModelAdmin.get_urls(self)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if has_simple_history(self.model):
            response: HttpResponse = super().history_view(request, object_id, extra_context)
            return response
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)

    @property
    def object_history_template(self) -> str | None:
        if has_simple_history(self.model):
            template: str = SimpleHistoryAdmin.object_history_template
            return template
        return None

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        response: HttpResponse = super().history_form_view(
            request, object_id, version_id, extra_context
        )
        return response

    def revert_disabled(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return True

    def has_change_history_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
