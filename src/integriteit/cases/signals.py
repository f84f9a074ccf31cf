"""Signals of case handling for later modules (notifications), which cases never imports."""

from django.dispatch import Signal

# Sent inside the transaction of a step that leaves the case waiting for particular people
# (a decision for the competent authority, an approval); kwargs: report, people (the Users
# waited for), what (a short code, e.g. "follow_up_decision"). Investigations sends it too.
waiting_for = Signal()

# Sent when a staff member opens the case page; kwargs: report, user.
case_viewed = Signal()

# Sent inside the transaction of every change to what the registry counts of a case (receipt,
# classification, follow-up, subjects, decision and findings, measures, feedback, closure);
# kwargs: report_id. Investigations sends it too when an investigation starts or ends.
case_changed = Signal()
