"""``python manage.py run_compliance``: one sweep now, with a summary per rule."""

from django.core.management.base import BaseCommand, CommandError

from channels_registry.compliance import engine


class Command(BaseCommand):
    help = "Run the compliance sweep now and print a summary per rule."

    def add_arguments(self, parser):
        parser.add_argument(
            "--time-critical", action="store_true", help="Only the rules run every hour."
        )
        parser.add_argument(
            "--account", type=int, action="append", dest="accounts", help="Only this account id."
        )

    def handle(self, *args, **options):
        failed = []
        try:
            summary = engine.run_sweep(
                time_critical_only=options["time_critical"], account_ids=options["accounts"]
            )
        except engine.SweepIncomplete as exc:
            summary, failed = exc.summary, exc.summary.failed
        width = max((len(r.code) for r in engine.registered_rules()), default=10)
        for current in engine.registered_rules():
            if current.code in failed:
                count = "FAILED"
            elif current.code in summary.per_rule:
                count = str(summary.per_rule[current.code])
            else:
                continue
            self.stdout.write(f"{current.code:<{width}}  {count:>6}  {current.title}")
        self.stdout.write(
            f"Opened {summary.opened}, still open {summary.still_open}, "
            f"resolved {summary.resolved}."
        )
        if failed:
            raise CommandError(f"Rules failed: {', '.join(failed)}")
