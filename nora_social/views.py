"""Public pages required of a Swedish public-sector service (DOS-lagen, GDPR)."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control


def index(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")
    return render(request, "public/index.html")


@cache_control(public=True, max_age=3600)
def accessibility(request):
    return render(request, "public/accessibility.html", {"contact": settings.ACCESSIBILITY_CONTACT})


@cache_control(public=True, max_age=3600)
def privacy(request):
    return render(request, "public/privacy.html", {"contact": settings.DPO_CONTACT})


@cache_control(public=True, max_age=3600)
def processing_record(request):
    return render(request, "public/processing_record.html", {"contact": settings.DPO_CONTACT})
