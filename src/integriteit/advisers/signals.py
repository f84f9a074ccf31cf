"""Signals of the confidential advisers' module for later modules (notifications), which this
module never imports."""

from django.dispatch import Signal

# Sent inside the transaction that sends the advisers' annual report to the competent authority:
# the report waits for the management's response to its recommendations (norm 12). kwargs:
# annual_report, people (the Users who must respond), link (a path to the report). Never
# contents: the receiver tells only that it waits.
annual_report_waiting = Signal()
