"""``python manage.py send_digests``: today's reminders of open findings now."""

from django.core.management.base import BaseCommand

from channels_registry.compliance.digest import send_digests


class Command(BaseCommand):
    help = "Send today's digest of open findings to each person responsible (once a day)."

    def handle(self, *args, **options):
        sent = send_digests()
        for log in sent:
            self.stdout.write(f"{log.recipient}: {log.items.count()} findings")
        self.stdout.write(f"Sent {len(sent)} digests.")
