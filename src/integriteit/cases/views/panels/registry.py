"""Extension point: the panels of the case page.

The case page (cases.views.workspace) belongs to `cases`, and `cases` imports no later module. Each
panel registers itself here with its section of the page (`section`, one of `SECTIONS`), its
place in it (`order`), the template that renders it and a builder: a small function that reads one selector and returns what the template needs, or
None when the panel has nothing to show this user now. `phases` and `roles` narrow where a panel
appears at all. Case handling registers its own panels in CasesConfig.ready(); a later module
(investigations, for one) registers its panel from its own AppConfig.ready(), so cases never
knows it. The view builds every panel before the page renders: no template tag builds one.

The page shows one section at a time (`?section=`, links in a section nav): the section of the
case's current phase (`PHASE_SECTION`) unless the user chose another, or the one holding a form
that was just refused. `anchors` names the ids a panel's template gives its parts, so a link or
a redirect to one of them (`section_url`) opens the right section.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from integriteit.accounts.models import User
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report

from ... import workflow
from ...selectors import ActionState


@dataclass
class PanelInput:
    """What a builder knows about the page: who looks at which case, with which rights, what
    the domain allows now (`states`), and the forms the user filled in before a refusal
    (`bound`, by form name)."""

    user: User
    report: Report
    actions: set[str]  # access rights on the case (integriteit.access.rules.Action values)
    roles: set[str]  # roles on the case ("coordinator" and cases.constants.CaseRole values)
    states: dict[str, ActionState]
    bound: dict[str, Any] = field(default_factory=dict)
    _reads: dict[Callable, Any] = field(default_factory=dict, repr=False)

    def read(self, selector: Callable[[Report], Any]) -> Any:
        """`selector(report)`, read once per page however many panels need it."""
        if selector not in self._reads:
            self._reads[selector] = selector(self.report)
        return self._reads[selector]

    def allowed(self, key: str) -> bool:
        """The user may take the case action now (cases.guards)."""
        return self.states[key].allowed

    def permitted(self, key: str) -> bool:
        """The user's roles allow the case action, whether or not it is possible now."""
        return self.states[key].permitted

    def step_open(self, key: str, step: str) -> bool:
        """The user may take the step and the case is in a phase it leads from; its form is
        shown even while preconditions are missing (the phase panel lists them)."""
        return self.permitted(key) and workflow.TRANSITIONS[step].allowed_from(self.report.phase)

    def form(self, name: str, offered: bool, make: Callable[[], Any]) -> Any:
        """The form as the user filled it in, if it was just refused; else a new one when the
        action is offered; else None."""
        if name in self.bound:
            return self.bound[name]
        return make() if offered else None


Builder = Callable[[PanelInput], "dict[str, Any] | None"]


@dataclass(frozen=True)
class Section:
    key: str
    label: Any


# The sections of the case page, in the order of the section nav.
SECTIONS = (
    Section("overview", _("Overview")),
    Section("mailbox", _("Mailbox and feedback")),
    Section("people", _("People")),
    Section("investigation", _("Follow-up and investigation")),
    Section("decision", _("Decision and aftercare")),
    Section("history", _("History")),
)
SECTION_KEYS = frozenset(section.key for section in SECTIONS)

P = Phase
# The section that holds what the current phase asks for: it opens first.
PHASE_SECTION: dict[str, str] = {
    P.RECEIVED: "overview",  # the report, and the acknowledgement beside it
    P.ACKNOWLEDGED: "overview",
    P.ASSESSMENT: "overview",
    P.FOLLOW_UP_DECISION: "investigation",
    P.INVESTIGATION: "investigation",
    P.MEDIATION: "investigation",
    P.REFERRAL: "investigation",
    P.NO_FURTHER_ACTION: "investigation",
    P.DECISION: "decision",
    P.FEEDBACK: "mailbox",  # the final feedback
    P.AFTERCARE: "decision",
    P.EVALUATION: "mailbox",  # the reporter answers in the mailbox
    P.CLOSED: "history",  # reopening
}


@dataclass(frozen=True)
class CasePanel:
    key: str
    template: str
    order: int
    build: Builder
    phases: frozenset[str] | None = None  # shown only in these phases; None: in every phase
    roles: frozenset[str] | None = None  # shown only to these roles; None: to all who read it
    section: str = "overview"  # one of SECTION_KEYS
    # The ids in the panel's template that links point at (besides `key`); one ending in "-"
    # stands for every id it begins ("subject-" for "subject-12").
    anchors: frozenset[str] = frozenset()

    def __post_init__(self):
        if self.section not in SECTION_KEYS:
            raise ValueError(f"unknown case page section {self.section!r}")

    def holds(self, anchor: str) -> bool:
        return anchor == self.key or any(
            anchor == a or (a.endswith("-") and anchor.startswith(a)) for a in self.anchors
        )

    def shown_to(self, page: PanelInput) -> bool:
        if self.phases is not None and page.report.phase not in self.phases:
            return False
        return self.roles is None or bool(self.roles & page.roles)


@dataclass(frozen=True)
class BuiltPanel:
    key: str
    template: str
    context: dict[str, Any]
    section: str = "overview"


_panels: dict[str, CasePanel] = {}


def register(panel: CasePanel) -> CasePanel:
    """Add a panel, or replace the one with the same key (a repeated ready() adds nothing)."""
    _panels[panel.key] = panel
    return panel


def unregister(key: str) -> None:
    _panels.pop(key, None)


def registered() -> list[CasePanel]:
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.key))


def build_panels(page: PanelInput) -> list[BuiltPanel]:
    """The panels with something to show this user now, in page order."""
    built = []
    for panel in registered():
        if not panel.shown_to(page):
            continue
        context = panel.build(page)
        if context is not None:
            built.append(BuiltPanel(panel.key, panel.template, context, panel.section))
    return built


# --- Sections ----------------------------------------------------------------------------------


def section_of(anchor: str) -> str | None:
    """The section holding the id `anchor`; None for the parts above the sections (the summary
    and the phase panel, always shown)."""
    for panel in registered():
        if panel.holds(anchor):
            return panel.section
    return None


def section_url(report: Report, anchor: str, base: str = "") -> str:
    """The link to `anchor` on the case page: the section that holds it, then the id."""
    section = section_of(anchor)
    query = f"?section={section}" if section else ""
    return f"{base}{query}#{anchor}"


@dataclass(frozen=True)
class ShownSection:
    key: str
    label: Any
    current: bool  # the section on the page now
    of_phase: bool  # the section of the case's current phase
    panels: list[BuiltPanel]  # those with something to show this user now


def _holds_bound_form(panel: BuiltPanel, bound: dict[str, Any]) -> bool:
    forms = [form for form in bound.values() if form is not None]

    def contains(value: Any) -> bool:
        if any(value is form for form in forms):
            return True
        if isinstance(value, list | tuple):
            return any(contains(item) for item in value)
        return False

    return any(contains(value) for value in panel.context.values())


def choose_section(page: PanelInput, built: list[BuiltPanel], requested: str | None) -> str:
    """A form just refused shows in its section; else the section asked for; else the phase's."""
    if page.bound:
        for panel in built:
            if _holds_bound_form(panel, page.bound):
                return panel.section
    if requested in SECTION_KEYS:
        return str(requested)
    return PHASE_SECTION.get(page.report.phase, "overview")


def sections(
    page: PanelInput, built: list[BuiltPanel], requested: str | None
) -> list[ShownSection]:
    current = choose_section(page, built, requested)
    of_phase = PHASE_SECTION.get(page.report.phase, "overview")
    return [
        ShownSection(
            section.key,
            section.label,
            section.key == current,
            section.key == of_phase,
            [panel for panel in built if panel.section == section.key],
        )
        for section in SECTIONS
    ]
