"""Remove from the key file every KEK version no stored data key needs any more (ADR 0003).

The last step of a rotation, after `rewrap_keys` has moved every data key to the current KEK.
The previous document is kept beside the file (`<file>.<UTC time>.bak`, mode 600): database
backups from before the re-wrap still need the old KEK. The check of the remaining document and
the removal of the retired fingerprints (ADR 0011) happen in one transaction with the audit entry.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction

from integriteit.crypto.holders import kek_versions_in_use
from integriteit.crypto.keycheck import KeyCheckedCommand, verify_and_record
from integriteit.crypto.keys import (
    keep_previous,
    keyring,
    parse_keyring,
    without_keks,
    write_key_file,
)


class Command(KeyCheckedCommand):
    help = (
        "Remove from the key file the KEK versions that no stored data key needs (run after "
        "`rewrap_keys`), keeping a copy of the previous file."
    )

    def handle(self, *args, **options):
        if settings.INTEGRITEIT_KEYS_JSON:
            raise CommandError(
                "INTEGRITEIT_KEYS is set: remove the old KEK versions from the JSON by hand and "
                "restart; the key check forgets them once no stored data needs them."
            )
        path = Path(settings.INTEGRITEIT_KEY_FILE)
        ring = keyring()
        in_use = kek_versions_in_use()
        retired = {v for v in ring.keks if v != ring.current_kek and v not in in_use}
        if not retired:
            needed = ", ".join(sorted(in_use)) or "none"
            self.stdout.write(
                f"Nothing to retire. KEK versions stored data keys need: {needed}; current: "
                f"{ring.current_kek}. Run `rewrap_keys` first if an old version is still needed."
            )
            return
        document = without_keks(ring, retired)
        # Imported here: crypto sits below audit in the dependency order.
        from integriteit.audit.services import SYSTEM, record

        versions = ", ".join(sorted(retired))
        with transaction.atomic():
            # Checks the remaining document again, now: a data key wrapped under an old version
            # since the count above makes this refuse.
            verify_and_record(parse_keyring(document))
            record(SYSTEM, "keys.retired", "kek", versions, {"versions": sorted(retired)})
            backup = keep_previous(path)
            write_key_file(path, document)
        keyring.cache_clear()
        self.stdout.write(
            self.style.SUCCESS(f"Removed KEK version {versions} from {path} (mode 600).")
        )
        self.stdout.write(
            f"The previous document, which still holds it, is kept at {backup} (mode 600). "
            "Back it up apart from the database backups and keep it as long as you keep database "
            "backups from before `rewrap_keys`; then destroy it and its copies."
        )
        self.stdout.write("Next: restart every application server.")
