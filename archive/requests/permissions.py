"""Who sees requests for public documents: the registrar (the model permission
``archive.handle_records_requests`` on the group) and the people on an
administration's delegation list, for that administration's requests; the
security coordinator sees the requests marked as threats. Anyone else gets
404 for a request, the same as a missing one."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from archive.requests.models import Delegation, RecordsRequest


def can_handle(user: User) -> bool:
    return user.is_authenticated and user.has_perm("archive.handle_records_requests")


def delegated_administrations(user: User) -> list[int]:
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    return list(
        Delegation.objects.filter(user=user, valid_from__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .values_list("administration_id", flat=True)
    )


def is_security_coordinator(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.SECURITY_COORDINATOR)


def can_use_requests(user: User) -> bool:
    """Whether the request pages are for this person at all (else 403)."""
    return (
        can_handle(user) or bool(delegated_administrations(user)) or is_security_coordinator(user)
    )


def visible_requests(user: User) -> QuerySet[RecordsRequest]:
    qs = RecordsRequest.objects.all()
    if can_handle(user):
        return qs
    condition = Q(administration_id__in=delegated_administrations(user))
    if is_security_coordinator(user):
        condition |= Q(is_threat=True)
    return qs.filter(condition)


def get_request_for_user(user: User, pk: int) -> RecordsRequest:
    found = (
        visible_requests(user)
        .select_related("case", "administration", "assigned_to")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def can_decide(user: User, request: RecordsRequest) -> bool:
    """Decisions are made by the person with delegation for the administration."""
    return request.administration_id in delegated_administrations(user)
