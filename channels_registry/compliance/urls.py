"""The sweep's findings, the dashboard, and the health page with the dead man's switch."""

from django.urls import path

from channels_registry.compliance import views

urlpatterns = [
    path("register/efterlevnad/", views.findings_dashboard, name="findings_dashboard"),
    path("register/efterlevnad/brister/", views.findings_list, name="findings"),
    path("halsa/", views.health, name="health"),
    path("halsa/status.txt", views.health_text, name="health_text"),
]
