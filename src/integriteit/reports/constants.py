from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INTEGRITY_VIOLATION = "integrity_violation", _("Suspected integrity violation")
    WRONGDOING = "wrongdoing", _("Suspected wrongdoing of public interest (misstand)")
    UNDESIRABLE_BEHAVIOUR = "undesirable_behaviour", _("Undesirable behaviour")
    HANDLING_COMPLAINT = (
        "handling_complaint",
        _("Complaint about the handling of an earlier report"),
    )


class ViolationTypeCode(models.TextChoices):
    """The nine official types of integrity violation (seed 001 §2.1; RULES R14)."""

    FINANCIAL = "financial", _("Financial violations")
    POSITION = "position", _("Misuse of position and conflict of interest")
    INFORMATION = (
        "information",
        _("Leaking, misusing, withholding or improperly handling information"),
    )
    COMMUNICATION = "communication", _("Inappropriate communication")
    POWERS = "powers", _("Misuse of powers")
    FORCE = "force", _("Misuse of the power to use force")
    BEHAVIOUR = "behaviour", _("Undesirable behaviour")
    RESOURCES = "resources", _("Misuse of company resources and breach of rules")
    PRIVATE_LIFE = "private_life", _("Inappropriate conduct in private life")


class Channel(models.TextChoices):
    """Who received the report (RULES R1)."""

    ONLINE = "online", _("Online form")
    MANAGER = "manager", _("Via a manager")
    COORDINATOR = "coordinator", _("Via the integrity coordinator")
    CONFIDENTIAL_ADVISER = "confidential_adviser", _("Via a confidential adviser")


class Form(models.TextChoices):
    """How the report was made (RULES R2)."""

    WRITTEN = "written", _("Written")
    ORAL = "oral", _("Oral (phone or voice message)")
    MEETING = "meeting", _("In a meeting")


class Relation(models.TextChoices):
    """Who may report (RULES R1)."""

    EMPLOYEE = "employee", _("Employee")
    FORMER_EMPLOYEE = "former_employee", _("Former employee")
    CONTRACTOR = "contractor", _("Contractor or supplier")
    AGENCY_WORKER = "agency_worker", _("Agency worker or temporary staff")
    INTERN = "intern", _("Intern or trainee")
    APPLICANT = "applicant", _("Applicant")
    OTHER = "other", _("Other")


class RaisedBefore(models.TextChoices):
    NO = "no", _("No")
    YES = "yes", _("Yes")
    UNKNOWN = "unknown", _("I would rather not say")


class Phase(models.TextChoices):
    """The reporting process in phases (seed 002 "Het meldproces"); the transitions between them
    live in integriteit.cases.workflow, the one place that changes a report's phase."""

    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ASSESSMENT = "assessment", _("Intake and assessment")
    FOLLOW_UP_DECISION = "follow_up_decision", _("Decision on follow-up")
    INVESTIGATION = "investigation", _("Investigation")
    MEDIATION = "mediation", _("Conversation or mediation")
    REFERRAL = "referral", _("Referral")
    NO_FURTHER_ACTION = "no_further_action", _("No further action")
    DECISION = "decision", _("Decision and measures")
    FEEDBACK = "feedback", _("Feedback to the reporter")
    AFTERCARE = "aftercare", _("Aftercare")
    EVALUATION = "evaluation", _("Evaluation")
    CLOSED = "closed", _("Closed")


class Sender(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    STAFF = "staff", _("Meldpunt")


class MessageKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement of receipt")
    INTERIM_FEEDBACK = "interim_feedback", _("Interim feedback")
    FINAL_FEEDBACK = "final_feedback", _("Feedback on the outcome")
    REFERRAL = "referral", _("Referral")
    EVALUATION_INVITATION = "evaluation_invitation", _("Invitation to evaluate")
    QUESTION = "question", _("Question")
    MESSAGE = "message", _("Message")
    REPLY = "reply", _("Reply")


class ExclusionReason(models.TextChoices):
    NAMED = "named", _("Named as involved in the report")
    LINE_ABOVE_NAMED = "line_above_named", _("Manager above a person named in the report")
    HANDLED_ORIGINAL = "handled_original", _("Involved in handling the report complained about")
    HANDLES_COMPLAINT = "handles_complaint", _("Handles a complaint about this case")


class MetadataHandling(models.TextChoices):
    REMOVED = "removed", _("Metadata removed")
    # Removed from the file, but not from an embedded object or picture (issue 9 defect 5).
    PARTLY_REMOVED = "partly_removed", _("Metadata could not be fully removed")
    NOT_REMOVABLE = "not_removable", _("Metadata could not be removed")


class DeadlineFilter(models.TextChoices):
    ACK_OVERDUE = "ack_overdue", _("Acknowledgement overdue")
    ACK_NEAR = "ack_near", _("Acknowledgement due soon")
    FEEDBACK_OVERDUE = "feedback_overdue", _("Feedback overdue")
    FEEDBACK_NEAR = "feedback_near", _("Feedback due soon")
