"""A change to an account re-checks it after commit, once per burst of changes,
and a broker that is down never breaks the change (DESIGN.md: the next sweep
catches what a task missed)."""

import kombu.pools
import pytest
from celery.signals import before_task_publish
from django.core.cache import cache

from channels_registry import services
from channels_registry.compliance.tasks import recheck_account_after_commit
from channels_registry.models import ChecklistItem
from nora_social.celery import app
from tests.channels_registry.compliance_support import compliant_account

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published():
    """Re-check tasks handed to the broker (a real Celery signal, no mock)."""
    sent = []

    def record(sender=None, body=None, **kwargs):
        if sender == "channels_registry.tasks.run_compliance_sweep":
            sent.append(body)

    before_task_publish.connect(record, weak=False)
    yield sent
    before_task_publish.disconnect(record)


def _fresh_pools() -> None:
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down(monkeypatch):
    """Point the Celery app at a closed port, as when Redis is down. Celery reads
    CELERY_BROKER_URL from the environment before its configuration."""
    closed = "redis://127.0.0.1:1/15"
    old = app.conf.broker_url
    _fresh_pools()
    monkeypatch.setenv("CELERY_BROKER_URL", closed)
    app.conf.broker_url = closed
    assert app.connection_for_write().port == 1
    yield
    app.conf.broker_url = old
    _fresh_pools()


@pytest.fixture
def account(org, staff, colleague, platform):
    return compliant_account(org["unit"], staff, colleague, platform)


def test_several_changes_in_one_transaction_queue_one_recheck(
    redis_url, account, staff, published, django_capture_on_commit_callbacks
):
    app.conf.broker_url = redis_url
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.checklist_withdraw(
            account_id=account.pk, actor=staff, item=ChecklistItem.COMMENT_RULES
        )
        services.checklist_confirm(
            account_id=account.pk, actor=staff, item=ChecklistItem.COMMENT_RULES
        )
    assert len(callbacks) >= 2
    assert len(published) == 1
    _args, kwargs, _embed = published[0]
    assert kwargs == {"account_ids": [account.pk]}


def test_recheck_is_queued_only_after_commit(account, staff, published, redis_url):
    app.conf.broker_url = redis_url
    services.checklist_withdraw(
        account_id=account.pk, actor=staff, item=ChecklistItem.COMMENT_RULES
    )
    assert published == []  # the test's transaction never commits


def test_a_change_succeeds_when_the_broker_is_down(
    account, staff, broker_down, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        services.checklist_withdraw(
            account_id=account.pk, actor=staff, item=ChecklistItem.COMMENT_RULES
        )
    assert not account.checklist.filter(item=ChecklistItem.COMMENT_RULES).exists()
    assert "next sweep will" in caplog.text


def test_recheck_with_broker_down_does_not_raise_and_can_retry(account, broker_down):
    recheck_account_after_commit(account.pk)
    # The failed attempt does not hold back the next one.
    assert cache.get(f"compliance-recheck:{account.pk}") is None
