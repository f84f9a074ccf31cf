"""The confidential adviser's conversation log (issue 5 §3): never a name, free text optional and
sealed under the entry's own data key, read only by the adviser who wrote it (SECURITY.md)."""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from integriteit.audit.services import Actor, record
from integriteit.crypto.envelope import Sealer, WrappedKey
from integriteit.organisations.models import Organisation, Unit
from integriteit.ui.integrity import for_display, unreadable_note

from .access import adviser_of, log_entries_of
from .constants import Referral
from .models import ConversationLogEntry

NOTES_FIELD = "notes"
# Session key set when an adviser starts registering a report on an employee's behalf.
ON_BEHALF_KEY = "advisers_on_behalf_entry"


@dataclass
class LogInput:
    held_on: datetime.date
    theme: str
    organisation: Organisation
    unit: Unit | None = None
    conversations: int = 1
    referrals: Sequence[str] = field(default_factory=list)
    report_followed: bool = False
    notes: str = ""


def owner_of(entry: ConversationLogEntry) -> str:
    return f"adviserlog:{entry.pk}"


def _record_name(entry: ConversationLogEntry) -> str:
    return f"adviserlog.{entry.pk}"


def _check(data: LogInput) -> None:
    if data.unit is not None and data.unit.organisation_id != data.organisation.pk:
        raise ValueError("The unit belongs to another organisation.")
    unknown = set(data.referrals) - set(Referral.values)
    if unknown:
        raise ValueError(f"Unknown referrals: {sorted(unknown)}")


def _apply(entry: ConversationLogEntry, data: LogInput) -> None:
    entry.held_on = data.held_on
    entry.theme = data.theme
    entry.organisation = data.organisation
    entry.unit = data.unit
    entry.conversations = data.conversations
    entry.referrals = sorted(set(data.referrals))
    entry.report_followed = data.report_followed


def _seal_notes(entry: ConversationLogEntry, notes: str) -> None:
    """A fresh data key per write: the old key and ciphertext are replaced together."""
    if not notes.strip():
        entry.wrapped_key = None
        entry.kek_version = ""
        entry.sealed_notes = None
        return
    sealer, wrapped = Sealer.new(owner=owner_of(entry))
    entry.wrapped_key = wrapped.ciphertext
    entry.kek_version = wrapped.kek_version
    entry.sealed_notes = sealer.seal_text(_record_name(entry), NOTES_FIELD, notes)


def _own_entry(user, entry: ConversationLogEntry) -> ConversationLogEntry:
    if not log_entries_of(user).filter(pk=entry.pk).exists():
        raise PermissionDenied
    return entry


@transaction.atomic
def record_conversation(adviser_user, data: LogInput) -> ConversationLogEntry:
    adviser = adviser_of(adviser_user)
    if adviser is None:
        raise PermissionDenied
    _check(data)
    entry = ConversationLogEntry(adviser=adviser)
    _apply(entry, data)
    entry.save()  # the row exists first: its id is bound into the key and the ciphertext
    if data.notes.strip():
        _seal_notes(entry, data.notes)
        entry.save(update_fields=["wrapped_key", "kek_version", "sealed_notes"])
    record(Actor.of(adviser_user), "adviserlog.created", "adviserlog", entry.pk)
    return entry


@transaction.atomic
def update_conversation(user, entry: ConversationLogEntry, data: LogInput) -> ConversationLogEntry:
    entry = _own_entry(user, entry)
    _check(data)
    _apply(entry, data)
    _seal_notes(entry, data.notes)
    entry.save()
    record(Actor.of(user), "adviserlog.updated", "adviserlog", entry.pk)
    return entry


@transaction.atomic
def delete_conversation(user, entry: ConversationLogEntry) -> None:
    entry = _own_entry(user, entry)
    pk = entry.pk
    entry.delete()
    record(Actor.of(user), "adviserlog.deleted", "adviserlog", pk)


def notes_of(user, entry: ConversationLogEntry) -> str:
    """The entry's notes, for its author only; the read is audited."""
    entry = _own_entry(user, entry)
    if not entry.sealed_notes or not entry.wrapped_key:
        return ""
    sealer = Sealer.from_wrapped(
        WrappedKey(bytes(entry.wrapped_key), entry.kek_version), owner=owner_of(entry)
    )
    text = sealer.open_text(_record_name(entry), NOTES_FIELD, bytes(entry.sealed_notes))
    record(Actor.of(user), "adviserlog.notes_read", "adviserlog", entry.pk)
    return text


# For the edit page: notes that fail their integrity check show a note and are flagged.
shown_notes_of = for_display(notes_of, unreadable_note)


@transaction.atomic
def mark_report_followed(user, entry_pk: int) -> bool:
    """After a report was registered on the employee's behalf from this entry."""
    updated = log_entries_of(user).filter(pk=entry_pk).update(report_followed=True)
    if updated:
        record(Actor.of(user), "adviserlog.report_followed", "adviserlog", entry_pk)
    return bool(updated)


def on_report_registered(sender, report, request, **kwargs) -> None:
    """Receiver of reports' `report_registered`: the adviser came from a log entry."""
    from integriteit.reports.constants import Channel

    entry_pk = request.session.pop(ON_BEHALF_KEY, None)
    if entry_pk is not None and report.channel == Channel.CONFIDENTIAL_ADVISER:
        mark_report_followed(request.user, int(entry_pk))


# --- A heuristic for names, e-mail addresses and phone numbers in free text -----------------

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<!\d)(\+31|0031|0)[\s-]?(\d[\s-]?){8,9}(?!\d)")
TITLE = re.compile(
    r"\b(dhr|mevr|mw|mr|mrs|ms|dr|drs|ir|prof|ing|heer|mevrouw|meneer)\.?\s+[A-Z]",
    re.IGNORECASE,
)
# A capitalised word, a Dutch particle, then another capitalised word: "Jan van Dijk", "de Vries".
PARTICLE = re.compile(
    r"\b[A-Z][a-zà-ÿ]+\s+(van|de|der|den|ter|ten|het|la|le|op|in 't|van de|van der|van den)"
    r"(\s+(de|der|den|het))?\s+[A-Z][a-zà-ÿ]+"
)
LOWER_PARTICLE = re.compile(r"(?<![.!?]\s)(?<!^)\b(van der|van den|van de|de|van|ter|ten)\s+[A-Z]")
CAPITALISED_PAIR = re.compile(r"\b([A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?)\s+([A-Z][a-zà-ÿ]+)")
SENTENCE_END = re.compile(r"[.!?:]\s*$")


def _capitalised_pairs(text: str) -> bool:
    for match in CAPITALISED_PAIR.finditer(text):
        before = text[: match.start()]
        if not before.strip() or SENTENCE_END.search(before) or before.endswith("\n"):
            # The first word starts a sentence; the second may still be a name only if a third
            # capitalised word follows ("Piet Jansen" at a sentence start is missed: heuristic).
            continue
        return True
    return False


def name_warnings(text: str) -> list[str]:
    """Why the text may hold a name, e-mail address or phone number; empty when none.

    A heuristic: it warns, it never refuses. Capitalised words at the start of a sentence are
    not counted, so ordinary sentences pass."""
    warnings: list[str] = []
    if not text or not text.strip():
        return warnings
    if EMAIL.search(text):
        warnings.append(_("The text looks like it contains an e-mail address."))
    if PHONE.search(text):
        warnings.append(_("The text looks like it contains a phone number."))
    if (
        TITLE.search(text)
        or PARTICLE.search(text)
        or LOWER_PARTICLE.search(text)
        or _capitalised_pairs(text)
    ):
        warnings.append(_("The text looks like it contains a person's name."))
    return warnings
