from django.urls import path

from moderation import views
from moderation.capture import urls as capture_urls

app_name = "moderation"

urlpatterns = [
    path("moderering/", views.index, name="index"),
    path("moderering/konton/<int:pk>/", views.account_log, name="account_log"),
    path("moderering/konton/<int:pk>/inlagg/nytt/", views.post_create, name="post_create"),
    path("moderering/konton/<int:pk>/atgarder/ny/", views.action_create, name="action_create"),
    path("moderering/konton/<int:pk>/fragor/ny/", views.question_create, name="question_create"),
    path("moderering/inlagg/<int:pk>/", views.post_detail, name="post_detail"),
    path("moderering/inlagg/<int:pk>/rattelse/", views.post_correct, name="post_correct"),
    path("moderering/inlagg/<int:pk>/dra-tillbaka/", views.post_withdraw, name="post_withdraw"),
    path("moderering/atgarder/", views.action_list, name="action_list"),
    path("moderering/atgarder/<int:pk>/", views.action_detail, name="action_detail"),
    path("moderering/atgarder/<int:pk>/rattelse/", views.action_correct, name="action_correct"),
    path(
        "moderering/atgarder/<int:pk>/skarmdump/",
        views.action_screenshot,
        name="action_screenshot",
    ),
    path("moderering/eskaleringar/", views.escalation_list, name="escalation_list"),
    path("moderering/eskaleringar/<int:pk>/", views.escalation_detail, name="escalation_detail"),
    path("moderering/fragor/<int:pk>/", views.question_detail, name="question_detail"),
    path(
        "moderering/fragor/<int:pk>/vidarebefordra/",
        views.question_forward,
        name="question_forward",
    ),
    path("moderering/fragor/<int:pk>/svara/", views.question_answer, name="question_answer"),
    path("moderering/min-ko/", views.queue, name="queue"),
    path("moderering/forsenade/", views.overdue, name="overdue"),
]
urlpatterns += capture_urls.urlpatterns
