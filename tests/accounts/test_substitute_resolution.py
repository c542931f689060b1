"""DESIGN.md: when the resolved approver is the author or is absent, the step goes
to the substitute registered for that unit, administration or role."""

import datetime

from django.utils import timezone

from accounts.selectors import (
    administration_head_for,
    is_information_officer_or_deputy,
    role_holder_for,
    unit_manager_for,
)
from tests.factories import AbsenceFactory, SubstituteFactory, UserFactory


def test_unit_manager_is_resolved_when_present(org):
    assert unit_manager_for(org["unit"]) == org["manager"]


def test_manager_who_is_the_author_is_replaced_by_unit_substitute(org):
    substitute = UserFactory(username="ersattare")
    SubstituteFactory(scope="unit", unit=org["unit"], person=substitute)
    assert unit_manager_for(org["unit"], exclude=org["manager"]) == substitute


def test_absent_manager_is_replaced_by_unit_substitute(org):
    substitute = UserFactory(username="ersattare")
    SubstituteFactory(scope="unit", unit=org["unit"], person=substitute)
    today = timezone.localdate()
    AbsenceFactory(user=org["manager"], starts_on=today, ends_on=today + datetime.timedelta(days=7))
    assert unit_manager_for(org["unit"]) == substitute


def test_nobody_resolved_when_manager_absent_and_no_substitute(org):
    today = timezone.localdate()
    AbsenceFactory(user=org["manager"], starts_on=today, ends_on=today)
    assert unit_manager_for(org["unit"]) is None


def test_expired_substitute_is_not_used(org):
    substitute = UserFactory(username="ersattare")
    today = timezone.localdate()
    SubstituteFactory(
        scope="unit",
        unit=org["unit"],
        person=substitute,
        valid_from=today - datetime.timedelta(days=30),
        valid_until=today - datetime.timedelta(days=1),
    )
    assert unit_manager_for(org["unit"], exclude=org["manager"]) is None


def test_head_of_administration_substitute(org):
    substitute = UserFactory(username="adm_ersattare")
    SubstituteFactory(
        scope="administration", administration=org["administration"], person=substitute
    )
    assert administration_head_for(org["administration"]) == org["head"]
    assert administration_head_for(org["administration"], exclude=org["head"]) == substitute


def test_information_officer_deputy_stands_in(info_officer, info_deputy):
    assert role_holder_for("kommunchef") == info_officer
    assert role_holder_for("kommunchef", exclude=info_officer) == info_deputy
    assert is_information_officer_or_deputy(info_deputy)


def test_person_who_left_is_never_resolved(org):
    org["manager"].left_on = timezone.localdate() - datetime.timedelta(days=1)
    org["manager"].save()
    assert unit_manager_for(org["unit"]) is None


def test_staff_is_not_information_officer(staff):
    assert not is_information_officer_or_deputy(staff)
