"""Hooks through which later apps take part in the register without this app
importing them (DESIGN.md: imports point one way).

Register in ``AppConfig.ready``:

    hooks.register(hooks.CLOSE_PRECONDITIONS, archive_final_snapshot_missing)

The events and the arguments they are called with:

``APPROVED_PLAN_CHECKS`` (precondition)
    ``fn(plan_id, *, account_id, data)`` returns why ``plan_id`` is not an
    approved activity plan for exactly this change (Swedish messages): for a new
    account ``account_id`` is ``None`` and ``data`` is its ``AccountData``; for an
    amendment ``account_id`` is the account and ``data`` is ``None``. The plans app
    answers it. With no hook registered every plan is refused (§2–§3).
``DIRECT_REGISTRATION_PRECONDITIONS`` (precondition)
    ``fn(data, *, is_pre_existing)`` with the proposed ``AccountData`` says why it
    may not be registered without a plan (the plans app: only pre-existing
    accounts enter directly, §2–§3).
``CLOSE_PRECONDITIONS`` (precondition)
    ``fn(account)`` returns the unmet conditions for closing ``account``.
``ACCOUNT_CLOSING`` (event, after commit)
    ``fn(*, account_id, actor)`` once an account has started closing.
``ACCOUNT_CHANGED`` (event, after commit)
    ``fn(*, account_id)`` after any change to an account or its people.
``NAME_PROPOSERS``
    ``fn(user)`` returns ``[True]`` when ``user`` may propose an account's name
    (the plans app: who writes or approves activity plans), so the one name
    check answers them too; the information officer always may.
``CLOSURE_RECEIPT``
    ``fn(account)`` with a closed account returns lines (Swedish) for the receipt
    its closer is shown: what the later app archived.
"""

from nora_social.core.hooks import Events

APPROVED_PLAN_CHECKS = "approved_plan_checks"
DIRECT_REGISTRATION_PRECONDITIONS = "direct_registration_preconditions"
CLOSE_PRECONDITIONS = "close_preconditions"
ACCOUNT_CLOSING = "account_closing"
ACCOUNT_CHANGED = "account_changed"
CLOSURE_RECEIPT = "closure_receipt"
NAME_PROPOSERS = "name_proposers"

_events = Events()
register, unregister, fire, unmet, collect, count = (
    _events.register,
    _events.unregister,
    _events.fire,
    _events.unmet,
    _events.collect,
    _events.count,
)
