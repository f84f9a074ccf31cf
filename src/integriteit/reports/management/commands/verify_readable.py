"""After a restore or a key rotation: can the stored data still be read with this key document?

Opens, for a sample of reports (or all of them), the sealed contents, the reporter's identity,
every message and every attachment (its name in the database and its file under UPLOAD_ROOT),
and for every other registered key holder (crypto.holders) unwraps its data key. Prints counts
only, never contents; exits 1 when anything cannot be read (docs/deployment.md "Backups").
"""

from collections import Counter

from django.core.management.base import CommandError

from integriteit.crypto.envelope import DecryptionError, WrappedKey, unwrap
from integriteit.crypto.holders import key_holders
from integriteit.crypto.keycheck import KeyCheckedCommand
from integriteit.reports.models import Report
from integriteit.reports.sealing import (
    open_attachment_name,
    open_content,
    open_identity,
    open_message_body,
    read_attachment,
    sealer_for,
)


def _read_report(report: Report, read: Counter) -> None:
    sealer = sealer_for(report)
    open_content(report, sealer)
    open_identity(report, sealer)
    read["reports"] += 1
    for message in report.messages.all():
        open_message_body(message, sealer)
        read["messages"] += 1
    for attachment in report.attachments.all():
        open_attachment_name(attachment, sealer)
        read_attachment(attachment, sealer)
        read["attachments"] += 1


class Command(KeyCheckedCommand):
    help = (
        "Read a sample of the stored data (reports with messages and attachment files; the data "
        "key of every other key holder) with this key document; exits 1 if anything cannot be "
        "read. Run after a restore and after a key rotation."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sample", type=int, default=200, help="Rows per kind, newest first (default 200)."
        )
        parser.add_argument("--all", action="store_true", help="Read every row.")

    def handle(self, *args, sample=200, all=False, **options):
        if sample < 1:
            raise CommandError("--sample must be at least 1.")
        read: Counter = Counter()
        failures: list[str] = []
        reports = Report.objects.submitted().exclude(kek_version="").order_by("-received_at")
        for report in reports if all else reports[:sample]:
            try:
                _read_report(report, read)
            except (DecryptionError, OSError) as error:
                failures.append(f"report {report.reference}: {error}")
        for holder in key_holders():
            if holder.model is Report:
                continue
            rows = holder.wrapped().order_by("-pk")
            for row in rows if all else rows[:sample]:
                wrapped = WrappedKey(
                    bytes(getattr(row, holder.wrapped_field)), getattr(row, holder.version_field)
                )
                try:
                    unwrap(wrapped, holder.owner(row))
                    read[holder.label] += 1
                except DecryptionError as error:
                    failures.append(f"{holder.label} {row.pk}: {error}")
        for kind, count in sorted(read.items()):
            self.stdout.write(f"{kind}: {count} read")
        if failures:
            for failure in failures[:20]:
                self.stderr.write(failure)
            raise CommandError(f"{len(failures)} stored item(s) could not be read.")
        self.stdout.write(self.style.SUCCESS("Everything sampled could be read."))
