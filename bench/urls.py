"""The project's URLs plus the baseline for the public list benchmark: a view
that returns a precomputed body of the same size through the same middleware."""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

BODY_DIR = Path(__file__).resolve().parent.parent / "var" / "bench"
_bodies: dict[str, bytes] = {}


def baseline(request, name: str):
    if name not in _bodies:
        _bodies[name] = (BODY_DIR / f"baseline-{name}").read_bytes()
    content_type = "application/json" if name == "json" else "text/html; charset=utf-8"
    return HttpResponse(_bodies[name], content_type=content_type)


def worker_pid(get_response):
    """Middleware (bench.settings, last): which gunicorn worker answered, so the
    benchmark can show that a change reached both."""

    def middleware(request):
        response = get_response(request)
        response["X-Bench-Worker"] = str(os.getpid())
        return response

    return middleware


@csrf_exempt
def trivial_post(request):
    """The capture benchmark's baseline: a POST answered at once."""
    return HttpResponse("EVENT_RECEIVED", content_type="text/plain")


urlpatterns = [
    path("bench-baseline/<slug:name>", baseline),
    path("bench-trivial-post", trivial_post),
    path("", include("nora_social.urls")),
]
