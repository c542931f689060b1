"""Rules about people and the policy (§12).

The policy gate: a person who has not acknowledged the current version of the
policy may not approve plans, deposit or reveal escrowed access, or log
moderation actions. The services of those actions call ``require_current_policy``,
so views, admin actions, tasks and commands all obey it; ``PolicyGateMiddleware``
turns the refusal into a message and a redirect to the policy page.

Before any version is published the gate is open: there is nothing to read yet,
and shutting everyone out of the register until the information officer
publishes would stop the municipality's work. The information officer is told
on the start page and the compliance dashboard that the policy is missing.
"""

from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import current_acknowledgement, current_policy


class PolicyNotAcknowledged(Exception):
    """The person must read and acknowledge the current policy first. Not a
    subclass of any app's own error, so no view swallows it as a form error."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def can_publish_policy(user: User) -> bool:
    return user.is_authenticated and user.is_current() and user.has_perm("accounts.publish_policy")


def policy_refusal(user: User) -> str | None:
    """Why the person may not act now (Swedish), or None when they may."""
    policy = current_policy()
    if policy is None:
        return None
    if current_acknowledgement(user) is not None:
        return None
    return _(
        "Du behöver läsa och kvittera den gällande policyn för sociala medier (%(version)s) "
        "innan du kan godkänna planer, deponera eller visa åtkomst eller logga "
        "modereringsåtgärder (§12)."
    ) % {"version": policy.label}


def require_current_policy(user: User) -> None:
    """§12: raise ``PolicyNotAcknowledged`` unless the person has acknowledged
    the current version (or none is published)."""
    message = policy_refusal(user)
    if message is not None:
        raise PolicyNotAcknowledged(message)


def can_manage_sign_on(user: User) -> bool:
    """The information officer keeps the table of identity-provider groups."""
    return (
        user.is_authenticated
        and user.is_current()
        and user.has_perm("accounts.change_groupmapping")
    )


def can_import_org_tree(user: User) -> bool:
    """The information officer reads in administrations, units and managers."""
    return can_manage_sign_on(user)
