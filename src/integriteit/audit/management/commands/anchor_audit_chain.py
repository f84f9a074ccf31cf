from django.core.management.base import CommandError

from integriteit.audit import anchors
from integriteit.audit.services import chain_pending, verify_against_anchors
from integriteit.crypto.keycheck import KeyCheckedCommand

from .verify_audit_chain import broken_message


class Command(KeyCheckedCommand):
    help = (
        "Chain pending audit entries, verify the chain against the earlier anchors and append "
        "its head (sequence, entry hash, time, MAC) to AUDIT_ANCHOR_FILE. Prints the anchor "
        "line, so it can be sent elsewhere as well. Refuses, exit 1, when the chain is broken."
    )

    def handle(self, *args, **options):
        chain_pending()
        report, path = verify_against_anchors()
        if not report.intact:
            raise CommandError(broken_message(report) + " Nothing was anchored.")
        anchor = anchors.Anchor.of(*report.head)
        try:
            anchors.append_anchor(anchors.anchor_file(), anchor)
        except OSError as error:
            raise CommandError(f"Cannot append to the anchor file {path}: {error}") from error
        self.stdout.write(anchor.line())
