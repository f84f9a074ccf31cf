"""Check the key document against the database, as the application does at start (ADR 0011).

Exits 1 and says what does not fit; on first use (and on an installation from before the check,
once the stored data confirms the document) it records the fingerprints. `--accept-current-kek`
records a KEK added by hand (the INTEGRITEIT_KEYS variant of `generate_keys --rotate`), or makes
an older current KEK the newest again when a rotation is undone on purpose.
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from integriteit.crypto.holders import kek_versions_in_use
from integriteit.crypto.keycheck import kek_name, verify_and_record
from integriteit.crypto.keys import keyring


class Command(BaseCommand):
    help = (
        "Check that the key document fits this database (exit 1 and the reason if not); with "
        "--accept-current-kek, record the current KEK after adding it by hand."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--accept-current-kek",
            action="store_true",
            help="Record the document's current KEK as the newest (after a rotation by hand).",
        )

    def handle(self, *args, accept_current_kek=False, **options):
        try:
            ring = keyring()
            check = verify_and_record(ring, accept_current_kek=accept_current_kek)
        except ImproperlyConfigured as error:  # also KeyCheckFailed
            raise CommandError(str(error)) from error
        for name in sorted(check.record):
            self.stdout.write(f"Recorded the fingerprint of {name}.")
        for name in sorted(check.forget):
            self.stdout.write(f"Forgot {name}: no stored data needs it and the document lacks it.")
        in_use = ", ".join(f"{v} ({n} data keys)" for v, n in sorted(kek_versions_in_use().items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"The key document fits this database. Current KEK: {ring.current_kek}; "
                f"KEK versions in use: {in_use or 'none'}."
            )
        )
        if accept_current_kek:
            self.stdout.write(f"{kek_name(ring.current_kek)} is now the newest recorded KEK.")
