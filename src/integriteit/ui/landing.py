"""Where a staff member lands: after login and on the staff start page (/werkplek/), each role
on its own work (issue 10 "Landing per role"). `landing_for` is the one function that decides.

The apps register their landings from their `apps.py` ready(), as they register navigation
(ADR 0002): `ui` imports no domain module. Each landing has a precedence and a rule for whom it
holds; the first that holds wins. The precedence, for people with several roles (docs/workspace.md):

 10 integrity coordinator, or handler of a case  -> the work queue (legal deadlines run, R3/R4)
 20 competent authority                          -> the queue: awaiting her decision
 30 investigator                                 -> the queue: her investigations
 40 process guide                                -> the queue: her cases
 50 confidential adviser                         -> her conversation log
 60 manager                                      -> the manager toolkit (/meldproces/)
 70 government-wide coordinator                  -> the work overview
 80 auditor                                      -> the audit trail
 90 administrator                                -> the administration
 -- anyone else, an employee                     -> "My investigations": her invitations and
                                                    requests (reports are never tied to her
                                                    account, so none is shown)

Case work first: what the law puts a term on comes before what has none; a coordinator who is
also an adviser sees her queue, and her log is one link away in the header.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class Landing:
    name: str  # for tests and documentation: which landing this is
    precedence: int  # lower wins
    holds: Callable[[Any], bool]  # whether it is this person's landing
    url: Callable[[], str]  # where she lands (reversed when asked, in the active language)


_landings: dict[str, Landing] = {}
_fallback: list[Callable[[], str]] = []


def register_landing(landing: Landing) -> None:
    _landings[landing.name] = landing


def register_fallback(url: Callable[[], str]) -> None:
    """The landing of a staff member for whom no registered landing holds (an employee)."""
    _fallback[:] = [url]


def registered() -> list[Landing]:
    return sorted(_landings.values(), key=lambda landing: (landing.precedence, landing.name))


def landing_of(user) -> Landing | None:
    """The landing that holds for `user` with the lowest precedence, or None."""
    for landing in registered():
        if landing.holds(user):
            return landing
    return None


def landing_for(user) -> str:
    """The URL where `user` lands after login and on the staff start page."""
    landing = landing_of(user)
    if landing is not None:
        return landing.url()
    if _fallback:
        return _fallback[0]()
    return reverse("ui:home")
