"""Events through which later apps react to moderation records without this app
importing them (DESIGN.md: imports point one way).

Register in ``AppConfig.ready``::

    hooks.register(hooks.ACTION_LOGGED, register_record_if_marked)

An ``ACTION_LOGGED`` hook takes ``record`` (the new ``ModerationAction``) and
``actor`` keyword arguments and runs inside the logging transaction, so an error
in it rolls the whole entry back.
"""

from nora_social.core.hooks import Events

ACTION_LOGGED = "action_logged"

_events = Events()
register, unregister, fire = _events.register, _events.unregister, _events.fire
