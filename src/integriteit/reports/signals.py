"""Signals of the reporting channel for later modules (cases), which reports never imports."""

from django.dispatch import Signal

# Sent inside the transaction that makes a report received; kwargs: report.
report_received = Signal()
