"""Who may see and act on captured content: the same people as the
account's moderation log (``moderation.permissions``); the platforms reach the
webhook only with a valid signature."""

import hashlib
import hmac

from django.conf import settings

from accounts.models import User
from channels_registry.models import SocialAccount
from moderation.permissions import can_log, can_view_log


def can_view_capture(user: User, account: SocialAccount) -> bool:
    return can_view_log(user, account)


def can_act_on_capture(user: User, account: SocialAccount) -> bool:
    return can_log(user, account)


def meta_signature_ok(body: bytes, header: str) -> bool:
    """``X-Hub-Signature-256: sha256=<hex>``: HMAC-SHA256 of the raw body with
    the app secret, compared in constant time. No secret configured: refused."""
    secret = settings.CAPTURE_META_APP_SECRET
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip())


def meta_handshake_ok(mode: str, token: str) -> bool:
    configured = settings.CAPTURE_META_VERIFY_TOKEN
    return bool(configured) and mode == "subscribe" and hmac.compare_digest(configured, token)
