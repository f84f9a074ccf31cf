from integriteit.crypto.keycheck import KeyCheckedCommand
from integriteit.reports.services import purge_stale_drafts


class Command(KeyCheckedCommand):
    help = "Remove report drafts that were never submitted (idempotent; safe to run often)."

    def handle(self, *args, **options):
        count = purge_stale_drafts()
        self.stdout.write(f"Removed {count} stale draft(s).")
