"""Extension point: the panels of the case page.

The case page (cases.views.workspace) belongs to `cases`, and `cases` imports no later module. Each
panel registers itself here with its place on the page (`order`), the template that renders it
and a builder: a small function that reads one selector and returns what the template needs, or
None when the panel has nothing to show this user now. `phases` and `roles` narrow where a panel
appears at all. Case handling registers its own panels in CasesConfig.ready(); a later module
(investigations, for one) registers its panel from its own AppConfig.ready(), so cases never
knows it. The view builds every panel before the page renders: no template tag builds one.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from integriteit.accounts.models import User
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
class CasePanel:
    key: str
    template: str
    order: int
    build: Builder
    phases: frozenset[str] | None = None  # shown only in these phases; None: in every phase
    roles: frozenset[str] | None = None  # shown only to these roles; None: to all who read it

    def shown_to(self, page: PanelInput) -> bool:
        if self.phases is not None and page.report.phase not in self.phases:
            return False
        return self.roles is None or bool(self.roles & page.roles)


@dataclass(frozen=True)
class BuiltPanel:
    key: str
    template: str
    context: dict[str, Any]


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
            built.append(BuiltPanel(panel.key, panel.template, context))
    return built
