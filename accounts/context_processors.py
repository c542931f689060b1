from accounts.navigation import navigation_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "unread_count": 0}
    return {"nav_items": navigation_for(request), "unread_count": _unread(user)}


def _unread(user) -> int:
    return user.notifications.filter(read_at__isnull=True).count()
