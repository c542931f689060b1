from django.contrib import messages
from django.shortcuts import redirect

from accounts.permissions import PolicyNotAcknowledged


class PolicyGateMiddleware:
    """A service refused an action because the person has not acknowledged the
    current policy (§12): tell them why and send them to the policy, whichever
    view (or admin action) asked. Nothing was saved: the refusal is raised inside
    the service's transaction."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PolicyNotAcknowledged):
            return None
        return policy_redirect(request, exception.message)


def policy_redirect(request, message: str):
    messages.error(request, message)
    return redirect("accounts:policy")


def policy_gate_response(request):
    """For views of a gated action: the redirect to the policy when the person
    must acknowledge it first, before they fill in a form in vain; else None."""
    from accounts.permissions import policy_refusal

    message = policy_refusal(request.user)
    return policy_redirect(request, message) if message else None
