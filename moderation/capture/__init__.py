"""Capture from the platforms (issue 17): what the accounts publish and receive
reaches the archive by itself.

Webhooks are a trigger and the API is the truth: a webhook's raw event is stored
before it is acknowledged and processed by a task; a poll per account catches
what webhooks missed. Every captured object keeps every version (an edit is a
new version, a deletion or hiding is recorded when first seen missing), chained
per account by SHA-256, and the raw HTTP exchanges are written as WARC files.
"""
