import logging
import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nora_social.settings")

app = Celery("nora_social", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
logger = logging.getLogger(__name__)


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


@task_postrun.connect
def release_memory(sender=None, **kwargs) -> None:
    """After a task that built a large document (``release_memory_after``)."""
    if sender is None or not getattr(sender, "release_memory_after", False):
        return
    if getattr(sender.request, "is_eager", False):
        return
    from nora_social.core import worker

    worker.release_memory()


def _forks_children(controller) -> bool:
    from celery import concurrency
    from celery.concurrency.prefork import TaskPool

    pool = concurrency.get_implementation(getattr(controller, "pool_cls", None) or "prefork")
    return isinstance(pool, type) and issubclass(pool, TaskPool)


@worker_init.connect
def prepare_worker(sender=None, **kwargs) -> None:
    """In a prefork worker's parent, before it forks its children: pay once for
    what each child's first PDF paid for itself (WeasyPrint and pikepdf's
    validator imported, fonts found, the PDF templates compiled, the
    translations read), then freeze that heap (nora_social.core.worker). A
    child replaced after CELERY_WORKER_MAX_TASKS_PER_CHILD starts warm too.
    The solo and thread pools (the tests' worker) fork nothing: skipped."""
    if sender is None or not _forks_children(sender):
        return
    from django.conf import settings
    from django.template.loader import get_template
    from django.utils import translation

    from nora_social.core import pdf, worker

    # Connected only now, so it runs after the handler Celery's Django fixup
    # connected at worker_init, which closes the connections a child inherits.
    worker_process_init.connect(start_child, weak=False, dispatch_uid="nora-start-child")
    try:
        pdf.warm_up()
        with translation.override(settings.LANGUAGE_CODE):
            for template in sorted((settings.BASE_DIR / "templates" / "pdf").glob("*.html")):
                get_template(f"pdf/{template.name}")
            translation.gettext("Ögonblicksbild")
    except Exception:  # noqa: BLE001 - a cold child still works; its first PDF pays
        logger.exception("Warming the worker before the fork failed")
    worker.freeze_heap()


def start_child(**kwargs) -> None:
    from nora_social.core import worker

    worker.start_child()
