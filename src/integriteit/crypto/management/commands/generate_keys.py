from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from integriteit.crypto.keys import keyring, new_key_document, parse_keyring, write_key_file


class Command(BaseCommand):
    help = (
        "Create the key file (KEK, receipt-code pepper, audit key) or, with --rotate, add a new "
        "KEK version. Back the file up apart from the database: losing it loses the data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rotate", action="store_true", help="Add a new current KEK.")
        parser.add_argument(
            "--if-missing", action="store_true", help="Do nothing when the key file exists."
        )

    def handle(self, *args, rotate=False, if_missing=False, **options):
        path = Path(settings.INTEGRITEIT_KEY_FILE)
        if path.exists() and if_missing and not rotate:
            self.stdout.write(f"Key file {path} exists; left unchanged.")
            return
        if path.exists() and not rotate:
            raise CommandError(f"{path} exists. Use --rotate to add a new KEK version.")
        existing = parse_keyring(path.read_text()) if rotate and path.exists() else None
        write_key_file(path, new_key_document(existing))
        keyring.cache_clear()
        self.stdout.write(self.style.SUCCESS(f"Keys written to {path} (mode 600)."))
        if rotate:
            self.stdout.write("Now run `manage.py rewrap_keys` to re-wrap every data key.")
