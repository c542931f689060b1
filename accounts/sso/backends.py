"""Local passwords: every account while LOCAL_LOGIN_ENABLED is on (development,
and before sign-on is configured), only the break-glass accounts once it is off."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


def local_login_allowed(username: str | None) -> bool:
    return bool(settings.LOCAL_LOGIN_ENABLED) or (
        bool(username) and username in settings.BREAK_GLASS_USERNAMES
    )


class LocalPasswordBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None or not local_login_allowed(username):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
