"""All writes of the reporting channel, each one transaction with its audit entry."""

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.access.rules import organisations_user_can_register_for
from integriteit.access.seals import report_intact, report_seal
from integriteit.accounts.models import User
from integriteit.accounts.selectors import line_above, normalised_name, staff_named
from integriteit.audit.services import REPORTER, Actor, integrity_alert, record
from integriteit.crypto.envelope import Sealer
from integriteit.crypto.tokens import person_tag
from integriteit.deadlines.services import acknowledgement_due, feedback_due
from integriteit.organisations.models import Organisation
from integriteit.transactions import atomic_with_retry

from . import receipts, throttle
from .attachments import CleanFile
from .constants import Channel, ExclusionReason, Form, MessageKind, Phase, Sender
from .models import Attachment, Message, Report, ReporterIdentity, ReportExclusion, ViolationType
from .sealing import (
    Content,
    Identity,
    delete_attachment_file,
    new_sealer,
    open_content,
    open_identity,
    seal_content,
    seal_identity,
    seal_message_body,
    sealer_for,
    write_attachment,
)
from .signals import report_received

REFERENCE_ALPHABET = "23456789BCDFGHJKMNPQRSTVWXZ"


class TransitionRefused(Exception):
    """An action is not possible in the report's current state; the message says why."""


@dataclass
class ReportInput:
    organisation: Organisation
    kind: str
    relation: str
    content: Content
    identity: Identity
    violation_types: Sequence[str] = ()
    involved_staff: Sequence[User] = ()
    # Names the reporter typed; those that fit one staff member are added to involved_staff.
    involved_names: Sequence[str] = ()
    route_around_line: bool = False
    meeting_requested: bool = False
    channel: str = Channel.ONLINE
    form: str = Form.WRITTEN
    received_at: datetime | None = None
    files: Sequence[CleanFile] = field(default_factory=list)
    identity_consent: bool = False


def _new_reference() -> str:
    year = timezone.now().year
    return f"{year}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def _apply_input(report: Report, data: ReportInput) -> None:
    report.organisation = data.organisation
    report.kind = data.kind
    report.relation = data.relation
    report.is_anonymous = data.identity.is_empty
    report.route_around_line = data.route_around_line
    report.meeting_requested = data.meeting_requested
    report.channel = data.channel
    report.form = data.form
    _recognise_named(data)


def _recognise_named(data: ReportInput) -> None:
    """Match the typed names to the organisation's staff (issue 10 defect 5): a name that fits
    one person adds that person to the people excluded from the handling; every name is kept
    as typed, so handlers also read those that fit nobody or more than one person."""
    typed: dict[str, str] = {}  # one per normalised name: the first spelling, in order given
    for name in data.involved_names:
        if key := normalised_name(name):
            typed.setdefault(key, " ".join(name.split()))
    found = staff_named(data.organisation, typed.values())
    people = {person.pk: person for person in data.involved_staff}
    typed_as: dict[int, str] = {}
    for key, name in typed.items():
        person = found.get(key)
        if person is not None:
            people.setdefault(person.pk, person)
            typed_as.setdefault(person.pk, name)
    data.involved_staff = list(people.values())
    data.content.involved_names = list(typed.values())
    data.content.involved_staff = [
        {
            "id": person.pk,
            "name": str(person),
            "unit": str(person.unit or ""),
            **({"typed": typed_as[person.pk]} if person.pk in typed_as else {}),
        }
        for person in data.involved_staff
    ]


def _store_sealed(report: Report, data: ReportInput, sealer: Sealer, *, created: bool) -> None:
    """Write what belongs to the report besides its row. For a report `_create` has just
    inserted there is nothing to replace: no types, identity or files yet, so no deletes,
    reads or counts are needed (fewer queries on the reporter's path)."""
    if data.violation_types:
        types = ViolationType.objects.filter(code__in=data.violation_types)
        if created:
            report.reported_types.add(*types)
        else:
            report.reported_types.set(types)
    elif not created:
        report.reported_types.clear()
    if not created:
        ReporterIdentity.objects.filter(report=report).delete()
    if not data.identity.is_empty:
        ReporterIdentity.objects.create(report=report, sealed=seal_identity(sealer, data.identity))
    add_files(
        report,
        data.files,
        Sender.REPORTER,
        message=None,
        sealer=sealer,
        existing=0 if created else None,
    )


def _create(report: Report, data: ReportInput) -> Sealer:
    """Insert a new report, contents sealed, under a fresh data key and a unique reference.
    Returns the report's sealer, so the caller need not unwrap the data key again."""
    sealer = new_sealer(report)
    seal_content(sealer, report, data.content)
    for _attempt in range(5):
        report.reference = _new_reference()
        try:
            with transaction.atomic():
                report.save(force_insert=True)
            return sealer
        except IntegrityError:
            continue
    raise IntegrityError("Could not allocate a unique reference.")


def add_files(
    report: Report,
    files: Iterable[CleanFile],
    sender: str,
    message: Message | None,
    *,
    sealer: Sealer | None = None,
    existing: int | None = None,
) -> list[Attachment]:
    """Seal and store files. `existing` is the report's attachment count when the caller knows
    it (0 for a report created in this transaction); otherwise it is counted."""
    files = list(files)
    if not files:
        return []
    if existing is None:
        existing = report.attachments.count()
    if existing + len(files) > settings.ATTACHMENT_MAX_COUNT:
        raise ValidationError(
            _("A report can have at most %(max)d attachments.")
            % {"max": settings.ATTACHMENT_MAX_COUNT}
        )
    sealer = sealer or sealer_for(report)
    stored = []
    for clean in files:
        attachment = Attachment(
            report=report,
            message=message,
            sender=sender,
            content_type=clean.content_type,
            size=len(clean.content),
            metadata=clean.metadata,
        )
        write_attachment(sealer, attachment, clean.name, clean.content)
        attachment.save()
        stored.append(attachment)
    return stored


@transaction.atomic
def save_draft(draft: Report | None, data: ReportInput) -> Report:
    """Create or update the reporter's draft: sealed, invisible to everyone until submitted."""
    if draft is not None and draft.is_submitted:
        raise TransitionRefused(_("This report has already been submitted."))
    report = draft or Report()
    _apply_input(report, data)
    if draft is None:
        # One INSERT with the sealed contents: no UPDATE of the row just written.
        sealer = _create(report, data)
    else:
        sealer = sealer_for(report)
        seal_content(sealer, report, data.content)
        report.save()
    _store_sealed(report, data, sealer, created=draft is None)
    return report


@transaction.atomic
def remove_draft_attachment(draft: Report, attachment_id) -> None:
    if draft.is_submitted:
        raise TransitionRefused(_("This report has already been submitted."))
    try:
        attachment = draft.attachments.filter(pk=attachment_id).first()
    except ValidationError:  # not a UUID: a tampered form, nothing to remove
        return
    if attachment is not None:
        delete_attachment_file(attachment)
        attachment.delete()


def _reseal(report: Report, locked: Report, before: set[str], after: set[str]) -> None:
    """Seal the report's new set of exclusion tags, but only over a seal that held for the set
    before: resealing a tampered set (an exclusion row deleted, the organisation changed) would
    make the tampering valid. Then the report stays unsealed and an alert is raised: fail closed,
    the report is shown to nobody until an operator restores it (ADR 0012)."""
    if not report_intact(locked.access_seal, locked.pk, locked.organisation_id, before):
        integrity_alert("report", locked.pk, "access seal does not match", {"when": "resealing"})
        return
    report.access_seal = report_seal(locked.pk, locked.organisation_id, after)
    Report.objects.filter(pk=locked.pk).update(access_seal=report.access_seal)


def _locked_for_exclusions(report: Report) -> tuple[Report, set[str]]:
    """The report's row, locked, and its exclusion tags read after the lock was granted: two
    writers excluding people from one report at once (a complaint's handlers, a subject) wait
    for each other instead of one sealing a set without the other's tags, which would make the
    report vanish for its handlers (a lost update of the seal)."""
    locked = (
        Report.objects.select_for_update(no_key=True)
        .only("pk", "organisation_id", "access_seal")
        .get(pk=report.pk)
    )
    tags = set(
        ReportExclusion.objects.filter(report_id=locked.pk).values_list("person_tag", flat=True)
    )
    return locked, tags


@transaction.atomic
def exclude_people(report: Report, people: Iterable[User], reason: str) -> None:
    """Keep people out of a report (recorded as opaque tags; docs/decisions/0004), and seal the
    report over its new set of tags (docs/decisions/0012)."""
    locked, existing = _locked_for_exclusions(report)
    added = {person_tag(p.pk) for p in people} - existing
    if not added:
        return
    ReportExclusion.objects.bulk_create(
        [ReportExclusion(report_id=locked.pk, person_tag=tag, reason=reason) for tag in added]
    )
    _reseal(report, locked, existing, existing | added)


@transaction.atomic
def remove_exclusions(report: Report) -> None:
    """Remove every exclusion of a report (retention, RULES R9) and seal the empty set, so the
    report stays visible to its coordinators."""
    locked, existing = _locked_for_exclusions(report)
    ReportExclusion.objects.filter(report_id=locked.pk).delete()
    _reseal(report, locked, existing, set())


def _exclusion_tags(staff: Sequence[User], around_line: bool) -> dict[str, str]:
    """The tag and reason of everyone a new report keeps out: the people named and, when the
    reporter asks, the line above each of them."""
    tags: dict[str, str] = {}
    for person in staff:
        tags[person_tag(person.pk)] = ExclusionReason.NAMED
        if around_line:
            for manager in line_above(person):
                tags.setdefault(person_tag(manager.pk), ExclusionReason.LINE_ABOVE_NAMED)
    return tags


# What submitting (or registering) changes on the report's row: only these are written.
RECEIVED_FIELDS = [
    "submitted_at",
    "received_at",
    "acknowledgement_due",
    "feedback_due",
    "phase",
    "receipt_lookup",
    "receipt_hash",
    "access_seal",
]


def _mark_received(
    report: Report, received_at: datetime, receipt: tuple[str, str], staff: Sequence[User]
) -> None:
    report.submitted_at = timezone.now()
    report.received_at = received_at
    report.acknowledgement_due = acknowledgement_due(received_at)  # RULES R3
    report.feedback_due = feedback_due(received_at, None)  # RULES R4
    report.phase = Phase.RECEIVED
    report.receipt_lookup, report.receipt_hash = receipt
    # A report gets its exclusions only here (drafts have none), so the seal covers exactly
    # these; the caller holds the row (locked, or inserted in this transaction).
    tags = _exclusion_tags(staff, report.route_around_line)
    report.access_seal = report_seal(report.pk, report.organisation_id, tags)
    report.save(update_fields=RECEIVED_FIELDS)
    ReportExclusion.objects.bulk_create(
        [ReportExclusion(report=report, person_tag=tag, reason=why) for tag, why in tags.items()]
    )
    report_received.send(sender=Report, report=report)


def _receipt_for(submission_token: str) -> tuple[str, tuple[str, str]]:
    """The receipt code of a submission token (shown, never stored; ADR 0005) and what is
    stored: its lookup key and argon2 hash."""
    code = receipts.code_for(submission_token)
    return code, (receipts.lookup_key(code), receipts.hash_code(code))


def _named_staff(report: Report) -> list[User]:
    ids = [person["id"] for person in open_content(report).involved_staff]
    if not ids:
        return []
    return list(User.objects.filter(pk__in=ids).select_related("unit"))


def submit_draft(draft: Report, submission_token: str) -> str:
    """Submit the reporter's draft; returns the receipt code derived from `submission_token`.

    Idempotent on the token (ADR 0007): a report already submitted with this token (a double
    click, a second tab, "Send" pressed again after an outage) is left as it is and the same
    code comes back. The row lock serialises concurrent submits, so exactly one of them writes.
    The argon2 hash is computed before the transaction opens, so its deliberate cost holds no
    database lock.
    """
    code, receipt = _receipt_for(submission_token)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=draft.pk)
        if report.is_submitted:
            if report.receipt_lookup and secrets.compare_digest(report.receipt_lookup, receipt[0]):
                _copy_received(report, draft)
                return code
            raise TransitionRefused(_("This report has already been submitted."))
        _mark_received(report, timezone.now(), receipt, _named_staff(report))
        record(
            REPORTER,
            "report.submitted",
            "report",
            report.pk,
            {"reference": report.reference, "channel": report.channel},
        )
    _copy_received(report, draft)
    return code


def _copy_received(report: Report, draft: Report) -> None:
    """The caller's instance gets what was written, without reading the row again."""
    for name in RECEIVED_FIELDS:
        setattr(draft, name, getattr(report, name))


@transaction.atomic
def register_report(user: User, data: ReportInput, submission_token: str) -> tuple[Report, str]:
    """Staff register a report received orally, by a manager or by a confidential adviser
    (RULES R1–R2). The receipt code, derived from `submission_token`, is shown once to pass on
    to the reporter."""
    if not organisations_user_can_register_for(user).filter(pk=data.organisation.pk).exists():
        raise PermissionDenied
    received_at = data.received_at or timezone.now()
    if received_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError(_("The date of receipt cannot be in the future."))
    if (
        data.channel == Channel.CONFIDENTIAL_ADVISER
        and not data.identity.is_empty
        and not data.identity_consent
    ):
        raise ValidationError(
            _("A confidential adviser passes on the reporter's name only with written consent.")
        )
    code, receipt = _receipt_for(submission_token)
    report = Report(registered_by=user)
    _apply_input(report, data)
    sealer = _create(report, data)
    _store_sealed(report, data, sealer, created=True)
    _mark_received(report, received_at, receipt, data.involved_staff)
    record(
        Actor.of(user),
        "report.registered",
        "report",
        report.pk,
        {
            "reference": report.reference,
            "channel": report.channel,
            "form": report.form,
            # RULES R7: the consent under which the identity was passed on is recorded.
            "identity_consent": "written" if data.identity_consent else "",
        },
    )
    return report, code


@transaction.atomic
def file_related_report(
    original: Report, kind: str, text: str, submission_token: str
) -> tuple[Report, str, bool]:
    """A new report from the same reporter about an earlier one (a complaint about its
    handling), with its own receipt code derived from `submission_token`. Idempotent on the
    token, like `submit_draft`: the report already filed with it comes back, with False for
    "created". The original's row lock serialises concurrent attempts."""
    code, receipt = _receipt_for(submission_token)  # the hash before any lock is taken
    Report.objects.select_for_update().filter(pk=original.pk).first()  # only the lock is needed
    filed = Report.objects.filter(concerns_report=original, receipt_lookup=receipt[0]).first()
    if filed is not None:
        return filed, code, False
    data = ReportInput(
        organisation=original.organisation,
        kind=kind,
        relation=original.relation,
        content=Content(description=text),
        identity=open_identity(original),
    )
    report = Report(concerns_report=original)
    _apply_input(report, data)
    sealer = _create(report, data)
    _store_sealed(report, data, sealer, created=True)
    _mark_received(report, timezone.now(), receipt, [])
    return report, code, True


def notify_reporter(report: Report) -> None:
    """E-mail only says there is news and where to look: never contents or names (SECURITY.md)."""
    identity = open_identity(report)
    if not identity.email:
        return
    send_mail(
        subject=_("News about your report %(reference)s") % {"reference": report.reference},
        message=_(
            "There is a new message about your report %(reference)s.\n\n"
            "Read it in your mailbox at %(url)s with your receipt code.\n"
            "This e-mail contains no details of your report, for your safety."
        )
        % {"reference": report.reference, "url": f"{settings.SITE_URL}/postbus/"},
        from_email=None,
        recipient_list=[identity.email],
    )


def post_message(report: Report, sender: str, kind: str, body: str, author=None) -> Message:
    message = Message(report=report, sender=sender, kind=kind, author=author)
    seal_message_body(sealer_for(report), message, body)
    message.save()
    return message


@atomic_with_retry
def reporter_reply(report: Report, text: str, files: Sequence[CleanFile] = ()) -> Message:
    if not report.is_submitted:
        raise TransitionRefused(_("This report has not been submitted."))
    message = post_message(report, Sender.REPORTER, MessageKind.REPLY, text)
    add_files(report, files, Sender.REPORTER, message)
    record(REPORTER, "message.received", "report", report.pk, {"message": str(message.pk)})
    return message


@transaction.atomic
def approve_minutes(report: Report) -> None:
    """The reporter signs off the minutes of an oral report or meeting (RULES R2)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not open_content(report).minutes:
        raise TransitionRefused(_("This report has no minutes to approve."))
    if report.minutes_approved_at is not None:
        raise TransitionRefused(_("You already approved the minutes."))
    report.minutes_approved_at = timezone.now()
    report.save(update_fields=["minutes_approved_at"])
    post_message(report, Sender.REPORTER, MessageKind.MESSAGE, _("I approve the minutes."))
    record(REPORTER, "minutes.approved", "report", report.pk)


def record_read(user: User, report: Report, what: str, detail: dict | None = None) -> None:
    """Reads of case contents are audited too (SECURITY.md "Audit")."""
    record(Actor.of(user), f"{what}.read", "report", report.pk, detail)


class MailboxLocked(Exception):
    """This code failed too often: it is refused, right or wrong, for `seconds` more."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


# The challenge's answers (reports.throttle), raised before the code is looked at.
MailboxTooEarly = throttle.TooEarly
MailboxChallengeRefused = throttle.ChallengeRefused


def open_mailbox(entered_code: str, challenge: str = "") -> Report | None:
    """The report that belongs to a receipt code, or None.

    First the login form's challenge must admit the attempt (`MailboxTooEarly` while its wait
    runs, `MailboxChallengeRefused` when altered, expired or used before); then a code that
    failed too often raises `MailboxLocked`. In both cases the code is not checked."""
    throttle.admit(challenge)
    code = receipts.normalise(entered_code)
    lookup = receipts.lookup_key(code) if code else None
    locked = throttle.locked_for(lookup)
    if locked:
        raise MailboxLocked(locked)
    report = Report.objects.submitted().filter(receipt_lookup=lookup).first() if lookup else None
    if report is None or not receipts.verify(report.receipt_hash, code or ""):
        if report is None:
            receipts.burn_equal_time(entered_code)
        throttle.record_failure(lookup)
        return None
    throttle.clear(lookup or "")
    record(REPORTER, "mailbox.opened", "report", report.pk)
    return report


@transaction.atomic
def purge_stale_drafts(now: datetime | None = None) -> int:
    """Drafts never submitted are removed after DRAFT_REPORT_LIFETIME_HOURS, files included."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.DRAFT_REPORT_LIFETIME_HOURS)
    stale = Report.objects.drafts().filter(created_at__lt=cutoff)
    for attachment in Attachment.objects.filter(report__in=stale):
        delete_attachment_file(attachment)
    count, _detail = stale.delete()
    return count
