"""Signals of case handling for later modules (notifications), which cases never imports."""

from django.dispatch import Signal

# Sent inside the transaction of a step that leaves the case waiting for particular people
# (a decision for the competent authority, an approval); kwargs: report, people (the Users
# waited for), what (a short code, e.g. "follow_up_decision"). Investigations sends it too.
waiting_for = Signal()

# Sent when a staff member opens the case page; kwargs: report, user.
case_viewed = Signal()
