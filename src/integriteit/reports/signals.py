"""Signals of the reporting channel for later modules (cases), which reports never imports."""

from django.dispatch import Signal

# Sent inside the transaction that makes a report received; kwargs: report.
report_received = Signal()

# Sent by the staff registration view after a report was registered; kwargs: report, request.
# Lets a module that sent the user there (a confidential adviser's log) note the follow-up.
report_registered = Signal()
