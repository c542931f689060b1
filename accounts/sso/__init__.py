"""Single sign-on with the municipality's identity provider: OpenID Connect
(Entra ID, mozilla-django-oidc) and SAML 2.0 (ADFS, djangosaml2).

Both protocols end in ``services.sign_on``: the person is matched on the
provider's stable identifier, their roles and unit follow the group mappings
the information officer keeps, and a person in no mapped group gets no access.
"""
