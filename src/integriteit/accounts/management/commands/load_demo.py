import base64

from django.core.management.base import BaseCommand

from integriteit.accounts.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load demo organisations, units and one person per role (idempotent). Demo only."

    def handle(self, *args, **options):
        people = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Staff logins (password for all):"))
        self.stdout.write(f"  password: {DEMO_PASSWORD}")
        self.stdout.write("  second factor: add the TOTP key to an authenticator app, or run")
        self.stdout.write("  `make totp USER=<username>` for the current code.\n")
        for person, device in people:
            key = base64.b32encode(device.bin_key).decode().rstrip("=")
            roles = ", ".join(str(role.label) for role in person.roles)
            self.stdout.write(f"  {person.username:<16} {roles:<50} TOTP key {key}")
