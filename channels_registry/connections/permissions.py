"""Who may see an account's capture connections and who may connect one.

Seeing the health is for everyone who sees the account. Connecting, replacing a
token and disconnecting is for the people who may deposit access (the
account's managers and the information officer or deputy, §3): a token is
access to the account like a password. Nobody is ever shown a token.
"""

from accounts.models import User
from channels_registry.escrow.permissions import can_deposit
from channels_registry.models import SocialAccount
from channels_registry.permissions import can_view_account


def can_view_connections(user: User, account: SocialAccount) -> bool:
    return can_view_account(user, account)


def can_connect(user: User, account: SocialAccount) -> bool:
    return account.status != SocialAccount.Status.CLOSED and can_deposit(user, account)
