"""The site's URLs plus one view that fails: for the demo's error-page tests."""

from django.urls import include, path


def boom(request):
    raise RuntimeError("deliberate failure for the 500 page test")


urlpatterns = [path("test-fel/", boom), path("", include("nora_social.urls"))]
