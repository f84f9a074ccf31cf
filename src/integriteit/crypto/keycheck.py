"""Is this the key document the database was written with? (docs/decisions/0011-key-document-check.md)

A wrong, regenerated or incomplete key document does not fail by itself: new reports would be
sealed under a KEK nobody keeps, valid receipt codes would be "not known" (another pepper), and a
person named in a report would see it (another exclusion key: his tag no longer matches the
stored ones). So the database keeps a fingerprint of every key (`KeyFingerprint`) and no key is
used before the document has been compared with them (issue 8 item 4):

- at application start (`wsgi.py`: gunicorn workers and runserver refuse to boot);
- on every request until it passed (`middleware.KeyCheckMiddleware`: a 503 page) and `/healthz`;
- in the commands that touch sealed data (`KeyCheckedCommand`) and the Django check framework;
- in `checked_keyring()`, where every writer of sealed data and every keyed digest (receipt
  lookup, person tag, audit MAC) takes its keys: so exclusions fail closed on any path.

A check that passed is remembered for the process (by the document's fingerprints, never its
keys); `keys.keyring()` reads the document once per process, so a changed document (rotation,
retirement of an old KEK) is checked when the processes restart.
"""

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import structlog
from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Model
from django.utils import timezone

from .holders import kek_versions_in_use, key_holders
from .keys import KeyRing, keyring

if TYPE_CHECKING:
    from .models import KeyFingerprint

logger = structlog.get_logger("integriteit.integrity")

_FINGERPRINT_LABEL = b"integriteit key-document fingerprint\x1f"
# Stored keys tried per KEK version or witness on an installation without fingerprints: one
# damaged row must not stop the application, a wrong key fits none of them.
SAMPLE = 3
DOCS = 'See docs/deployment.md, "Keys".'


def fingerprint(key: bytes, name: str) -> str:
    return hmac.new(key, _FINGERPRINT_LABEL + name.encode(), hashlib.sha256).hexdigest()


def kek_name(version: str) -> str:
    return f"kek:{version}"


def fingerprints(ring: KeyRing) -> dict[str, str]:
    named = {name: fingerprint(key, name) for name, key in ring.named_keys().items()}
    keks = {kek_name(v): fingerprint(kek, kek_name(v)) for v, kek in ring.keks.items()}
    return named | keks


class KeyCheckFailed(ImproperlyConfigured):
    """The key document is missing or unreadable (`kind` "missing") or does not fit this
    database ("mismatch"). The problems name keys and KEK versions, never key material."""

    def __init__(self, kind: str, problems: list[str] | tuple[str, ...]) -> None:
        self.kind = kind
        self.problems = tuple(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        what = (
            "is missing or unreadable" if self.kind == "missing" else "does not fit this database"
        )
        return f"The key document {what}: {' '.join(self.problems)} {DOCS}"

    @property
    def public_reason(self) -> str:
        """For /healthz: a missing document's message names the file's path, so it stays in the
        log."""
        if self.kind == "missing":
            return "The key document is missing or unreadable."
        return " ".join(self.problems)


# --- Witnesses: data that shows whether a key fits, for an installation without fingerprints --


@dataclass(frozen=True)
class KeyWitness:
    """Rows of `model` were written with the named key; `fits(ring)` tells whether the given
    document's key is the one (called only when such rows exist)."""

    key: str
    model: type[Model]
    fits: Callable[[KeyRing], bool]


_witnesses: dict[tuple[str, str], KeyWitness] = {}


def register_key_witness(key: str, model: type[Model], fits: Callable[[KeyRing], bool]) -> None:
    """From an app's `ready()`: crypto imports no domain module (as `holders`)."""
    _witnesses[(key, model._meta.label)] = KeyWitness(key, model, fits)


def _contradicted(name: str, ring: KeyRing) -> bool:
    return any(
        witness.model._default_manager.exists() and not witness.fits(ring)
        for witness in _witnesses.values()
        if witness.key == name
    )


def _kek_opens_stored_keys(ring: KeyRing, version: str) -> bool:
    from .envelope import DecryptionError, WrappedKey, unwrap_with

    for holder in key_holders():
        rows = holder.wrapped().filter(**{holder.version_field: version}).order_by("-pk")
        for row in rows[:SAMPLE]:
            wrapped = WrappedKey(bytes(getattr(row, holder.wrapped_field)), version)
            try:
                unwrap_with(ring, wrapped, holder.owner(row))
            except DecryptionError:
                continue
            return True
    return False


# --- The check ---------------------------------------------------------------------------


@dataclass
class KeyCheck:
    problems: list[str] = field(default_factory=list)
    # Fingerprints to record (first use, an installation from before the check, a new KEK) and
    # to forget (a KEK version retired after `rewrap_keys`), with the value that was read.
    record: dict[str, str] = field(default_factory=dict)
    forget: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def inspect(ring: KeyRing, *, accept_current_kek: bool = False) -> KeyCheck:
    """Compare the document with the database; reads only. `accept_current_kek`: the current
    KEK is new on purpose (rotation) and becomes the newest recorded one."""
    from .models import KeyFingerprint

    stored = {row.name: row for row in KeyFingerprint.objects.all()}
    expected = fingerprints(ring)
    check = KeyCheck()
    for name in ring.named_keys():
        row = stored.get(name)
        if row is not None and row.fingerprint != expected[name]:
            check.problems.append(
                f"The {name} differs from the one this database was written with."
            )
        elif row is None and _contradicted(name, ring):
            check.problems.append(f"The {name} does not fit the data stored in this database.")
        elif row is None:
            check.record[name] = expected[name]
    _compare_keks(ring, stored, expected, accept_current_kek, check)
    return check


def _compare_keks(
    ring: KeyRing,
    stored: dict[str, "KeyFingerprint"],
    expected: dict[str, str],
    accept_current_kek: bool,
    check: KeyCheck,
) -> None:
    in_use = kek_versions_in_use()
    current_row = stored.get(kek_name(ring.current_kek))
    recorded = {n.removeprefix("kek:"): row for n, row in stored.items() if n.startswith("kek:")}
    newer = {
        version
        for version, row in recorded.items()
        if current_row is not None and row.recorded_at > current_row.recorded_at
    }
    if newer and not accept_current_kek:
        check.problems.append(
            f"KEK version {', '.join(sorted(newer))} was added by a rotation after the current "
            f"KEK version {ring.current_kek}: this key document is from before that rotation. "
            "Use the rotated document."
        )
    for version in sorted(set(in_use) | set(ring.keks) | set(recorded)):
        name, row = kek_name(version), stored.get(kek_name(version))
        if version in in_use:
            _compare_needed_kek(ring, version, row, expected.get(name, ""), check)
        elif version in ring.keks:
            record_current = accept_current_kek or not stored  # a rotation, or first use
            _compare_unneeded_kek(ring, version, row, expected[name], record_current, check)
        elif row is not None and (accept_current_kek or version not in newer):
            check.forget[name] = row.fingerprint  # retired: no data needs it any more


def _compare_needed_kek(
    ring: KeyRing, version: str, row: "KeyFingerprint | None", expected: str, check: KeyCheck
) -> None:
    """A KEK version stored data keys are wrapped under."""
    if version not in ring.keks:
        check.problems.append(
            f"KEK version {version} is missing from the key document, but stored data keys need it."
        )
    elif row is not None and row.fingerprint != expected:
        check.problems.append(
            f"KEK version {version} differs from the one the stored data keys were wrapped with."
        )
    elif row is None and not _kek_opens_stored_keys(ring, version):
        check.problems.append(f"KEK version {version} does not open the data keys stored under it.")
    elif row is None:
        check.record[kek_name(version)] = expected


def _compare_unneeded_kek(
    ring: KeyRing,
    version: str,
    row: "KeyFingerprint | None",
    expected: str,
    record_current: bool,
    check: KeyCheck,
) -> None:
    """A KEK version in the document that no stored data key needs (yet, or any more)."""
    if row is not None and row.fingerprint != expected:
        check.problems.append(
            f"KEK version {version} differs from the one recorded for this database."
        )
    elif row is None and version == ring.current_kek and record_current:
        check.record[kek_name(version)] = expected
    elif row is None and version == ring.current_kek:
        check.problems.append(
            f"The current KEK version {version} is not recorded for this database. "
            "`generate_keys --rotate` records the KEK it adds; after adding one by hand, record "
            "it with `manage.py verify_keys --accept-current-kek`."
        )
    # Any other unrecorded version is neither current nor needed: it plays no part.


def _apply(check: KeyCheck, *, newest: str | None = None) -> None:
    """Record and forget what the check found, in one transaction. Several processes may do
    this at the same moment on first use: the first row wins and the others compare with it."""
    from .models import KeyFingerprint

    if not (check.record or check.forget or newest):
        return  # nothing to write: no transaction (on SQLite it would take the write lock)
    now = timezone.now()
    with transaction.atomic():
        for name, value in check.record.items():
            row, _created = KeyFingerprint.objects.get_or_create(
                name=name, defaults={"fingerprint": value, "recorded_at": now}
            )
            if row.fingerprint != value:
                raise KeyCheckFailed(
                    "mismatch",
                    [f"Another process recorded a different {name} for this database."],
                )
        for name, value in check.forget.items():
            KeyFingerprint.objects.filter(name=name, fingerprint=value).delete()
        if newest is not None:
            KeyFingerprint.objects.filter(name=newest).update(recorded_at=now)
    if check.record or check.forget:
        logger.info(
            "key document fingerprints recorded",
            recorded=sorted(check.record),
            forgotten=sorted(check.forget),
        )


# Documents (by `_document_id`) that passed in this process; the last ring object's id is kept
# so that the many calls of `checked_keyring()` compute nothing.
_passed: set[str] = set()
_last_id: tuple[KeyRing, str] | None = None
_logged: set[str] = set()


def _document_id(ring: KeyRing) -> str:
    global _last_id
    if _last_id is None or _last_id[0] is not ring:
        digest = hashlib.sha256(json.dumps(fingerprints(ring), sort_keys=True).encode())
        _last_id = (ring, digest.hexdigest())
    return _last_id[1]


def _refuse(failure: KeyCheckFailed) -> KeyCheckFailed:
    message = str(failure)
    if message not in _logged:  # once per process, not once per request
        _logged.add(message)
        logger.error("key document refused", problem=message)
    return failure


def checked_keyring() -> KeyRing:
    """The key document, once it fits the database; raises `KeyCheckFailed` otherwise (and
    `DatabaseError` when the database cannot be asked). Fingerprints are recorded on first use
    and for keys the data confirms (ADR 0011)."""
    try:
        ring = keyring()
    except ImproperlyConfigured as error:
        raise _refuse(KeyCheckFailed("missing", [str(error)])) from error
    document = _document_id(ring)
    if document not in _passed:
        verify_and_record(ring)
        _passed.add(document)
    return ring


def verify_and_record(ring: KeyRing, *, accept_current_kek: bool = False) -> KeyCheck:
    """Check a document and record and forget what the check found; raises `KeyCheckFailed`.
    With `accept_current_kek` (a rotation) its current KEK becomes the newest recorded one;
    every other key must still fit."""
    check = inspect(ring, accept_current_kek=accept_current_kek)
    if not check.ok:
        raise _refuse(KeyCheckFailed("mismatch", check.problems))
    _apply(check, newest=kek_name(ring.current_kek) if accept_current_kek else None)
    return check


def check_at_start() -> None:
    """Application start (wsgi): refuse to boot under a key document that does not fit. A
    database that cannot be reached now is no reason to refuse: the middleware checks on the
    first request, and pages say the service is unavailable meanwhile."""
    try:
        checked_keyring()
    except DatabaseError as error:
        logger.warning("key document not checked at start, database unreachable", error=str(error))
    finally:
        # A preloading gunicorn master must not hand its connection to the forked workers. (A
        # connection inside a caller's transaction is the caller's: only in tests.)
        for open_connection in connections.all(initialized_only=True):
            if not open_connection.in_atomic_block:
                open_connection.close()


def _checked_models() -> set[type[Model]]:
    from .models import KeyFingerprint

    witnesses = {witness.model for witness in _witnesses.values()}
    return {KeyFingerprint} | {holder.model for holder in key_holders()} | witnesses


def stored_data() -> list[str]:
    """The models holding rows written with a key document; empty for a new installation (also
    one whose tables do not exist yet)."""
    tables = set(connection.introspection.table_names())
    return sorted(
        model._meta.label
        for model in _checked_models()
        if model._meta.db_table in tables and model._default_manager.exists()
    )


def _schema_is_current() -> bool:
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def system_check(app_configs=None, databases=None, **kwargs) -> list[CheckMessage]:
    """`manage.py check --database default` and `migrate`: the same comparison, reading only.
    While migrations are pending (a new installation, an upgrade; `migrate` runs its checks
    first) the tables need not match the models yet, so the check waits for the current schema."""
    if not databases or "default" not in databases or not _schema_is_current():
        return []
    try:
        ring = keyring()
    except ImproperlyConfigured as error:
        return [Error(str(error), hint=DOCS, id="crypto.E001")]
    return [Error(problem, hint=DOCS, id="crypto.E002") for problem in inspect(ring).problems]


class KeyCheckedCommand(BaseCommand):
    """A command that reads or writes sealed data, keyed digests or the audit chain: it refuses
    to run under a key document that does not fit the database."""

    def execute(self, *args, **options):
        try:
            checked_keyring()
        except KeyCheckFailed as failure:
            raise CommandError(str(failure)) from failure
        return super().execute(*args, **options)


@contextmanager
def migrating() -> Iterator[KeyRing | None]:
    """For data migrations that seal existing rows. They use keys before the full check can run:
    its table and the columns of the key holders it counts may still be being created. The
    document is compared with the fingerprints already recorded, if any (a wrong document must
    not seal an upgrade), and counts as checked for the migration only; the full check runs when
    the application starts. Without a document nothing is marked: a migration with rows to seal
    then stops at its first use of a key, with the usual message; one without rows needs none."""
    try:
        ring = keyring()
    except ImproperlyConfigured:
        yield None
        return
    tables = connection.introspection.table_names()
    if "crypto_keyfingerprint" in tables:
        expected = fingerprints(ring)
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, fingerprint FROM crypto_keyfingerprint")
            stored = dict(cursor.fetchall())
        differing = [
            name for name, value in stored.items() if name in expected and expected[name] != value
        ]
        if differing:
            raise _refuse(
                KeyCheckFailed(
                    "mismatch",
                    [
                        f"The {name} differs from the one this database was written with."
                        for name in differing
                    ],
                )
            )
    document = _document_id(ring)
    added = document not in _passed
    _passed.add(document)
    try:
        yield ring
    finally:
        if added:
            _passed.discard(document)


def with_keys(function: Callable) -> Callable:
    """A data migration's function, run inside `migrating()`."""

    def run(apps, schema_editor) -> None:
        with migrating():
            function(apps, schema_editor)

    run.__name__ = function.__name__
    return run
