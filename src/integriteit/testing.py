"""Helpers for tests (imported by conftest and browser tests; not used by the application)."""

import re

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from integriteit.accounts.demo import load_demo
from integriteit.accounts.models import User
from integriteit.organisations.models import Organisation
from integriteit.reports import receipts, services
from integriteit.reports.attachments import CleanFile, clean
from integriteit.reports.constants import Kind, Relation
from integriteit.reports.models import Report
from integriteit.reports.sealing import Content, Identity


def ensure_reference_data() -> None:
    """Rows that data migrations add (violation types, measure types, the registry's lists);
    a transactional test's flush removes them, so tests that need them call this."""
    from importlib import import_module

    from django.apps import apps

    for module, function_name in (
        ("integriteit.reports.migrations.0002_violation_types", "add_types"),
        ("integriteit.cases.migrations.0002_measure_types", "add"),
        ("integriteit.investigations.migrations.0002_baseline_protocol", "add_baseline"),
        ("integriteit.advisers.migrations.0002_basic_requirements", "add"),
        ("integriteit.registry.migrations.0002_taxonomies", "add"),
        ("integriteit.prevention.migrations.0005_risks", "add_default_matrix"),
    ):
        getattr(import_module(module), function_name)(apps, None)


def remove_audit_entries() -> None:
    """Empty the audit log, which its triggers refuse (ADR 0006): triggers off, rows deleted,
    triggers on again, in one transaction. For the end of a transactional test only."""
    from importlib import import_module

    from django.db import connection, transaction

    triggers = import_module("integriteit.audit.migrations.0003_entry_mac_and_chaining")
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cursor.execute("DELETE FROM audit_auditentry")
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
        else:
            for statement in triggers.SQLITE_DOWN:
                cursor.execute(statement)
            cursor.execute("DELETE FROM audit_auditentry")
            for statement in triggers.SQLITE_UP:
                cursor.execute(statement)


def load_people() -> dict[str, User]:
    ensure_reference_data()
    load_demo()
    return {user.username: user for user in User.objects.all()}


def device_of(user: User) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def current_code(user: User) -> str:
    device = device_of(user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def verified_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device_of(user).persistent_id
    session.save()
    return client


def found(pattern: "str | re.Pattern[str]", text: str, group: int = 1) -> str:
    """The group of the first match of `pattern` in `text` (a receipt code, a form token on a
    page); fails the test with the pattern when there is none."""
    match = re.search(pattern, text)
    assert match is not None, f"{pattern!r} not found in the page"
    return match.group(group)


_SHOWN_CODE = re.compile(r'id="receipt-code"[^>]*>(.*?)</p>', re.S)


def shown_code(page: str) -> str:
    """The receipt code a page shows (reports/receipt_code.html: its groups are separate
    elements), as the reporter copies it; fails the test when the page shows none."""
    return re.sub(r"<[^>]*>|\s", "", found(_SHOWN_CODE, page))


def lookup_of(code: str) -> str:
    """The receipt lookup key of a code as shown to the reporter; fails the test when the shown
    code is not well-formed."""
    normalised = receipts.normalise(code)
    assert normalised is not None, f"{code!r} is not a receipt code"
    return receipts.lookup_key(normalised)


def random_code() -> str:
    """A well-formed receipt code that belongs to no report (unless by a 2^-80 chance)."""
    return receipts.code_for(receipts.new_submission_token())


def make_report(
    organisation: str = "bzk",
    *,
    description: str = "Er worden bonnen vervalst bij inkoop.",
    kind: str = Kind.INTEGRITY_VIOLATION,
    types: tuple[str, ...] = ("financial",),
    involved: tuple[User, ...] = (),
    route_around_line: bool = False,
    name: str = "",
    email: str = "",
    files: tuple[tuple[str, bytes], ...] = (),
) -> tuple[Report, str]:
    """Submit a report as a reporter would; returns it with its receipt code."""
    cleaned: list[CleanFile] = [clean(file_name, data) for file_name, data in files]
    draft = services.save_draft(
        None,
        services.ReportInput(
            organisation=Organisation.objects.get(slug=organisation),
            kind=kind,
            relation=Relation.EMPLOYEE,
            violation_types=types,
            involved_staff=list(involved),
            route_around_line=route_around_line,
            content=Content(description=description, raised_before="no"),
            identity=Identity(name=name, email=email),
            files=cleaned,
        ),
    )
    code = services.submit_draft(draft, receipts.new_submission_token())
    draft.refresh_from_db()
    return draft, code


def stored_bytes() -> dict[str, bytes]:
    """Everything the database and the upload folder hold on disk, by where it came from: the
    SQLite file (with its journals) or a pg_dump, and every file under UPLOAD_ROOT. Tests grep
    it for plaintext (SECURITY.md "Tests that prove it")."""
    from pathlib import Path

    from django.conf import settings
    from django.db import connection

    found: dict[str, bytes] = {}
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        assert name.exists(), f"the SQLite test database is not a file: {name}"
        for suffix in ("", "-wal", "-journal", "-shm"):
            path = Path(f"{name}{suffix}")
            if path.exists():
                found[str(path)] = path.read_bytes()
    elif connection.vendor == "postgresql":
        dump = postgres_tool("pg_dump", connection.settings_dict["NAME"])
        found["pg_dump"] = dump.stdout
    else:
        raise AssertionError(f"No plaintext check for database vendor {connection.vendor}")
    for path in Path(settings.UPLOAD_ROOT).rglob("*"):
        if path.is_file():
            found[str(path)] = path.read_bytes()
    return found


def user_references(user_ids: set[int]) -> list[str]:
    """Every column of reports, cases, investigations and advisers that refers to a user account
    and holds one of `user_ids`, and the audit actor column if it does: where a database copy
    would say that these people are in a case (docs/decisions/0013)."""
    from django.apps import apps

    from integriteit.audit.models import AuditEntry

    found = []
    for label in ("reports", "cases", "investigations", "advisers"):
        for model in apps.get_app_config(label).get_models():
            for model_field in model._meta.concrete_fields:
                if model_field.is_relation and model_field.related_model is User:
                    rows = model._default_manager.filter(**{f"{model_field.name}__in": user_ids})
                    if rows.exists():
                        found.append(f"{model._meta.db_table}.{model_field.column}")
    if AuditEntry.objects.filter(actor_id__in=user_ids).exists():
        found.append("audit_auditentry.actor_id")
    return found


def table_holds(table: str, text: str) -> bool:
    """Whether any column of any row of `table` holds `text` in the clear (as text or bytes)."""
    from django.db import connection

    raw = text.encode()
    with connection.cursor() as cursor:
        # The table name is our own, quoted; nothing comes from user input.
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        rows = cursor.fetchall()
    return any(
        (isinstance(value, str) and text in value)
        or (isinstance(value, bytes | memoryview) and raw in bytes(value))
        for row in rows
        for value in row
    )


def database_url(name: str | None = None) -> str:
    """The URL of the test database (or of another database `name` on the same server), for a
    command run in its own process (DATABASE_URL)."""
    from django.db import connection

    options = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{name or options['NAME']}"
    password = f":{options['PASSWORD']}" if options.get("PASSWORD") else ""
    host = options.get("HOST") or "127.0.0.1"
    port = options.get("PORT") or 5432
    return f"postgres://{options['USER']}{password}@{host}:{port}/{name or options['NAME']}"


def postgres_tool(tool: str, *args: str):
    """Run a PostgreSQL client (pg_dump, pg_restore, createdb, dropdb) against the test
    database's server; the command is built from our own settings, never from user input."""
    import shutil
    import subprocess

    from django.db import connection

    path = shutil.which(tool)
    assert path, f"{tool} is needed for this PostgreSQL test (postgresql-client)"
    options = connection.settings_dict
    command = [
        path,
        "-h",
        options.get("HOST") or "127.0.0.1",
        "-U",
        options.get("USER") or "postgres",
        "-p",
        str(options.get("PORT") or 5432),
        *args,
    ]
    env = {"PATH": "/usr/bin:/bin"}
    if options.get("PASSWORD"):
        env["PGPASSWORD"] = options["PASSWORD"]
    return subprocess.run(command, capture_output=True, check=True, env=env)  # noqa: S603
