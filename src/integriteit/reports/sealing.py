"""Reading and writing the sealed parts of a report. Callers pass plain Python values; only this
module knows how they are laid out and bound (record id + field) under the report's data key."""

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings

from integriteit.crypto.envelope import DecryptionError, Sealer, WrappedKey

from .models import Attachment, Message, Report


@dataclass
class Content:
    description: str = ""
    occurred_when: str = ""
    occurred_where: str = ""
    involved_text: str = ""
    # The staff recognised among the typed names (or chosen by staff): {"id", "name", "unit"},
    # and "typed" for a typed name. They are excluded from the handling.
    involved_staff: list[dict[str, Any]] = field(default_factory=list)
    raised_before: str = ""
    raised_with: str = ""
    minutes: str = ""
    # Every name the reporter typed, as typed, recognised or not (issue 10 defect 5).
    involved_names: list[str] = field(default_factory=list)
    # False only for what a page shows in place of contents that could not be read
    # (reports.selectors.content_of): nobody is known to be named in it, so nothing that
    # depends on who is named may be offered from it (not a field: never sealed).
    readable: ClassVar[bool] = True

    @property
    def unrecognised_names(self) -> list[str]:
        """Typed names that matched nobody, or more than one person: handlers read them as
        typed and decide on exclusions themselves."""
        recognised = {person.get("typed") for person in self.involved_staff}
        return [name for name in self.involved_names if name not in recognised]


@dataclass
class Identity:
    name: str = ""
    email: str = ""
    phone: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.name or self.email or self.phone)


def owner_of(report: Report) -> str:
    """The owner bound into the report's wrapped data key and every ciphertext under it."""
    return f"report:{report.pk}"


def new_sealer(report: Report) -> Sealer:
    sealer, wrapped = Sealer.new(owner_of(report))
    report.wrapped_key = wrapped.ciphertext
    report.kek_version = wrapped.kek_version
    return sealer


class ShreddedSealer(Sealer):
    """The sealer of a report whose data key was destroyed when its personal data was removed
    (docs/decisions/0008): nothing can be opened or sealed any more."""

    def __init__(self, owner: str) -> None:
        super().__init__(b"", owner)

    def seal(self, record: str, field: str, plaintext: bytes) -> bytes:
        raise DecryptionError(
            "The data key of this report was destroyed.", owner=self._owner, record=record
        )

    def open(self, record: str, field: str, blob: bytes) -> bytes:
        raise DecryptionError(
            "The data key of this report was destroyed.",
            owner=self._owner,
            record=record,
            field=field,
        )


def sealer_for(report: Report) -> Sealer:
    if not bytes(report.wrapped_key):
        return ShreddedSealer(owner_of(report))
    wrapped = WrappedKey(bytes(report.wrapped_key), report.kek_version)
    return Sealer.from_wrapped(wrapped, owner_of(report))


def seal_content(sealer: Sealer, report: Report, content: Content) -> None:
    report.sealed_content = sealer.seal_text("report", "content", json.dumps(asdict(content)))


def open_content(report: Report, sealer: Sealer | None = None) -> Content:
    if not bytes(report.sealed_content):  # personal data removed (RULES R9)
        return Content()
    sealer = sealer or sealer_for(report)
    return Content(
        **json.loads(sealer.open_text("report", "content", bytes(report.sealed_content)))
    )


def seal_identity(sealer: Sealer, identity: Identity) -> bytes:
    return sealer.seal_text("identity", "identity", json.dumps(asdict(identity)))


def open_identity(report: Report, sealer: Sealer | None = None) -> Identity:
    record = getattr(report, "identity", None)
    if record is None:
        return Identity()
    sealer = sealer or sealer_for(report)
    return Identity(**json.loads(sealer.open_text("identity", "identity", bytes(record.sealed))))


def seal_message_body(sealer: Sealer, message: Message, body: str) -> None:
    message.sealed_body = sealer.seal_text(f"message:{message.pk}", "body", body)


def open_message_body(message: Message, sealer: Sealer) -> str:
    return sealer.open_text(f"message:{message.pk}", "body", bytes(message.sealed_body))


def attachment_path(attachment: Attachment) -> Path:
    key = str(attachment.pk)
    return Path(settings.UPLOAD_ROOT) / key[:2] / key


def write_attachment(sealer: Sealer, attachment: Attachment, name: str, content: bytes) -> None:
    attachment.sealed_name = sealer.seal_text(f"attachment:{attachment.pk}", "name", name)
    path = attachment_path(attachment)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(sealer.seal(f"attachment:{attachment.pk}", "content", content))


def open_attachment_name(attachment: Attachment, sealer: Sealer) -> str:
    return sealer.open_text(f"attachment:{attachment.pk}", "name", bytes(attachment.sealed_name))


def read_attachment(attachment: Attachment, sealer: Sealer) -> bytes:
    record = f"attachment:{attachment.pk}"
    try:
        blob = attachment_path(attachment).read_bytes()
    except FileNotFoundError as error:  # the row is there, its file is not: damaged as well
        raise DecryptionError(
            "The attachment's file is missing.",
            owner=owner_of(attachment.report),
            record=record,
            field="content",
        ) from error
    return sealer.open(record, "content", blob)


def delete_attachment_file(attachment: Attachment) -> None:
    attachment_path(attachment).unlink(missing_ok=True)
