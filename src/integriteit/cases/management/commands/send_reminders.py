import datetime

from django.core.management.base import CommandError
from django.utils import timezone

from integriteit.cases.reminders import send_due_reminders
from integriteit.crypto.keycheck import KeyCheckedCommand


def parse_moment(value: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--now: not an ISO 8601 date and time: {value!r}") from error
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(KeyCheckedCommand):
    help = (
        "Send the reminders that are due (acknowledgement, interim and final feedback, "
        "aftercare, evaluation). Idempotent: safe to run every minute."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            type=parse_moment,
            help="Act as if it were this moment (ISO 8601), for tests and dry runs.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only show what would be sent; records and sends nothing.",
        )

    def handle(self, *args, now=None, dry_run=False, **options):
        run = send_due_reminders(now, dry_run=dry_run)
        verb = "Would send" if dry_run else "Sent"
        for item in run.sent:
            self.stdout.write(
                f"{verb} {item.kind} ({item.stage}) for {item.reference}, "
                f"due {timezone.localtime(item.deadline):%Y-%m-%d %H:%M}, "
                f"to {item.recipients} recipient(s)"
            )
        counts = ", ".join(f"{kind}: {n}" for kind, n in run.counts.items())
        self.stdout.write(f"{verb} {run.total} reminder(s) ({counts}).")
