from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


escrow_overview = escrow_deposit = escrow_reveal = access_request_create = access_requests = (
    access_request_decide
) = _todo
