"""Finish the ordered imports of earlier registers in batches (registry/imports.py), and cancel
imports left unfinished for a week. Idempotent; `run_scheduler` runs it every minute."""

from django.core.management.base import BaseCommand

from integriteit.registry import imports


class Command(BaseCommand):
    help = "Import the ordered registers in batches; cancel the abandoned ones."

    def handle(self, *args, **options):
        for job in imports.run_pending():
            self.stdout.write(f"import {job.pk}: {job.imported_rows} of {job.to_import} rows")
