from django.core.management.base import CommandError

from integriteit.audit.services import verify_chain
from integriteit.crypto.keycheck import KeyCheckedCommand


class Command(KeyCheckedCommand):
    help = "Verify the audit log's hash chain; name the first broken entry and exit 1 if any."

    def handle(self, *args, **options):
        result = verify_chain()
        if result.intact:
            self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {result.checked} entries."))
            return
        broken = result.first_broken
        assert broken is not None
        raise CommandError(
            f"Audit chain broken at entry #{broken.sequence} (id {broken.pk}, "
            f"{broken.timestamp:%Y-%m-%d %H:%M:%S}, {broken.action}): {result.reason}. "
            f"{result.checked} entries before it are intact."
        )
