from django.contrib import admin

from archive.models import SecrecyProvision
from nora_social.core.admin_base import NoraAdmin


@admin.register(SecrecyProvision)
class SecrecyProvisionAdmin(NoraAdmin):
    """The maintained list of OSL provisions for secrecy markings: reference
    data, kept in the admin (ended by unticking "används", never deleted)."""

    editable = True
    list_display = ("provision", "description", "active")
    search_fields = ("provision", "description")
