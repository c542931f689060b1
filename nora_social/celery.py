import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nora_social.settings")

app = Celery("nora_social", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def close_old_connections(sender=None, **kwargs) -> None:
    """Before and after each task a worker runs, what Django does around each
    request: close a connection that is broken (the health check) or older than
    DB_CONN_MAX_AGE (0 in development: closed after every task). See
    CELERY_DB_REUSE_MAX in settings. Not for a task run eagerly: it runs inside
    its caller's request or transaction, whose connection is not the task's."""
    if sender is not None and getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections as close

    close()
