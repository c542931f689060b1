"""Hooks through which later apps react to account events without this app
importing them (DESIGN.md: imports point one way).

Register in ``AppConfig.ready``:

    hooks.register(hooks.CLOSE_PRECONDITIONS, archive_final_snapshot_missing)

``DIRECT_REGISTRATION_PRECONDITIONS`` hooks take the proposed ``AccountData`` and
``is_pre_existing`` and say why it may not be registered without a plan (the
plans app: only pre-existing accounts enter directly, §2–§3).

A precondition hook takes the account and returns a list of unmet conditions
(Swedish messages); an event hook takes ``account_id`` (and, for
``ACCOUNT_CLOSING``, ``actor``) keyword arguments. ``CLOSURE_RECEIPT`` hooks take
a closed account and return lines (Swedish) for the receipt its closer is shown:
what the later app archived.
"""

from nora_social.core.hooks import Events

DIRECT_REGISTRATION_PRECONDITIONS = "direct_registration_preconditions"
ACTIVATION_PRECONDITIONS = "activation_preconditions"
CLOSE_PRECONDITIONS = "close_preconditions"
ACCOUNT_ACTIVATED = "account_activated"
ACCOUNT_CLOSING = "account_closing"
ACCOUNT_CLOSED = "account_closed"
ACCOUNT_CHANGED = "account_changed"
CLOSURE_RECEIPT = "closure_receipt"

_events = Events()
register, unregister, fire, unmet, collect = (
    _events.register,
    _events.unregister,
    _events.fire,
    _events.unmet,
    _events.collect,
)
