"""Connections of accounts to the platforms' APIs for capture (issue 17).

The register owns the connection and its access token, escrowed like other
credentials (encrypted with MultiFernet, never logged, shown or kept in
history); moderation's capture reads through it and reports the token's
health and quota back here, where the compliance rule turns a failing
connection into a finding for the account's people ("kontot arkiveras inte").
"""
