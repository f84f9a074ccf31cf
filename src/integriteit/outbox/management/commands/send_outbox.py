"""Send every e-mail in the outbox whose next try is due (ADR 0017). Run it every minute from
cron or a systemd timer: it is idempotent, and safe beside the delivery after each commit."""

from django.core.management.base import BaseCommand

from integriteit.outbox import services


class Command(BaseCommand):
    help = "Send the e-mail waiting in the outbox; failed messages are tried again later."

    def handle(self, *args, **options):
        sent, failed = services.deliver()
        waiting = services.waiting_count()
        self.stdout.write(f"Sent {sent}, failed {failed}, waiting {waiting}.")
