"""Request-level guards that belong to no app."""

from django.conf import settings
from django.shortcuts import render


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
            return render(
                request,
                "413.html",
                {"limit_mb": settings.MAX_REQUEST_BYTES // (1024 * 1024)},
                status=413,
            )
        return self.get_response(request)
