"""The WSGI entry point: the site, and the platforms' webhook on a short stack.

A platform's webhook delivery is a signed machine-to-machine POST: it has no
session, no login, no language, no form token, no messages and no page to lay
out, so the site's middleware (sessions, authentication, SAML, locale, CSRF,
messages, the policy gate, CSP, history, login lockout) would only spend time
on it. Meta delivers every change on every account as it happens, so the
intake is the project's hottest path. Requests for exactly the webhook's URLs
(``/capture/webhooks/<platform>/``, the platforms the view accepts) are served
by a handler of their own with ``settings.WEBHOOK_MIDDLEWARE``: host
validation, the security headers and the request size limit stay. Every other
request, including any other path under ``/capture/webhooks/``, goes through
the site's full stack."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.urls import reverse
from django.utils.module_loading import import_string


class WebhookHandler(WSGIHandler):
    """Django's WSGI handler with ``settings.WEBHOOK_MIDDLEWARE`` instead of
    ``settings.MIDDLEWARE`` (synchronous middleware only, which is all it
    lists). URL resolution, exception handling, the request signals (and so
    the closing of old database connections) are Django's."""

    def load_middleware(self, is_async=False):
        if is_async:
            raise ImproperlyConfigured("The webhook handler serves WSGI only.")
        self._view_middleware: list[Callable[..., Any]] = []
        self._template_response_middleware: list[Callable[..., Any]] = []
        self._exception_middleware: list[Callable[..., Any]] = []
        # Django's own view-calling step (not in django-stubs).
        handler = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]
        for middleware_path in reversed(settings.WEBHOOK_MIDDLEWARE):
            middleware = import_string(middleware_path)(handler)
            if hasattr(middleware, "process_view"):
                self._view_middleware.insert(0, middleware.process_view)
            if hasattr(middleware, "process_template_response"):
                self._template_response_middleware.append(middleware.process_template_response)
            if hasattr(middleware, "process_exception"):
                self._exception_middleware.append(middleware.process_exception)
            handler = convert_exception_to_response(middleware)
        self._middleware_chain = handler


def webhook_paths() -> frozenset[str]:
    """The paths the webhook handler serves: one per platform the view takes."""
    from moderation.capture.views import META_PLATFORMS

    return frozenset(
        reverse("capture:webhook", kwargs={"platform": platform}) for platform in META_PLATFORMS
    )


class Application:
    """Sends each request to the site's handler or, for a webhook URL, to the
    webhook's."""

    def __init__(self):
        self.site = WSGIHandler()
        self.webhooks = WebhookHandler()
        self.webhook_paths = webhook_paths()

    def __call__(self, environ, start_response):
        handler = self.webhooks if environ.get("PATH_INFO") in self.webhook_paths else self.site
        return handler(environ, start_response)
