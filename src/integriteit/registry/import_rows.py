"""One row of an import: which field a column holds (`FIELDS`, `guess_mapping` from the header
names) and what the row's cells say (`parse`: the entry's values and the errors per field, in the
organisation's lists of the year: codes, Dutch or English names)."""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import datetime
import functools
import re
import unicodedata
from collections.abc import Callable

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integriteit.cases.constants import FollowUpRoute
from integriteit.reports.constants import Kind

from . import taxonomy
from .entries import EntryValues

# The entry's fields a column can be mapped to, in the order of the mapping form.
FIELDS: list[tuple[str, object]] = [
    ("reference", gettext_lazy("Reference")),
    ("received_on", gettext_lazy("Received on")),
    ("kind", gettext_lazy("Kind of report")),
    ("channel", gettext_lazy("Channel")),
    ("violation_types", gettext_lazy("Violation types")),
    ("follow_up", gettext_lazy("Follow-up")),
    ("investigated", gettext_lazy("Investigated")),
    ("executor", gettext_lazy("Investigated by")),
    ("findings", gettext_lazy("Violation types established")),
    ("measures", gettext_lazy("Measures")),
    ("criminal_complaints", gettext_lazy("Criminal complaints")),
    ("persons_involved", gettext_lazy("Persons involved")),
    ("closed_on", gettext_lazy("Closed on")),
    ("acknowledged_on", gettext_lazy("Acknowledged on")),
    ("fed_back_on", gettext_lazy("Feedback on")),
]
FIELD_NAMES = [name for name, _label in FIELDS]
REQUIRED = ("reference", "received_on")

# Header names (Dutch and English, compared without case, spaces or punctuation) per field.
HEADER_GUESSES = {
    "reference": [
        "kenmerk",
        "referentie",
        "zaaknummer",
        "meldingnummer",
        "nummer",
        "nr",
        "reference",
        "ref",
        "number",
        "id",
        "casenumber",
    ],
    "received_on": [
        "ontvangen",
        "datumontvangst",
        "ontvangstdatum",
        "datummelding",
        "meldingsdatum",
        "datum",
        "received",
        "receivedon",
        "datereceived",
        "date",
    ],
    "kind": ["soort", "soortmelding", "typemelding", "aard", "kind", "kindofreport"],
    "channel": ["kanaal", "meldkanaal", "channel"],
    "violation_types": [
        "schending",
        "schendingen",
        "soortschending",
        "typeschending",
        "categorie",
        "violationtypes",
        "violationtype",
        "types",
    ],
    "follow_up": ["vervolg", "afhandeling", "followup"],
    "investigated": ["onderzoek", "onderzocht", "investigated", "investigation"],
    "executor": ["onderzochtdoor", "uitvoerder", "onderzoeker", "executor", "investigatedby"],
    "findings": [
        "vastgesteld",
        "gegrond",
        "bevindingen",
        "schendingvastgesteld",
        "established",
        "findings",
    ],
    "measures": ["maatregel", "maatregelen", "sanctie", "sancties", "measure", "measures"],
    "criminal_complaints": [
        "aangifte",
        "aangiftes",
        "aangiften",
        "criminalcomplaints",
        "criminalcomplaint",
    ],
    "persons_involved": [
        "betrokkenen",
        "aantalbetrokkenen",
        "personen",
        "personsinvolved",
        "persons",
    ],
    "closed_on": ["afgesloten", "datumafsluiting", "gesloten", "afgehandeld", "closed", "closedon"],
    "acknowledged_on": ["ontvangstbevestiging", "bevestigd", "acknowledged", "acknowledgedon"],
    "fed_back_on": ["teruggekoppeld", "terugkoppeling", "feedback", "fedback", "fedbackon"],
}

TRUE_WORDS = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
FALSE_WORDS = {"nee", "n", "no", "false", "onwaar", "0", ""}
KIND_WORDS = {
    "integriteitsschending": Kind.INTEGRITY_VIOLATION,
    "vermoeden van een integriteitsschending": Kind.INTEGRITY_VIOLATION,
    "misstand": Kind.WRONGDOING,
    "ongewenst gedrag": Kind.UNDESIRABLE_BEHAVIOUR,
    "ongewenste omgangsvormen": Kind.UNDESIRABLE_BEHAVIOUR,
    "klacht": Kind.HANDLING_COMPLAINT,
}
_names_cache: contextvars.ContextVar[dict | None] = contextvars.ContextVar("names", default=None)


def _squashed(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", _normal(text))


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """{field: column} from the header names: exact names first, then names containing one."""
    mapping: dict[str, int] = {}
    squashed = [_squashed(h) for h in headers]
    for exact in (True, False):
        for field in FIELD_NAMES:
            if field in mapping:
                continue
            for column, header in enumerate(squashed):
                if column in mapping.values() or not header:
                    continue
                guesses = HEADER_GUESSES[field]
                if (
                    (header in guesses)
                    if exact
                    else any(g in header for g in guesses if len(g) > 4)
                ):
                    mapping[field] = column
                    break
    return mapping


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = re.sub(r"\s*,\s*", ", ", text)
    return re.sub(r"\s+", " ", text).strip()


def _names(kind: str, year: int) -> dict[str, str]:
    """{code or Dutch or English name, normalised: code} of the list valid in `year` (read once
    per list inside `taxonomy.cached()`)."""
    version = taxonomy.version_for(kind, year)
    cache = _names_cache.get()
    if cache is not None and version.pk in cache:
        return cache[version.pk]
    names: dict[str, str] = {}
    for item in taxonomy.items_of(version):
        for name in (item.name_en, item.name_nl, item.code):
            names[_normal(name)] = item.code
    if cache is not None:
        cache[version.pk] = names
    return names


@contextlib.contextmanager
def lists():
    """The lists and their names read once for a whole file."""
    token = _names_cache.set({})
    try:
        with taxonomy.cached():
            yield
    finally:
        _names_cache.reset(token)


def _split(text: str, known: Callable[[str], bool]) -> list[str]:
    """The items of a list cell: separated by `|` (or new lines); otherwise by commas, where a
    name that itself holds commas is kept whole (the longest run of pieces that is a name)."""
    if not text.strip():
        return []
    if "|" in text or "\n" in text:
        return [part.strip() for part in re.split(r"[|\n]", text) if part.strip()]
    pieces = [piece.strip() for piece in text.split(",")]
    items, i = [], 0
    while i < len(pieces):
        for j in range(len(pieces), i, -1):
            candidate = ", ".join(pieces[i:j])
            if j == i + 1 or known(candidate):
                if candidate:
                    items.append(candidate)
                i = j
                break
    return items


@functools.cache
def _choice_names(choices: type[models.TextChoices]) -> dict[str, str]:
    """{code, Dutch or English label, normalised: code} of a set of choices."""
    names = {}
    for value, label in choices.choices:
        for language in ("en", "nl"):
            with translation.override(language):
                names[_normal(str(label))] = value
        names[_normal(value)] = value
    return names


def _choice(text: str, choices: type[models.TextChoices], extra: dict | None = None) -> str | None:
    wanted = _normal(text)
    return _choice_names(choices).get(wanted) or (extra or {}).get(wanted)


def _date(text: str) -> datetime.date:
    text = text.strip()
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?", text):
        year, month, day = (int(g) for g in match.groups())
    elif match := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise ValueError(text)
    return datetime.date(year, month, day)


def parse(
    cells: list[str], mapping: dict[str, int], organisation_id: int, version_year: int | None
) -> tuple[EntryValues | None, dict[str, list[str]]]:
    """The row's values (None when a required one cannot be read) and its parse errors."""
    errors: dict[str, list[str]] = {}

    def cell(field: str) -> str:
        column = mapping.get(field)
        if column is None or column >= len(cells):
            return ""
        return str(cells[column]).strip()

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    def day(field: str) -> datetime.date | None:
        text = cell(field)
        if not text:
            return None
        try:
            return _date(text)
        except ValueError:
            error(
                field,
                _("“%(value)s” is not a date (write 31-12-2015 or 2015-12-31).") % {"value": text},
            )
            return None

    def number(field: str) -> int:
        text = cell(field)
        if not text:
            return 0
        if not re.fullmatch(r"\d{1,5}", text):
            error(field, _("“%(value)s” is not a whole number.") % {"value": text})
            return 0
        return int(text)

    reference = cell("reference")
    if not reference:
        error("reference", _("The reference is missing."))
    elif len(reference) > 40:
        error("reference", _("The reference is longer than 40 characters."))
    received_on = day("received_on")
    if received_on is None and "received_on" not in errors:
        error("received_on", _("The date of receipt is missing."))
    kind = Kind.INTEGRITY_VIOLATION.value
    if text := cell("kind"):
        found = _choice(text, Kind, KIND_WORDS)
        if found is None:
            error("kind", _("“%(value)s” is not a kind of report.") % {"value": text})
        else:
            kind = found
    follow_up = ""
    if text := cell("follow_up"):
        found = _choice(text, FollowUpRoute)
        if found is None:
            error("follow_up", _("“%(value)s” is not a follow-up.") % {"value": text})
        else:
            follow_up = found
    investigated = False
    text = cell("investigated")
    if _normal(text) in TRUE_WORDS:
        investigated = True
    elif _normal(text) not in FALSE_WORDS:
        error("investigated", _("“%(value)s” is not yes or no.") % {"value": text})
    dates = {field: day(field) for field in ("acknowledged_on", "fed_back_on", "closed_on")}
    complaints, persons = number("criminal_complaints"), number("persons_involved")
    if errors.get("reference") or received_on is None:
        return None, errors

    year = version_year or received_on.year

    def codes(kind_of_list: str, text: str) -> list[str]:
        names = _names(kind_of_list, year)
        return [
            names.get(_normal(item), item) for item in _split(text, lambda t: _normal(t) in names)
        ]

    def one(kind_of_list: str, text: str) -> str:
        return _names(kind_of_list, year).get(_normal(text), text) if text else ""

    types = list(dict.fromkeys(codes(taxonomy.VIOLATION_TYPE, cell("violation_types"))))
    established = set(codes(taxonomy.VIOLATION_TYPE, cell("findings")))
    findings = {code: True for code in sorted(established)}
    if investigated:
        findings.update({code: False for code in types if code not in established})
    measures: dict[str, int] = {}
    names = _names(taxonomy.MEASURE, year)
    for item in _split(cell("measures"), lambda t: _normal(_counted(t)[0]) in names):
        name, count = _counted(item)
        if count is None:
            error("measures", _("“%(value)s” has no valid count.") % {"value": item})
            continue
        code = names.get(_normal(name), name)
        measures[code] = measures.get(code, 0) + count
    values = EntryValues(
        organisation_id=organisation_id,
        reference=reference,
        kind=kind,
        received_on=received_on,
        channel=one(taxonomy.CHANNEL, cell("channel")),
        violation_types=types,
        follow_up=follow_up,
        investigated=investigated,
        executor=one(taxonomy.EXECUTOR, cell("executor")),
        findings=dict(sorted(findings.items())),
        measures=dict(sorted(measures.items())),
        criminal_complaints=complaints,
        persons_involved=persons,
        version_year=version_year,
        acknowledged_on=dates["acknowledged_on"],
        fed_back_on=dates["fed_back_on"],
        closed_on=dates["closed_on"],
    )
    return values, errors


def _counted(item: str) -> tuple[str, int | None]:
    """ "dismissal:2" -> ("dismissal", 2); "dismissal" -> ("dismissal", 1)."""
    if match := re.fullmatch(r"(.+?)\s*[:×*]\s*(\S*)", item.strip()):
        name, count = match.groups()
        return name, int(count) if re.fullmatch(r"\d{1,4}", count) else None
    return item.strip(), 1


def plain(values: EntryValues) -> dict:
    # Shallow (asdict deep-copies, slowly): the values are only serialised as JSON.
    data = {field.name: getattr(values, field.name) for field in dataclasses.fields(values)}
    for field in ("received_on", "acknowledged_on", "fed_back_on", "closed_on"):
        if data[field] is not None:
            data[field] = data[field].isoformat()
    return data


def from_plain(data: dict) -> EntryValues:
    data = dict(data)
    for field in ("received_on", "acknowledged_on", "fed_back_on", "closed_on"):
        if data[field] is not None:
            data[field] = datetime.date.fromisoformat(data[field])
    return EntryValues(**data)
