"""URLs of the register pages; included by ``archive.urls`` under the ``archive:`` namespace."""

from django.urls import path

from archive.register import views

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
    path("offentligt-diarium/", views.public_register, name="public_register"),
]
