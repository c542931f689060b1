"""The project's Celery app for a worker process the fault tests start and kill:
the same app, with a short Redis visibility timeout so a message whose worker
died is handed out again within seconds (production waits two hours)."""

import os

from nora_social.celery import app

app.conf.broker_transport_options = {
    **(app.conf.broker_transport_options or {}),
    "visibility_timeout": int(os.environ.get("FAULTS_VISIBILITY_TIMEOUT", "3")),
    "unacked_restore_interval": 1,
}

__all__ = ["app"]
