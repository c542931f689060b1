"""Events through which later apps react to activity plans without this app
importing them (DESIGN.md: imports point one way).

Register in ``AppConfig.ready``::

    hooks.register(hooks.PLAN_APPROVED, register_plan_after_commit)

A ``PLAN_APPROVED`` hook takes ``plan`` (the ``ActivityPlan``, now approved; its
PDF is rendered by a task after commit, so it may not be stored yet) and ``actor`` (the information officer who gave the final approval)
keyword arguments and runs inside the approval transaction, so an error in it
rolls the approval back. A hook that writes elsewhere (the register) defers its
work with ``transaction.on_commit``, as the archive does.
"""

from nora_social.core.hooks import Events

PLAN_APPROVED = "plan_approved"

_events = Events()
register, unregister, fire = _events.register, _events.unregister, _events.fire
