from django.core.management.base import CommandError

from integriteit.cases.management.commands.send_reminders import parse_moment
from integriteit.cases.retention import RetentionRefused, remove_personal_data
from integriteit.crypto.keycheck import KeyCheckedCommand


class Command(KeyCheckedCommand):
    help = (
        "Remove the personal data of closed cases past their retention term (RULES R9), "
        "keeping the anonymous registry facts. Idempotent; run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only show which cases would be handled and what they hold; change nothing.",
        )
        parser.add_argument(
            "--now",
            type=parse_moment,
            help="Act as if it were this moment (ISO 8601), for tests and dry runs.",
        )

    def handle(self, *args, dry_run=False, now=None, **options):
        try:
            run = remove_personal_data(now, dry_run=dry_run)
        except RetentionRefused as refused:
            raise CommandError(
                "Refusing to remove personal data:\n- " + "\n- ".join(refused.problems)
            ) from refused
        verb = "Would remove" if dry_run else "Removed"
        for case in run.removed:
            counts = ", ".join(f"{name}: {n}" for name, n in case.removed.items() if n)
            self.stdout.write(f"{verb} personal data of {case.reference} ({counts})")
        for reference in run.held_back:
            self.stdout.write(f"Kept {reference}: a complaint about its handling is still open")
        self.stdout.write(f"{verb} personal data of {run.total} case(s).")
