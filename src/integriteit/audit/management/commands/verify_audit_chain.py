from django.core.management.base import CommandError

from integriteit.audit.services import ChainReport, chain_pending, verify_against_anchors
from integriteit.crypto.keycheck import KeyCheckedCommand


def _entries(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"


def broken_message(report: ChainReport) -> str:
    """Which entry is broken and why, for the operator (names no contents: entries hold none)."""
    broken = report.first_broken
    if broken is None:
        return f"Audit chain broken: {report.reason}. {report.checked} entries are intact."
    where = f"#{broken.sequence}" if broken.is_chained else "not yet chained"
    return (
        f"Audit chain broken at entry {where} (id {broken.pk}, "
        f"{broken.timestamp:%Y-%m-%d %H:%M:%S}, {broken.action}): {report.reason}. "
        f"{report.checked} entries before it are intact."
    )


class Command(KeyCheckedCommand):
    help = (
        "Chain pending audit entries and verify the audit log: the keyed hash chain, the entries "
        "not chained yet, and the anchors in AUDIT_ANCHOR_FILE. Names the first broken entry "
        "and exits 1 if anything does not match."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--require-anchor",
            action="store_true",
            help="Fail as well when AUDIT_ANCHOR_FILE holds no anchor (for production).",
        )

    def handle(self, *args, **options):
        chain_pending()
        report, path = verify_against_anchors()
        if not report.intact:
            raise CommandError(broken_message(report))
        message = f"Audit chain intact: {_entries(report.checked)}"
        if report.unchained:
            message += (
                f", and {_entries(report.unchained)} not chained yet, each verified on its own"
            )
        self.stdout.write(self.style.SUCCESS(message + "."))
        if report.anchor is None:
            missing = (
                f"No anchor in {path}: deleting the newest entries would go unnoticed. "
                "Schedule manage.py anchor_audit_chain (docs/deployment.md)."
            )
            if options["require_anchor"]:
                raise CommandError(missing)
            self.stderr.write(self.style.WARNING(missing))
        else:
            self.stdout.write(
                f"Matches the anchor of entry #{report.anchor.sequence} made at "
                f"{report.anchor.anchored_at} ({path})."
            )
