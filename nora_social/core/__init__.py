"""The kernel: what several apps share, importing no app (README, Architecture).

Encryption at rest (``crypto``), the event registry apps fire their hooks through
(``hooks``), environment helpers (``env``), CSV cells safe from formula injection
(``csv_cells``), the one file mode (``file_modes``), the history author
(``history``), the read-only admin base (``admin_base``), ids posted in forms
(``fields``), the anonymous-form guard (``public_forms``), upload checks and file
hashes (``uploads``), PDF/A rendering and checking (``pdf``), the status-transition
table and its checks (``transitions``), the append-only model base for records
written once (``append_only``), the one refusal type of services and the one way a
form shows it (``errors``), the base of every Celery task (``tasks``) and the
record-kind registry through which apps tell the archive about their records
(``records``).
``tests/test_architecture.py`` fails when a module here imports an app.
"""
