from django.urls import path

from nora_social.reports import views

app_name = "reports"

urlpatterns = [
    path("arsrapport/", views.index, name="index"),
    path("arsrapport/<str:token>/<str:kind>/", views.download, name="download"),
]
