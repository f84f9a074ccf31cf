"""Re-wrap every report's data key under the current KEK (after `generate_keys --rotate`).

Idempotent: reports already wrapped under the current KEK are skipped. Works in batches, each
batch one transaction with its own audit entry, so an interrupted run can simply be restarted.
Once it reports nothing left, the old KEK versions can be removed from the key file.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from integriteit.crypto.envelope import DecryptionError, WrappedKey, rewrap
from integriteit.crypto.keys import keyring


class Command(BaseCommand):
    help = (
        "Re-wrap every report's data key under the current KEK. Run after "
        "`generate_keys --rotate`; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Reports per transaction (default 500)."
        )

    def handle(self, *args, batch_size=500, **options):
        # Imported here: crypto sits below reports and audit in the dependency order.
        from integriteit.audit.services import SYSTEM, record
        from integriteit.reports.models import Report

        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        keyring.cache_clear()
        current = keyring().current_kek
        total = 0
        last_pk = None
        while True:
            with transaction.atomic():
                # A report whose data key was destroyed (ADR 0008) has no version and no key.
                pending = Report.objects.exclude(kek_version__in=[current, ""]).order_by("pk")
                if last_pk is not None:
                    pending = pending.filter(pk__gt=last_pk)
                batch = list(
                    pending.select_for_update().only("pk", "wrapped_key", "kek_version")[
                        :batch_size
                    ]
                )
                if not batch:
                    break
                versions: dict[str, int] = {}
                for report in batch:
                    owner = f"report:{report.pk}"
                    try:
                        wrapped = rewrap(
                            WrappedKey(bytes(report.wrapped_key), report.kek_version), owner
                        )
                    except DecryptionError as error:
                        raise CommandError(
                            f"Cannot unwrap the data key of report {report.pk}: {error}"
                        ) from error
                    versions[report.kek_version] = versions.get(report.kek_version, 0) + 1
                    report.wrapped_key = wrapped.ciphertext
                    report.kek_version = wrapped.kek_version
                Report.objects.bulk_update(batch, ["wrapped_key", "kek_version"])
                record(
                    SYSTEM,
                    "keys.rewrapped",
                    "kek",
                    current,
                    {"count": len(batch), "from_versions": versions},
                )
                total += len(batch)
                last_pk = batch[-1].pk
        self.stdout.write(
            self.style.SUCCESS(f"Re-wrapped {total} data key(s) under KEK version {current}.")
        )
