"""Views of the register for staff (being written)."""

from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


account_list = account_create = name_check = account_detail = account_edit = account_people = _todo
member_change = account_checklist = account_naming_override = account_activate = _todo
account_start_closing = account_close = account_history = person_competence = _todo
platform_list = platform_create = platform_edit = _todo
