"""Staff pages, included under ``diariet/begaran/`` in the archive's namespace."""

from django.urls import path

from archive.requests import appeal_views, views

urlpatterns = [
    path("", views.queue, name="request_queue"),
    path("ny/", views.register, name="request_register"),
    path("delegationer/", views.delegations, name="request_delegations"),
    path("<int:pk>/", views.detail, name="request_detail"),
    path("<int:pk>/handling/", views.add_document, name="request_add_document"),
    path("<int:pk>/utlamna/", views.hand_out, name="request_hand_out"),
    path("<int:pk>/beslut/", views.decide, name="request_decide"),
    path("<int:pk>/beslut.pdf", views.decision_pdf, name="request_decision_pdf"),
    path("<int:pk>/beslut/skickat/", views.decision_sent, name="request_decision_sent"),
    path("<int:pk>/overklagande/", appeal_views.appeal, name="request_appeal_register"),
    path(
        "<int:pk>/overklagande/<int:appeal_pk>/",
        appeal_views.appeal_package_page,
        name="request_appeal",
    ),
    path(
        "<int:pk>/overklagande/<int:appeal_pk>/paket.zip",
        appeal_views.appeal_package_download,
        name="request_appeal_package",
    ),
    path("<int:pk>/<slug:action>/", views.act, name="request_act"),
    path("handling/<int:item_pk>/prova/", views.assess, name="request_assess"),
    path("handling/<int:item_pk>/maskera/", views.mask, name="request_mask"),
    path("handling/<int:item_pk>/sida/<int:page>.png", views.page_image, name="request_page"),
    path("utlamnande/<int:pk>/kopia.pdf", views.handout_pdf, name="request_handout_pdf"),
    path("utlamnande/<int:pk>/utskrift/", views.handout_print, name="request_handout_print"),
]
