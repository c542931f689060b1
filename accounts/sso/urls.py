"""Sign-on's addresses. Not namespaced: djangosaml2 and mozilla-django-oidc
reverse their own URL names (``saml2_acs``, ``oidc_callback``)."""

from django.urls import path

from accounts.directory import scim
from accounts.sso import oidc, saml, views

urlpatterns = [
    path("oidc/logga-in/", oidc.OIDCLoginView.as_view(), name="oidc_login"),
    path("oidc/callback/", oidc.OIDCCallbackView.as_view(), name="oidc_callback"),
    path("saml2/login/", saml.SAMLLoginView.as_view(), name="saml2_login"),
    path("saml2/acs/", saml.SAMLAssertionConsumerView.as_view(), name="saml2_acs"),
    path("saml2/metadata/", saml.SAMLMetadataView.as_view(), name="saml2_metadata"),
    path("scim/v2/Users", scim.users, name="scim_users"),
    path("scim/v2/Users/<str:pk>", scim.user, name="scim_user"),
    path("logga-in/ingen-atkomst/", views.sso_refused, name="sso_refused"),
    path("installningar/inloggning/", views.mapping_list, name="sso_mappings"),
    path("installningar/inloggning/ny/", views.mapping_edit, name="sso_mapping_add"),
    path("installningar/inloggning/<int:pk>/", views.mapping_edit, name="sso_mapping_edit"),
    path(
        "installningar/inloggning/<int:pk>/ta-bort/",
        views.mapping_remove,
        name="sso_mapping_remove",
    ),
]
