"""Request-level guards that belong to no app, and the demo's error pages."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404
from django.views import defaults

logger = logging.getLogger(__name__)


class RequestBodyLimitMiddleware:
    """Refuse a request whose body is larger than ``MAX_REQUEST_BYTES`` before a
    byte of it is read.

    Django limits form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but streams files
    of any size to disk before a form can refuse them; this answers 413 from the
    declared length instead. The proxy in front (nginx ``client_max_body_size``)
    should refuse the same sizes before they reach the app at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            return self.refused(request)
        return self.get_response(request)

    def refused(self, request):
        return render(
            request,
            "413.html",
            {"limit_mb": settings.MAX_REQUEST_BYTES // (1024 * 1024)},
            status=413,
        )


class PlainRequestBodyLimitMiddleware(RequestBodyLimitMiddleware):
    """The same limit for the platforms' webhook (``settings.WEBHOOK_MIDDLEWARE``),
    answered without a page: the sender is a program, and that stack has no
    session or user for the site's layout."""

    def refused(self, request):
        return HttpResponse(status=413, content_type="text/plain")


def _active() -> bool:
    return settings.DEBUG and getattr(settings, "NORA_DEMO", False)


class DemoErrorPagesMiddleware:
    """The demo's error pages (``NORA_DEMO``, set by ``make run``).

    With DEBUG on, Django answers a missing page with its debug page, which lists
    every URL pattern, and an error with a traceback page. A newcomer trying the
    demo should see what a user sees: the app's own Swedish 404 and 500 pages.
    DEBUG's other conveniences (static files, the demo users) stay. The traceback
    is still logged to the terminal. Without DEBUG or without NORA_DEMO this does
    nothing: production uses Django's handlers, which render the same templates.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A URL that matches no pattern never reaches a view (nor process_exception):
        # the only sign is a 404 without a resolved view.
        if (
            _active()
            and response.status_code == 404
            and getattr(request, "resolver_match", None) is None
        ):
            return defaults.page_not_found(request, Resolver404())
        return response

    def process_exception(self, request, exception):
        if not _active() or isinstance(exception, PermissionDenied):
            return None  # 403 is the app's own page in every mode
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        logger.error("Error in %s", request.path, exc_info=exception)
        return defaults.server_error(request)
