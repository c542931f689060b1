"""The staff directory's rules (issue 16): people are matched on the sign-on's
stable identifier, never on an e-mail address; their names, unit and roles
follow the directory (roles through the same group mappings sign-on applies);
a unit's manager is the one most of its people report to; and a person leaves
on the day the directory says so: disabled or deleted today, or a future end
date kept and applied on that day (§3, §5: people who left never count).

Every change is saved with the system actor ``katalogsynk`` as its author and
a reason in the history; the run itself is logged for the information officer.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter, defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import hooks
from accounts.directory.models import DirectoryCursor, DirectoryRun
from accounts.directory.sources import DirectoryError, DirectoryPerson, DirectorySource, Readout
from accounts.models import ExternalIdentity, GroupMapping, Unit, User
from accounts.roles import Role
from accounts.security import sessions_end
from accounts.sso.services import apply_mappings, free_username, mappings_for
from nora_social.core.history import set_history_user

logger = logging.getLogger(__name__)

SYSTEM_USERNAME = "katalogsynk"
REASON = "Katalogsynk"


def system_actor() -> User:
    """The author of the directory's changes in history: a user that cannot log
    in (inactive, no usable password) and never counts anywhere."""
    user = User.objects.filter(username=SYSTEM_USERNAME).first()
    if user is None:
        user = User(username=SYSTEM_USERNAME, first_name="Katalogsynk", is_active=False)
        user.set_unusable_password()
        set_history_user(user, None)
        user.save()
    return user


def _save(user: User, fields: list[str], actor: User, reason: str) -> None:
    set_history_user(user, actor)
    user._change_reason = f"{REASON}: {reason}"[:100]  # type: ignore[attr-defined]
    user.save(update_fields=fields)


class _Sync:
    """One run's work over the people known here, in one transaction."""

    def __init__(self, run: DirectoryRun, readout: Readout, actor: User, today: datetime.date):
        self.run, self.readout, self.actor, self.today = run, readout, actor, today
        self.by_id = {p.id: p for p in readout.people}
        identities = ExternalIdentity.objects.filter(provider=settings.DIRECTORY_IDENTITY_PROVIDER)
        if readout.pushed:
            identities = identities.filter(subject__in=[*self.by_id, *readout.removed])
        user_ids: dict[str, int] = dict(identities.values_list("subject", "user_id"))
        users = User.objects.select_for_update().in_bulk(list(user_ids.values()))
        self.user_of = {s: users[pk] for s, pk in user_ids.items() if pk in users}
        self.units = _units_by_department()
        self.leavers: list[User] = []

    def note(self, user: User, what: str) -> None:
        self.run.changes.append({"user": user.pk, "name": str(user), "what": what})

    def apply(self) -> None:
        run = self.run
        run.people_read = len(self.readout.people)
        run.matched = sum(1 for s in self.user_of if s in self.by_id or s in self.readout.removed)
        for subject, user in sorted(self.user_of.items()):
            person = self.by_id.get(subject)
            gone = subject in self.readout.removed or (self.readout.full and person is None)
            changed = False
            if person is not None and user.is_current(self.today):
                changed = self._details(user, person)
            if user.is_current(self.today) and not gone and not self.readout.pushed:
                changed = self._roles(user, self.readout.groups_of.get(subject, set())) or changed
            changed = self._leaving(user, person, gone) or changed
            run.updated += changed
        if self.readout.full:
            self._unit_managers()

    def _details(self, user: User, person: DirectoryPerson) -> bool:
        """Names and e-mail as the directory has them; the unit from the
        department when no mapped group gives one."""
        fields = []
        for field, value, limit in (
            ("first_name", person.given_name, 150),
            ("last_name", person.family_name, 150),
            ("email", person.email, 254),
        ):
            if value and getattr(user, field) != value[:limit]:
                setattr(user, field, value[:limit])
                fields.append(field)
        groups = self.readout.groups_of.get(person.id, set())
        unit = self.units.get((person.department or "").strip().lower())
        if (
            unit is not None
            and user.unit_id != unit.pk
            and not any(m.unit_id for m in mappings_for(groups))
        ):
            user.unit = unit
            fields.append("unit")
        if not fields:
            return False
        _save(user, fields, self.actor, ", ".join(fields))
        self.note(user, _("uppgifter ändrade: %(fields)s") % {"fields": _field_names(fields)})
        return True

    def _roles(self, user: User, groups: set[str]) -> bool:
        before = _roles_of(user)
        unit_before = user.unit_id
        after = set(apply_mappings(user, mappings_for(groups), actor=self.actor))
        if unit_before != user.unit_id:
            self.note(user, _("enhet ändrad efter gruppkoppling: %(unit)s") % {"unit": user.unit})
        if after == before:
            return unit_before != user.unit_id
        labels = ", ".join(str(Role(r).label) for r in sorted(after)) or _("inga")
        # The roles are Django groups, outside the user's own history table: a
        # row with the reason records who changed them and when.
        _save(user, ["username"], self.actor, f"roller {','.join(sorted(after)) or '-'}")
        self.note(user, _("roller nu: %(roles)s") % {"roles": labels})
        self.run.roles_changed += 1
        return True

    def _leaving(self, user: User, person: DirectoryPerson | None, gone: bool) -> bool:
        day = _leaving_day(person, gone, self.today)
        if day is None:
            if (
                person is not None
                and person.ends_said
                and user.is_active
                and user.left_on is not None
                and user.left_on > self.today
            ):
                user.left_on = None
                _save(user, ["left_on"], self.actor, "slutdatum borttaget")
                self.note(user, _("slutdatumet är borttaget i katalogen"))
                return True
            return self._due(user)
        if day > self.today:
            if not user.is_active or user.left_on == day:
                return False
            user.left_on = day
            _save(user, ["left_on"], self.actor, f"slutar {day}")
            self.note(user, _("slutar %(day)s enligt katalogen") % {"day": day})
            self.run.scheduled += 1
            return True
        if user.left_on is None or user.left_on > self.today:
            user.left_on = day
            if not user.is_active:
                _save(user, ["left_on"], self.actor, f"slutade {day}")
                self.note(user, _("slutade %(day)s enligt katalogen") % {"day": day})
                return True
        return self._deactivate(user)

    def _due(self, user: User) -> bool:
        """A day kept from an earlier run has come."""
        if user.is_active and user.left_on is not None and user.left_on <= self.today:
            return self._deactivate(user)
        return False

    def _deactivate(self, user: User) -> bool:
        if not user.is_active:
            return False
        user.is_active = False
        _save(user, ["is_active", "left_on"], self.actor, f"slutade {user.left_on}")
        self.note(user, _("slutade %(day)s: inaktiverad") % {"day": user.left_on})
        self.run.left += 1
        self.leavers.append(user)
        return True

    def _unit_managers(self) -> None:
        """Each unit's manager: the person most of its people report to in the
        directory (more than half of those with a known manager here)."""
        votes: dict[int, Counter[int]] = defaultdict(Counter)
        for person in self.readout.people:
            user = self.user_of.get(person.id)
            boss = self.user_of.get(person.manager_id or "")
            if user is None or boss is None or user.unit_id is None or boss.pk == user.pk:
                continue
            if user.is_current(self.today) and boss.is_current(self.today):
                votes[user.unit_id][boss.pk] += 1
        for unit in Unit.objects.select_for_update().filter(pk__in=list(votes)):
            boss_pk, count = votes[unit.pk].most_common(1)[0]
            if unit.manager_id == boss_pk or count * 2 <= sum(votes[unit.pk].values()):
                continue
            unit.manager_id = boss_pk
            set_history_user(unit, self.actor)
            unit._change_reason = f"{REASON}: chef"  # type: ignore[attr-defined]
            unit.save(update_fields=["manager"])
            boss = User.objects.get(pk=boss_pk)
            self.note(boss, _("är nu chef för %(unit)s") % {"unit": unit})
            self.run.updated += 1


def _roles_of(user: User) -> set[str]:
    return set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))


FIELD_NAMES = {
    "first_name": gettext_lazy("förnamn"),
    "last_name": gettext_lazy("efternamn"),
    "email": gettext_lazy("e-post"),
    "unit": gettext_lazy("enhet"),
}


def _field_names(fields: list[str]) -> str:
    return ", ".join(str(FIELD_NAMES[f]) for f in fields)


def _units_by_department() -> dict[str, Unit]:
    """Units by name for the directory's department attribute; a name two
    administrations share says nothing and is left out."""
    seen: dict[str, list[Unit]] = defaultdict(list)
    for unit in Unit.objects.select_related("administration"):
        seen[unit.name.strip().lower()].append(unit)
    return {name: units[0] for name, units in seen.items() if len(units) == 1}


def _leaving_day(
    person: DirectoryPerson | None, gone: bool, today: datetime.date
) -> datetime.date | None:
    if gone or (person is not None and person.enabled is False):
        return today
    if person is not None and person.ends_said and person.ends_on is not None:
        return person.ends_on
    return None


def _full_read_due(cursor: DirectoryCursor, now: datetime.datetime) -> bool:
    if not cursor.delta_link or cursor.full_read_at is None:
        return True
    return now - cursor.full_read_at >= datetime.timedelta(hours=settings.DIRECTORY_FULL_READ_HOURS)


def _finish(run: DirectoryRun, error: str = "") -> DirectoryRun:
    run.status = DirectoryRun.Status.FAILED if error else DirectoryRun.Status.OK
    run.error = error
    run.finished_at = timezone.now()
    run.save()
    return run


def directory_sync(
    *, source: DirectorySource, now: datetime.datetime | None = None
) -> DirectoryRun:
    """Read the directory once and bring the people known here up to date.
    A reading that fails changes nothing and is logged with its reason."""
    now = now or timezone.now()
    cursor, _created = DirectoryCursor.objects.get_or_create(source=source.name)
    run = DirectoryRun.objects.create(
        source=source.name, started_at=now, full_read=_full_read_due(cursor, now)
    )
    groups = list(GroupMapping.objects.values_list("idp_group", flat=True))
    try:
        readout = source.read(cursor=cursor.delta_link, full=run.full_read, groups=groups)
        run.full_read = readout.full
        if readout.full and not readout.people:
            raise DirectoryError(
                _("Katalogen gav inga personer. Ingenting ändrades; kontrollera sökbas och filter.")
            )
        leavers = _apply(run, readout, cursor, now)
    except DirectoryError as exc:
        logger.warning("Directory sync from %s failed: %s", source.name, exc.message)
        return _finish(run, error=str(exc.message))
    except Exception:
        # Whatever else broke (an answer that is not JSON, a lost connection to
        # the database) still ends the run on the page, then reaches the log.
        _finish(run, error=_("Ett oväntat fel stoppade körningen; ingenting ändrades. Se loggen."))
        raise
    for user in leavers:
        _after_leaving(user)
    return _finish(run)


@transaction.atomic
def _apply(
    run: DirectoryRun, readout: Readout, cursor: DirectoryCursor | None, now: datetime.datetime
) -> list[User]:
    sync = _Sync(run, readout, system_actor(), timezone.localdate(now))
    sync.apply()
    if cursor is not None:
        cursor.delta_link = readout.cursor
        if readout.full:
            cursor.full_read_at = now
        cursor.save()
    return sync.leavers


def directory_push(
    *,
    person: DirectoryPerson | None = None,
    removed: str = "",
    now: datetime.datetime | None = None,
) -> DirectoryRun:
    """One change the identity provider pushed (SCIM 2.0): the same rules as a
    reading, for the one person it names, logged as a run of its own."""
    now = now or timezone.now()
    readout = Readout(
        people=[person] if person is not None else [],
        removed={removed} if removed else set(),
        full=False,
        pushed=True,
    )
    run = DirectoryRun.objects.create(source="scim", started_at=now, full_read=False)
    for user in _apply(run, readout, None, now):
        _after_leaving(user)
    return _finish(run)


@transaction.atomic
def scim_person_create(*, subject: str, person: DirectoryPerson, username_hint: str) -> User:
    """A person the identity provider provisions before their first sign-on:
    created with no role (roles come from the mapped groups at sign-on and in
    the directory's readings), matched from now on by ``subject``."""
    actor = system_actor()
    user = User(
        username=free_username(username_hint or person.email or subject),
        first_name=(person.given_name or "")[:150],
        last_name=(person.family_name or "")[:150],
        email=(person.email or "")[:254],
        is_active=person.enabled is not False,
    )
    if not user.is_active:
        user.left_on = timezone.localdate()
    user.set_unusable_password()
    set_history_user(user, actor)
    user._change_reason = f"{REASON}: skapad (SCIM)"  # type: ignore[attr-defined]
    user.save()
    identity = ExternalIdentity(
        provider=settings.DIRECTORY_IDENTITY_PROVIDER, subject=subject, user=user
    )
    set_history_user(identity, actor)
    identity.save()
    return user


def _after_leaving(user: User) -> None:
    """Once the change has committed: the person's sessions end and the
    register raises the people rules' findings of their accounts."""
    ended = sessions_end(user_id=user.pk)
    logger.info("Directory: user %s left; %s session(s) ended.", user.pk, ended)
    hooks.fire(hooks.PERSON_LEFT, user_id=user.pk, left_on=user.left_on)
