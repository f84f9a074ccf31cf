"""Re-wrap every stored data key under the current KEK (after `generate_keys --rotate`).

Every model registered in `integriteit.crypto.holders` is covered: reports, confidential
advisers' log entries and whatever later modules register. Idempotent: keys already wrapped under
the current KEK are skipped. Works in batches, each batch one transaction with its own audit
entry, so an interrupted run can simply be restarted. Once it reports nothing left, the old KEK
versions can be removed from the key file (`retire_keys`). Refuses under a key document that does
not fit the database (ADR 0011).
"""

from django.core.management.base import CommandError
from django.db import transaction

from integriteit.crypto.envelope import DecryptionError, WrappedKey, rewrap
from integriteit.crypto.holders import KeyHolder, kek_versions_in_use, key_holders
from integriteit.crypto.keycheck import KeyCheckedCommand
from integriteit.crypto.keys import keyring


class Command(KeyCheckedCommand):
    help = (
        "Re-wrap every stored data key under the current KEK. Run after "
        "`generate_keys --rotate`; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Keys per transaction (default 500)."
        )

    def handle(self, *args, batch_size=500, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        keyring.cache_clear()
        current = keyring().current_kek
        total = 0
        for holder in key_holders():
            count = self._rewrap_holder(holder, current, batch_size)
            self.stdout.write(f"{holder.label}: {count} re-wrapped")
            total += count
        self.stdout.write(
            self.style.SUCCESS(f"Re-wrapped {total} data key(s) under KEK version {current}.")
        )
        in_use = kek_versions_in_use()
        unused = sorted(v for v in keyring().keks if v != current and v not in in_use)
        if unused:
            self.stdout.write(
                f"No stored data key needs KEK version {', '.join(unused)} any more: "
                "`manage.py retire_keys` removes it from the key file."
            )

    def _rewrap_holder(self, holder: KeyHolder, current: str, batch_size: int) -> int:
        # Imported here: crypto sits below audit in the dependency order.
        from integriteit.audit.services import SYSTEM, record

        wrapped_field, version_field = holder.wrapped_field, holder.version_field
        total = 0
        last_pk = None
        while True:
            with transaction.atomic():
                pending = holder.wrapped().exclude(**{version_field: current}).order_by("pk")
                if last_pk is not None:
                    pending = pending.filter(pk__gt=last_pk)
                batch = list(
                    pending.select_for_update().only("pk", wrapped_field, version_field)[
                        :batch_size
                    ]
                )
                if not batch:
                    return total
                versions: dict[str, int] = {}
                for row in batch:
                    old_version = getattr(row, version_field)
                    try:
                        wrapped = rewrap(
                            WrappedKey(bytes(getattr(row, wrapped_field)), old_version),
                            holder.owner(row),
                        )
                    except DecryptionError as error:
                        raise CommandError(
                            f"Cannot unwrap the data key of {holder.label} {row.pk}: {error}"
                        ) from error
                    versions[old_version] = versions.get(old_version, 0) + 1
                    setattr(row, wrapped_field, wrapped.ciphertext)
                    setattr(row, version_field, wrapped.kek_version)
                holder.model._default_manager.bulk_update(batch, [wrapped_field, version_field])
                record(
                    SYSTEM,
                    "keys.rewrapped",
                    "kek",
                    current,
                    {"holder": holder.label, "count": len(batch), "from_versions": versions},
                )
                total += len(batch)
                last_pk = batch[-1].pk
