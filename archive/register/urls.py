"""URLs of the register pages; included by ``archive.urls`` under the ``archive:`` namespace."""

from django.urls import path

from archive.register import case_views, views

urlpatterns = [
    path("diariet/", views.search, name="search"),
    path("diariet/export.csv", views.search_export, name="search_export"),
    path("diariet/registrera/", views.register, name="register"),
    path("diariet/att-diariefora/", views.pending, name="pending"),
    path("diariet/handling/<int:pk>/", views.document_detail, name="document_detail"),
    path(
        "diariet/handling/<int:pk>/fil/<int:file_pk>/",
        views.document_file,
        name="document_file",
    ),
    path("diariet/konto/<int:pk>/", views.account_documents, name="account_documents"),
    path("diariet/sociala-medier/", views.media_register, name="media_register"),
    path("diariet/sociala-medier.csv", views.media_register_csv, name="media_register_csv"),
    path("diariet/arenden/", case_views.case_list, name="case_list"),
    path("diariet/arenden/nytt/", case_views.case_open, name="case_open"),
    path("diariet/arende/<int:pk>/", case_views.case_detail, name="case_detail"),
    path("diariet/arende/<int:pk>/registrera/", case_views.case_file, name="case_file"),
    path("diariet/arende/<int:pk>/lanka/", case_views.case_link, name="case_link"),
    path("diariet/arende/<int:pk>/avsluta/", case_views.case_close, name="case_close"),
    path("diariet/arende/<int:pk>/oppna-igen/", case_views.case_reopen, name="case_reopen"),
    path("diariet/handling/<int:pk>/fil/", case_views.document_file, name="document_attachment"),
    path("offentligt-diarium/", views.public_register, name="public_register"),
    path("offentligt-diarium/arenden/", case_views.public_cases, name="public_cases"),
    path("offentligt-diarium/arende/<int:pk>/", case_views.public_case, name="public_case"),
]
