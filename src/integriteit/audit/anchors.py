"""The chain's head, anchored outside the database (ADR 0006; issue 8 item 6).

Someone who can write to the database can delete the newest entries, or all of them, and leave a
shorter chain that verifies. `anchor_audit_chain` therefore appends the head (sequence and entry
hash, with the time and a MAC under the audit key) to AUDIT_ANCHOR_FILE, a file that must live
where the database's operators cannot write; `verify_audit_chain` fails when an anchored entry is
missing or differs. One JSON object per line, appended, never rewritten.
"""

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from integriteit.crypto.tokens import audit_mac


class AnchorError(Exception):
    """The anchor file cannot be trusted: a line that does not parse or is not authentic."""


@dataclass(frozen=True)
class Anchor:
    sequence: int
    entry_hash: str
    anchored_at: str
    mac: str

    @staticmethod
    def mac_of(sequence: int, entry_hash: str, anchored_at: str) -> str:
        return audit_mac(f"audit-anchor:{sequence}:{entry_hash}:{anchored_at}".encode())

    @classmethod
    def of(cls, sequence: int, entry_hash: str) -> "Anchor":
        anchored_at = timezone.now().isoformat(timespec="seconds")
        return cls(sequence, entry_hash, anchored_at, cls.mac_of(sequence, entry_hash, anchored_at))

    @property
    def authentic(self) -> bool:
        return self.mac == self.mac_of(self.sequence, self.entry_hash, self.anchored_at)

    def line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


def anchor_file() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


def read_anchors(path: Path) -> list[Anchor]:
    """Every anchor in the file, oldest first; none when the file does not exist (yet)."""
    if not path.exists():
        return []
    found = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                fields = json.loads(line)
                anchor = Anchor(
                    sequence=int(fields["sequence"]),
                    entry_hash=str(fields["entry_hash"]),
                    anchored_at=str(fields["anchored_at"]),
                    mac=str(fields["mac"]),
                )
            except (ValueError, KeyError, TypeError) as error:
                raise AnchorError(f"line {number} of {path} is not an anchor") from error
            if not anchor.authentic:
                raise AnchorError(f"line {number} of {path} is not authentic (MAC does not match)")
            found.append(anchor)
    return found


def append_anchor(path: Path, anchor: Anchor) -> None:
    """Append one line and flush it to disk; the file is opened for appending only, so the
    operating system's append-only attribute (chattr +a) or a write-once store can guard it."""
    with path.open("a", encoding="utf-8") as file:
        file.write(anchor.line() + "\n")
        file.flush()
        os.fsync(file.fileno())
