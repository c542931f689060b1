from django import forms

from accounts.models import GroupMapping


class GroupMappingForm(forms.ModelForm):
    class Meta:
        model = GroupMapping
        fields = ["idp_group", "role", "unit"]
