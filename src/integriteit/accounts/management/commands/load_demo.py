import base64

from django.core.management.base import BaseCommand

from integriteit.accounts.demo import DEMO_PASSWORD, load_demo, load_demo_content


class Command(BaseCommand):
    help = (
        "Load demo organisations, units, one person per role, and cases in every phase "
        "(idempotent). Demo only."
    )

    def handle(self, *args, **options):
        people = load_demo()
        extra_people, lines = load_demo_content()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Staff logins (password for all):"))
        self.stdout.write(f"  password: {DEMO_PASSWORD}")
        self.stdout.write("  second factor: add the TOTP key to an authenticator app, or run")
        self.stdout.write("  `make totp USER=<username>` for the current code.\n")
        for person, device in [*people, *extra_people]:
            key = base64.b32encode(device.bin_key).decode().rstrip("=")
            roles = ", ".join(str(role.label) for role in person.roles)
            self.stdout.write(f"  {person.username:<16} {roles:<50} TOTP key {key}")
        for line in lines:
            self.stdout.write(line)
