"""Every login, local or through the identity provider, is recorded with its
assurance (``LoginEvent``); django-axes keeps its own access log beside it."""

from accounts.sso.services import login_record


def record_login(sender, request, user, **kwargs) -> None:
    if request is None:
        return
    login_record(request=request, user=user)
