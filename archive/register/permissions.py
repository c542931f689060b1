"""Who may use the register (DESIGN.md "Who uses it").

The registrar and the information officer search and register (model
permissions on their groups). Staff see the documents of the accounts they may
see; a document without an account only the registrar. A document the person may
not see answers 404, the same as a missing one. Cases: the registrar opens,
links and closes them (``archive.manage_cases``); who sees a case follows the
same rule as its documents.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from archive.models import Case, Document
from channels_registry.permissions import can_view_account


def can_search(user: User) -> bool:
    return user.is_authenticated and user.has_perm("archive.search_register")


def can_register(user: User) -> bool:
    return user.is_authenticated and user.has_perm("archive.register_document")


def can_view_document(user: User, document: Document) -> bool:
    if not user.is_authenticated:
        return False
    if user.has_perm("archive.view_document"):
        return True
    return document.account is not None and can_view_account(user, document.account)


def can_read_document_files(user: User, document: Document) -> bool:
    """A document's own files: whoever sees the document, but a secret one's
    content only those who see every document (the registrar, the information
    officer), as its secrecy marking asks (OSL 5 kap. 5 §)."""
    if not can_view_document(user, document):
        return False
    return not document.is_secret or user.has_perm("archive.view_document")


def get_document_for_user(user: User, pk: int) -> Document:
    document = get_object_or_404(
        Document.objects.select_related(
            "case__administration", "account__platform", "account__unit", "handling_officer"
        ),
        pk=pk,
    )
    if not can_view_document(user, document):
        raise Http404
    return document


def can_manage_cases(user: User) -> bool:
    """The registrar opens cases, files documents into them, links and closes them."""
    return user.is_authenticated and user.has_perm("archive.manage_cases")


def can_view_case(user: User, case: Case) -> bool:
    if not user.is_authenticated:
        return False
    if user.has_perm("archive.view_case"):
        return True
    return case.account is not None and can_view_account(user, case.account)


def get_case_for_user(user: User, pk: int) -> Case:
    """The case, or 404 both when it is missing and when the person may not see it."""
    case = get_object_or_404(
        Case.objects.select_related("administration", "account__platform", "opened_by"), pk=pk
    )
    if not can_view_case(user, case):
        raise Http404
    return case
