"""Create the key file, or with --rotate add a new current KEK (ADR 0003, ADR 0011).

A new document is only for an empty database: over stored data it would make every report,
receipt code, exclusion and audit MAC useless, so the command refuses (issue 8 item 4). Rotation
first checks the existing document against the database, keeps a copy of it beside the file
(`<file>.<UTC time>.bak`, mode 600) and records the new KEK's fingerprint (issue 8 item 12).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from integriteit.crypto.keycheck import (
    KeyCheckFailed,
    checked_keyring,
    stored_data,
    verify_and_record,
)
from integriteit.crypto.keys import (
    keep_previous,
    keyring,
    new_key_document,
    parse_keyring,
    write_key_file,
)

ENVIRONMENT_VARIANT = (
    "INTEGRITEIT_KEYS is set, so the key document comes from the environment and this command "
    "would write a file nobody reads. Rotate by hand: add a KEK version to the JSON, set "
    "current_kek, then run `manage.py verify_keys --accept-current-kek` and restart "
    '(docs/deployment.md, "Keys").'
)


class Command(BaseCommand):
    help = (
        "Create the key file (KEK, receipt-code pepper, audit key, exclusion key) for a new, "
        "empty database or, with --rotate, add a new current KEK version, keeping a copy of the "
        "previous file. Back the file up apart from the database: losing it loses the data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rotate", action="store_true", help="Add a new current KEK.")
        parser.add_argument(
            "--if-missing", action="store_true", help="Do nothing when the key file exists."
        )

    def handle(self, *args, rotate=False, if_missing=False, **options):
        if settings.INTEGRITEIT_KEYS_JSON:
            raise CommandError(ENVIRONMENT_VARIANT)
        path = Path(settings.INTEGRITEIT_KEY_FILE)
        if rotate:
            self._rotate(path)
        elif path.exists() and if_missing:
            self.stdout.write(f"Key file {path} exists; left unchanged.")
        elif path.exists():
            raise CommandError(f"{path} exists. Use --rotate to add a new KEK version.")
        else:
            self._create(path)

    def _create(self, path: Path) -> None:
        try:
            holding = stored_data()
        except DatabaseError as error:
            raise CommandError(
                f"Cannot ask the database whether it already holds data: {error}"
            ) from error
        if holding:
            raise CommandError(
                f"No key file at {path}, but the database already holds data written with a key "
                f"document ({', '.join(holding)}). A new document would make all of it "
                "unreadable. Restore the key document from its backup to that path (or set "
                "INTEGRITEIT_KEY_FILE to where it is); a new one is only for an empty database."
            )
        write_key_file(path, new_key_document())
        keyring.cache_clear()
        self.stdout.write(self.style.SUCCESS(f"Keys written to {path} (mode 600)."))
        self.stdout.write("Back this file up now, apart from the database backups.")

    def _rotate(self, path: Path) -> None:
        if not path.exists():
            raise CommandError(f"No key file at {path} to rotate.")
        try:
            old = checked_keyring()
        except KeyCheckFailed as failure:
            raise CommandError(f"Not rotating: {failure}") from failure
        document = new_key_document(old)
        new = parse_keyring(document)
        # Imported here: crypto sits below audit in the dependency order.
        from integriteit.audit.services import SYSTEM, record

        # The fingerprint first, the file inside the same transaction: a file that cannot be
        # written leaves nothing recorded (and a recorded KEK the file lacks is forgotten).
        with transaction.atomic():
            verify_and_record(new, accept_current_kek=True)
            record(SYSTEM, "keys.rotated", "kek", new.current_kek, {"previous": old.current_kek})
            backup = keep_previous(path)
            write_key_file(path, document)
        keyring.cache_clear()
        self.stdout.write(
            self.style.SUCCESS(
                f"KEK version {new.current_kek} added and made current in {path} (mode 600)."
            )
        )
        self.stdout.write(
            f"The previous document is kept at {backup} (mode 600). Back up both files now, "
            "apart from the database backups. Keep the previous document as long as you keep "
            f"database backups from before this rotation, then destroy it (it holds KEK version "
            f"{old.current_kek}, which `retire_keys` removes from {path.name})."
        )
        self.stdout.write(
            "Next: restart every application server, then run `manage.py rewrap_keys`."
        )
