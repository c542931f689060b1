"""What keeps the public list cheap: its change stamp and its rendered bodies.

A busy nora.se page must not cost a database query per request
(bench/public_list.py), yet a registered or closed account must show at once.

The stamp is derived from the database (the newest account change and the
number of active accounts) and from a change mark, a random token that every
save or delete of an account, platform, unit or administration replaces, so a
renamed unit, which no account's ``updated_at`` records, still makes a new
stamp. Every gunicorn worker computes the same ETag. Stamp and mark are kept in
the "shared" cache (Redis in production, settings.CACHE_URL); the stamp for
STAMP_TTL seconds, dropped on every such change. Signals rather than the
services: a cache must follow every write, including the admin, a raw
``save()`` and a history revert, and this is no business rule. It is dropped
again on commit, so a request that read the rows while the change was in flight
cannot keep the old stamp. Writes that skip ``save()`` (``bulk_create``,
``QuerySet.update``) reach the list within STAMP_TTL if they change an account,
or at once if they call ``public_list_changed()``; a worker whose "shared"
cache is only its own memory (no CACHE_URL) sees other workers' changes within
STAMP_TTL, or BODY_TTL for a renamed unit.

The bodies (1 MB for 2,000 accounts) stay in this process's memory, keyed by
the stamp: no network, no pickling. A new stamp is a new key; old ones age out.
"""

import contextlib
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable

from django.core.cache import caches
from django.db import transaction
from django.db.models import Count, Max, Q
from django.db.models.signals import post_delete, post_save

from accounts.models import Administration, Unit
from channels_registry.models import Platform, SocialAccount

logger = logging.getLogger(__name__)

STAMP_KEY = "public-list:stamp"
MARK_KEY = "public-list:mark"
STAMP_TTL = 5
# Bodies also age out of memory, after the time a browser may keep its copy.
BODY_TTL = 300
MAX_BODIES = 16  # paths x languages x a few stamps in flight

_bodies: OrderedDict[str, tuple[float, object]] = OrderedDict()
_lock = threading.Lock()


def list_stamp() -> str:
    """The list's version: one cache read, one aggregate query on a miss."""
    shared = caches["shared"]
    try:
        kept = shared.get_many([STAMP_KEY, MARK_KEY])  # one round trip (MGET)
    except Exception:  # noqa: BLE001 - Redis away: the database answers instead
        logger.warning("The shared cache is unavailable; the public list asks the database.")
        kept = None
    stamp = (kept or {}).get(STAMP_KEY)
    if stamp is None:
        found = SocialAccount.objects.aggregate(
            changed=Max("updated_at"),
            active=Count("pk", filter=Q(status=SocialAccount.Status.ACTIVE)),
        )
        stamp = f"{found['changed']}|{found['active']}|{(kept or {}).get(MARK_KEY, '')}"
        if kept is not None:
            with contextlib.suppress(Exception):  # it expires by itself anyway
                shared.set(STAMP_KEY, stamp, STAMP_TTL)
    return stamp


def cached_body(key: str, build: Callable[[], object]) -> object:
    """The value for ``key`` from this process's memory, built once on a miss."""
    now = time.monotonic()
    with _lock:
        hit = _bodies.get(key)
        if hit is not None and hit[0] > now:
            _bodies.move_to_end(key)
            return hit[1]
    value = build()
    with _lock:
        _bodies[key] = (now + BODY_TTL, value)
        _bodies.move_to_end(key)
        while len(_bodies) > MAX_BODIES:
            _bodies.popitem(last=False)
    return value


def forget() -> None:
    with _lock:
        _bodies.clear()
    try:
        shared = caches["shared"]
        shared.set(MARK_KEY, uuid.uuid4().hex, None)  # kept until the next change
        shared.delete(STAMP_KEY)
    except Exception:  # noqa: BLE001 - the stamp expires within STAMP_TTL anyway
        logger.warning("Could not drop the public list stamp; it expires within %ss.", STAMP_TTL)


def public_list_changed() -> None:
    """Make the next request rebuild the list: now, and again after commit."""
    forget()
    transaction.on_commit(forget, robust=True)


def _on_change(sender, **kwargs) -> None:
    public_list_changed()


for _model in (SocialAccount, Platform, Unit, Administration):
    post_save.connect(_on_change, sender=_model, dispatch_uid=f"public-list-{_model.__name__}")
    post_delete.connect(_on_change, sender=_model, dispatch_uid=f"public-list-d-{_model.__name__}")
