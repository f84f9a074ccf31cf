"""What happens in each phase, who is responsible and what each role does (seed 002: the
process described per phase with per phase who does what). Shown on the case page and in the
reporter's mailbox; docs/process.md describes the same from each role's point of view."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from integriteit.reports.constants import Phase


@dataclass(frozen=True)
class PhaseGuide:
    what: object
    responsible: object
    for_reporter: object


# These texts are public (/meldproces/, the mailbox): they name the terms, not our rule ids. The
# rules behind them: acknowledgement within 7 days RULES R3, hearing before measures R10,
# feedback within the legal term R4, disadvantage acted on R8.
PHASE_GUIDE: dict[str, PhaseGuide] = {
    Phase.RECEIVED: PhaseGuide(
        _("The report has arrived. The integrity coordinator confirms receipt within 7 days."),
        _("Integrity coordinator"),
        _("Your report has arrived. Within 7 days you receive a confirmation in your mailbox."),
    ),
    Phase.ACKNOWLEDGED: PhaseGuide(
        _(
            "Receipt is confirmed. The coordinator starts the intake: who handles the case and what it is about."
        ),
        _("Integrity coordinator"),
        _("We confirmed that we received your report. We now look at what it is about."),
    ),
    Phase.ASSESSMENT: PhaseGuide(
        _(
            "Intake and assessment: is it within scope, which type of violation, how urgent, who is the competent authority, and are there conflicts of interest."
        ),
        _("Integrity coordinator, with the competent authority"),
        _("We assess your report. We may ask you questions through the mailbox."),
    ),
    Phase.FOLLOW_UP_DECISION: PhaseGuide(
        _(
            "Decision on follow-up: investigation, a conversation or mediation, referral, or no further action. Every choice has a reason."
        ),
        _("Competent authority, advised by the integrity coordinator"),
        _("We decide what happens with your report. You will hear what we decided."),
    ),
    Phase.INVESTIGATION: PhaseGuide(
        _(
            "An investigation after the BIPO baseline. The subject is informed of the investigation and of their rights."
        ),
        _("Investigator, commissioned by the competent authority"),
        _(
            "Your report is being investigated. This takes time; you receive interim news regularly."
        ),
    ),
    Phase.MEDIATION: PhaseGuide(
        _("A conversation or mediation between those involved, with the outcome recorded."),
        _("Integrity coordinator or a mediator"),
        _("We try to solve the problem through a conversation or mediation."),
    ),
    Phase.REFERRAL: PhaseGuide(
        _(
            "The report is referred elsewhere (RABA, police, Whistleblowers Authority or another organisation); the reporter is told where and why."
        ),
        _("Integrity coordinator"),
        _("Your report was referred to the place that can handle it. We told you where and why."),
    ),
    Phase.NO_FURTHER_ACTION: PhaseGuide(
        _("No further action, with the reason explained to the reporter."),
        _("Competent authority"),
        _("We decided not to take further action. We explained why."),
    ),
    Phase.DECISION: PhaseGuide(
        _(
            "The competent authority decides whether a violation is established and on measures, each only after the employee has been heard."
        ),
        _("Competent authority"),
        _("The competent authority decides on the outcome."),
    ),
    Phase.FEEDBACK: PhaseGuide(
        _("Feedback to the reporter on what was done, within the legal term."),
        _("Integrity coordinator or process guide"),
        _("You will hear what was done with your report."),
    ),
    Phase.AFTERCARE: PhaseGuide(
        _(
            "Aftercare for reporter, subject, witnesses and team; signals of disadvantage to the reporter are acted on."
        ),
        _("Integrity coordinator, process guide and managers"),
        _(
            "We check how you are doing. Tell us if you experience any disadvantage because you reported."
        ),
    ),
    Phase.EVALUATION: PhaseGuide(
        _(
            "The reporter is invited to evaluate the process; the answers improve the reporting process."
        ),
        _("Integrity coordinator"),
        _("Please tell us how you experienced the process. It helps us improve."),
    ),
    Phase.CLOSED: PhaseGuide(
        _(
            "The case is closed. Personal data is removed after the retention term; the registry keeps anonymous facts."
        ),
        _("Integrity coordinator"),
        _(
            "Your report has been handled and closed. Not satisfied with how it was handled? You can file a complaint, and after that go to the National Ombudsman."
        ),
    ),
}
