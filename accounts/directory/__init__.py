"""The staff directory (issue 16): a periodic task reads Microsoft Graph (Entra ID)
or LDAP (on-premise AD) and keeps the people who signed on current: names,
units, managers, roles from the same group mappings sign-on applies, and
leavers marked inactive on the day the directory says so."""
