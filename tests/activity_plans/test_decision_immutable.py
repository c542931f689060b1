"""A decision (and a submitted version) is recorded once and never edited."""

import pytest
from django.db import DatabaseError, transaction

from activity_plans.models import Decision, PlanRevision


def test_decision_cannot_be_saved_again(submitted):
    decision = submitted.decisions.get()
    decision.comment = "Ändrat i efterhand"
    with pytest.raises(ValueError):
        decision.save()


def test_decision_cannot_be_deleted(submitted):
    with pytest.raises(ValueError):
        submitted.decisions.get().delete()


def test_database_refuses_update_of_a_decision(submitted):
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.filter(plan=submitted).update(comment="x")
    assert Decision.objects.get(plan=submitted).comment == ""


def test_database_refuses_update_of_a_revision(submitted):
    with pytest.raises(DatabaseError), transaction.atomic():
        PlanRevision.objects.filter(plan=submitted).update(number=9)
