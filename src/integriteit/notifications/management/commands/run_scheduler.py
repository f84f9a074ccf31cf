"""A small scheduler for the demo and for single-machine installations: every `--interval`
seconds (60) it runs `send_reminders` (reminders and escalations), `send_outbox` and
`run_imports` (registry imports in batches). All are idempotent, so a run that overlaps
another, or a restart, sends or imports nothing twice. In production a cron job or systemd
timer running the three commands every minute does the same
(docs/notifications.md)."""

import signal
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

COMMANDS = ("send_reminders", "send_outbox", "run_imports")


class Command(BaseCommand):
    help = "Run send_reminders, send_outbox and run_imports every minute until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0, help="Seconds between runs.")
        parser.add_argument("--once", action="store_true", help="Run each command once, then stop.")

    def handle(self, *args, interval=60.0, once=False, **options):
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_args: stop.set())
        while not stop.is_set():
            started = time.monotonic()
            for name in COMMANDS:
                try:
                    call_command(name, stdout=self.stdout, stderr=self.stderr)
                except Exception as error:  # one failed run waits for the next, never stops it
                    self.stderr.write(f"{name} failed: {type(error).__name__}: {error}")
            if once:
                break
            stop.wait(max(0.0, interval - (time.monotonic() - started)))
            close_old_connections()  # a connection broken meanwhile is replaced (ADR 0007)
