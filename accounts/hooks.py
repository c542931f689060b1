"""Events through which later apps react to people's records without this app
importing them (DESIGN.md: imports point one way).

Register in ``AppConfig.ready``::

    hooks.register(hooks.POLICY_PUBLISHED, register_policy_after_commit)

A ``POLICY_PUBLISHED`` hook takes ``policy`` (the new ``PolicyVersion``) and
``actor`` (the information officer who published it) keyword arguments and runs
inside the publishing transaction, so an error in it rolls the publication back.
A hook that writes elsewhere (the register) defers its work with
``transaction.on_commit``, as the archive does.
"""

from nora_social.core.hooks import Events

POLICY_PUBLISHED = "policy_published"

# ``PERSON_LEFT``: ``fn(*, user_id, left_on)`` after the staff directory marked a
# person as gone (accounts/directory/) and the change committed. The register
# raises the people rules' findings on that person's accounts at once.
PERSON_LEFT = "person_left"

_events = Events()
register, unregister, fire = _events.register, _events.unregister, _events.fire
