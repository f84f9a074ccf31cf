"""The employees' input to a risk analysis (issue 12 §2): an anonymous questionnaire by
invitation link, and workshop outcomes entered by the coordinator (models/questionnaire.py says
how the tables keep answers apart from invitations).

An invitation's code exists in clear only in the list the coordinator downloads once; the
database holds its SHA-256 digest. Answering uses the invitation up and stores the answer in one
transaction, without recording who, when or which invitation. Answers are shown only once at
least the questionnaire's smallest group has answered; what employees wrote only to the
coordinators, in an order that is not the order of answering."""

from __future__ import annotations

import dataclasses
import hashlib
import random
import secrets
from collections import Counter

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.audit.services import Actor, record
from integriteit.crypto.holders import new_row_sealer, row_sealer
from integriteit.figures.suppression import group_shown, min_cell

from .access_analyses import may_edit
from .constants_analyses import VulnerableActivity
from .models import Analysis, Invitation, Questionnaire, QuestionnaireAnswer, Workshop

MOST_INVITATIONS = 2000  # per request: a directorate, not a ministry at once
SMALLEST_GROUP = 3  # below this no group is anonymous, whatever is configured
RISK_FIELD, MEASURE_FIELD = "risk", "measure"


class QuestionnaireRefused(ValueError):
    """The step cannot be taken; the message says why, for the user."""


def digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _audit(user, action: str, questionnaire: Questionnaire, detail: dict | None = None) -> None:
    record(
        Actor.of(user),
        f"prevention.{action}",
        "questionnaire",
        questionnaire.pk,
        {"analysis": questionnaire.analysis_id, **(detail or {})},
    )


def _require(user, analysis: Analysis) -> None:
    if not may_edit(user, analysis):
        raise PermissionDenied


def create_questionnaire(user, analysis: Analysis, values: dict) -> Questionnaire:
    _require(user, analysis)
    if values["closes_on"] < timezone.localdate():
        raise QuestionnaireRefused(_("The closing date lies in the past."))
    smallest = values.get("min_group") or min_cell()
    if smallest < SMALLEST_GROUP:
        raise QuestionnaireRefused(
            _("Answers are shown from a group of at least %(n)d.") % {"n": SMALLEST_GROUP}
        )
    with transaction.atomic():
        questionnaire = Questionnaire.objects.create(
            analysis=analysis,
            title=values["title"],
            introduction=values.get("introduction", ""),
            closes_on=values["closes_on"],
            min_group=smallest,
            created_by=user,
        )
        new_row_sealer(questionnaire)  # the data key the answers' texts are sealed under
        questionnaire.save(update_fields=["wrapped_key", "kek_version"])
        _audit(user, "questionnaire_created", questionnaire)
    return questionnaire


def open_questionnaire(user, questionnaire: Questionnaire) -> Questionnaire:
    _require(user, questionnaire.analysis)
    with transaction.atomic():
        questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if questionnaire.opened_at is not None:
            raise QuestionnaireRefused(_("The questionnaire is already open or closed."))
        if questionnaire.closes_on < timezone.localdate():
            raise QuestionnaireRefused(_("The closing date lies in the past."))
        questionnaire.opened_at = timezone.now()
        questionnaire.save(update_fields=["opened_at"])
        _audit(user, "questionnaire_opened", questionnaire)
    return questionnaire


def close_questionnaire(user, questionnaire: Questionnaire) -> Questionnaire:
    _require(user, questionnaire.analysis)
    with transaction.atomic():
        questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if not questionnaire.is_open:
            raise QuestionnaireRefused(_("The questionnaire is not open."))
        questionnaire.closed_at = timezone.now()
        questionnaire.save(update_fields=["closed_at"])
        _audit(user, "questionnaire_closed", questionnaire)
    return questionnaire


def issue_invitations(user, questionnaire: Questionnaire, count: int) -> list[str]:
    """`count` new one-time codes: returned once, in clear, for the coordinator to hand out;
    only their digests are kept."""
    _require(user, questionnaire.analysis)
    if not 1 <= count <= MOST_INVITATIONS:
        raise QuestionnaireRefused(
            _("Ask for 1 to %(most)d invitations at a time.") % {"most": MOST_INVITATIONS}
        )
    if questionnaire.status == "closed":
        raise QuestionnaireRefused(_("The questionnaire is closed."))
    codes = [secrets.token_urlsafe(24) for _i in range(count)]
    with transaction.atomic():
        Invitation.objects.bulk_create(
            Invitation(questionnaire=questionnaire, digest=digest(code)) for code in codes
        )
        _audit(user, "questionnaire_invitations_issued", questionnaire, {"count": count})
    return codes


def link_of(code: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("prevention:answer_link", args=[code])


def invitation_for(code_digest: str) -> Invitation | None:
    """The unused invitation of an open questionnaire with this digest, or None."""
    found = (
        Invitation.objects.select_related("questionnaire__analysis__matrix")
        .filter(digest=code_digest, used=False)
        .first()
    )
    return found if found is not None and found.questionnaire.is_open else None


@dataclasses.dataclass
class AnswerValues:
    activities: list[str]
    risk: str
    likelihood: int | None = None
    impact: int | None = None
    measure: str = ""


def answer(code_digest: str, values: AnswerValues) -> Questionnaire:
    """An employee's answer: the invitation is used up, the answer stored apart from it. No
    audit record: it would say when someone answered."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("questionnaire")
            .filter(digest=code_digest)
            .first()
        )
        if invitation is None or invitation.used or not invitation.questionnaire.is_open:
            raise QuestionnaireRefused(
                _("This invitation has been used, or the questionnaire is closed.")
            )
        questionnaire = invitation.questionnaire
        invitation.used = True
        invitation.save(update_fields=["used"])
        stored = QuestionnaireAnswer(
            questionnaire=questionnaire,
            activities=sorted(set(values.activities)),
            likelihood=values.likelihood,
            impact=values.impact,
        )
        sealer = row_sealer(questionnaire)
        stored.sealed_risk = sealer.seal_text(str(stored.id), RISK_FIELD, values.risk)
        if values.measure:
            stored.sealed_measure = sealer.seal_text(str(stored.id), MEASURE_FIELD, values.measure)
        stored.save()
    return questionnaire


@dataclasses.dataclass
class Results:
    shown: bool
    answers: str  # the number, or "<n" below the smallest group
    invited: int
    activities: list[tuple[str, int]]
    likelihood: list[tuple[str, int]]
    impact: list[tuple[str, int]]
    risks: list[str]  # empty unless the reader writes the analysis
    measures: list[str]


def results(user, questionnaire: Questionnaire) -> Results:
    answers = list(questionnaire.answers.all())
    invited = questionnaire.invitations.count()
    if not group_shown(len(answers), questionnaire.min_group):
        shown_count = f"<{questionnaire.min_group}" if answers else "0"
        return Results(False, shown_count, invited, [], [], [], [], [])
    activities = Counter(code for a in answers for code in a.activities)
    steps = {
        (step.axis, step.value): step.label for step in questionnaire.analysis.matrix.steps.all()
    }

    def distribution(axis: str, field: str) -> list[tuple[str, int]]:
        counted = Counter(getattr(a, field) for a in answers if getattr(a, field))
        return [(steps.get((axis, value), str(value)), n) for value, n in sorted(counted.items())]

    risks: list[str] = []
    measures: list[str] = []
    if may_edit(user, questionnaire.analysis):
        sealer = row_sealer(questionnaire)
        for a in answers:
            risks.append(sealer.open_text(str(a.id), RISK_FIELD, bytes(a.sealed_risk)))
            if a.sealed_measure:
                measures.append(sealer.open_text(str(a.id), MEASURE_FIELD, bytes(a.sealed_measure)))
        # Not the order in which they were stored.
        random.shuffle(risks)
        random.shuffle(measures)
    return Results(
        True,
        str(len(answers)),
        invited,
        [(str(VulnerableActivity(code).label), activities[code]) for code in sorted(activities)],
        distribution("likelihood", "likelihood"),
        distribution("impact", "impact"),
        risks,
        measures,
    )


def add_workshop(user, analysis: Analysis, values: dict) -> Workshop:
    _require(user, analysis)
    if values["held_on"] > timezone.localdate():
        raise QuestionnaireRefused(_("The workshop's date lies in the future."))
    with transaction.atomic():
        workshop = Workshop.objects.create(
            analysis=analysis,
            held_on=values["held_on"],
            participants=values["participants"],
            outcome=values["outcome"],
            recorded_by=user,
        )
        record(
            Actor.of(user),
            "prevention.workshop_recorded",
            "risk_analysis",
            analysis.pk,
            {"workshop": workshop.pk},
        )
    return workshop
