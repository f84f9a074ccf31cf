"""A copy of the database names nobody of a case (SECURITY.md "Tests that prove it"; issue 8
item 3; docs/decisions/0013).

One full case runs through the real views: a named report that picks a colleague from the staff
list, the acknowledgement and intake, the subject recorded and informed, an order measure, an
investigation with a subject interview and a witness interview (records with the adviser or
counsel named, the witness's comments, the subject's response to the draft), the decision, a
hearing with the person who assisted named, a measure; a declared conflict of interest; an
adviser's annual report with a recommendation, the response and a follow-up action with its
owner, and an interim signal with its answer. Every text carries a unique marker; the colleague,
the subject, the witness and the colleague of the declared conflict are accounts with unique
marker names, usernames and e-mail addresses.

Then the SQLite database file (with its journals; free pages and the free space inside pages
included) or a pg_dump, and every file under UPLOAD_ROOT, are searched for every marker, for
the receipt code in its displayed and its normalised form, and for every signed value found in
them (a Django session is signed, not encrypted: its payload is decoded and searched as well).

Staff accounts legitimately hold their own names: the marker names and e-mail addresses of the
marked people may occur **only in the accounts table itself** (`accounts_user`, its rows and its
indexes); their usernames also in the login log of django-axes (`axes_accesslog`: who logged in
when, nothing about a case; docs/decisions/0013 says what its times still let a reader guess).
How a table is told apart:
- PostgreSQL: the plain pg_dump is cut at its `COPY public.<table> ... FROM stdin;` blocks, and a
  hit counts as that table's only when it lies inside the table's block (`public.accounts_user`);
- SQLite: every page of the file is attributed to its b-tree through the `dbstat` virtual table
  (tables, indexes and their overflow pages; `sqlite_master` maps an index to its table); a hit
  counts as that table's only when its page belongs to it. Free pages, the journals and
  everything else count as anywhere.
Every other marker (texts, the receipt code) may occur nowhere at all.

Finally no table of reports, cases, investigations or advisers, and no audit entry's actor,
holds the marked people's user ids: references to them are keyed tags and sealed ids.
"""

import datetime
import re
import uuid
import zlib
from bisect import bisect_right
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core import signing
from django.db import connection
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from integriteit.accounts.models import User
from integriteit.advisers.models import AnnualReport, InterimSignal
from integriteit.cases.constants import ConflictCheckItem
from integriteit.cases.models import MeasureType, Subject
from integriteit.cases.views.panels import SECTIONS
from integriteit.investigations.constants import ReportVersionKind
from integriteit.investigations.models import Interview, Investigation
from integriteit.organisations.models import Organisation, Unit
from integriteit.reports import receipts
from integriteit.reports.models import Report
from integriteit.testing import (
    ensure_reference_data,
    shown_code,
    stored_bytes,
    user_references,
    verified_client,
)

pytestmark = pytest.mark.django_db(transaction=True)

RUN = uuid.uuid4().hex[:10].upper()
TODAY = datetime.date.today
TEXTS = {
    name: f"MARKER-{name.upper()}-{RUN} {words}"
    for name, words in {
        "description": "de inkoper past facturen aan",
        "where": "op de afdeling inkoop",
        "involved": "en zijn chef",
        "raised_with": "de teamleider",
        "reporter_name": "Henriette Melder",
        "acknowledgement": "wij hebben uw melding ontvangen",
        "assessment": "serieus vermoeden",
        "follow_up": "een onderzoek is nodig",
        "informed_note": "persoonlijk verteld",
        "order_reason": "risico voor getuigen",
        "assignment": "onderzoek de facturen",
        "step_value": "vastgelegd in de stap",
        "invitation": "u wordt uitgenodigd",
        "subject_record": "de medewerker ontkent",
        "witness_record": "de getuige zag het",
        "interview_adviser": "Mr. Raadsvrouw",
        "witness_comment": "het was dinsdag",
        "draft_response": "ik betwist de conclusie",
        "outcome": "vermoeden bevestigd",
        "decision": "schending vastgesteld",
        "hearing_record": "betrokkene erkent",
        "hearing_assistant": "Vakbondsjurist Bijstand",
        "recommendation": "train de leidinggevenden",
        "recommendation_response": "wij gaan trainen",
        "action": "training organiseren",
        "action_owner": "Afdeling Opleiding",
        "signal": "pesten neemt toe",
        "signal_response": "wij onderzoeken het",
    }.items()
}


@dataclass
class Marked:
    """An account with marker names (the colleague named, subject, witness, declared)."""

    key: str
    first_name: str
    user: User = field(init=False)

    @property
    def last_name(self) -> str:
        return f"{self.key.capitalize()}{RUN}"

    @property
    def username(self) -> str:
        return f"{self.key}-{RUN.lower()}"

    @property
    def email(self) -> str:
        return f"{self.key}-{RUN.lower()}@collega.example"

    def create(self, unit: Unit) -> "Marked":
        self.user = User.objects.create_user(
            self.username,
            email=self.email,
            first_name=self.first_name,
            last_name=self.last_name,
            unit=unit,
        )
        TOTPDevice.objects.create(user=self.user, name="default", confirmed=True)
        return self

    @property
    def names(self) -> list[str]:
        return [self.last_name, self.email, f"{self.first_name} {self.last_name}"]


def _forms_of(text: str) -> list[bytes]:
    """The ways a text could be stored: UTF-8, JSON-escaped, hex (PostgreSQL bytea), and each
    distinctive word on its own, so a partial leak is caught too."""
    raw = text.encode()
    forms = [raw, text.encode("unicode_escape"), raw.hex().encode()]
    return forms + [word.encode() for word in text.split() if RUN in word or "@" in word]


# --- Where a hit lies ---------------------------------------------------------------------------


@dataclass
class Source:
    """Stored bytes and, per offset, the table they belong to ("" when not known)."""

    data: bytes
    starts: list[int] = field(default_factory=lambda: [0])
    owners: list[str] = field(default_factory=lambda: [""])

    def owner(self, offset: int) -> str:
        return self.owners[bisect_right(self.starts, offset) - 1]


def _pg_dump_source(dump: bytes) -> Source:
    source = Source(dump)
    for match in re.finditer(rb"^COPY (\S+) .*? FROM stdin;\n(.*?)^\\\.$", dump, re.M | re.S):
        source.starts += [match.start(), match.end()]
        source.owners += [match.group(1).decode().removeprefix("public."), ""]
    return source


def _sqlite_pages() -> tuple[int, dict[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_size")
        page_size = cursor.fetchone()[0]
        cursor.execute("SELECT name, tbl_name FROM sqlite_master")
        table_of = dict(cursor.fetchall())
        cursor.execute("SELECT name, pageno FROM dbstat")
        pages = {pageno: table_of.get(name, name) for name, pageno in cursor.fetchall()}
    return page_size, pages


def _sqlite_source(data: bytes, page_size: int, pages: dict[int, str]) -> Source:
    source = Source(data, starts=[], owners=[])
    for number in range(1, len(data) // page_size + 1):
        source.starts.append((number - 1) * page_size)
        source.owners.append(pages.get(number, "free page"))
    return source


def _signed_values(data: bytes) -> list[bytes]:
    """The payloads of Django signed values (sessions) found in `data`, decoded; a value left
    half-overwritten in a free page is decoded as far as it goes. A session payload is JSON,
    so it starts with "eyJ" (base64 of '{"'), or with ".eJ" when compressed (zlib); in a raw
    SQLite record it follows the session key without a separator."""
    found = []
    signed = rb"(\.eJ[A-Za-z0-9_-]+|eyJ[A-Za-z0-9_-]+):[0-9A-Za-z]{1,10}:[A-Za-z0-9_-]{43}"
    for match in re.finditer(signed, data):
        payload = match.group(1)
        try:
            raw = signing.b64_decode(payload.lstrip(b"."))
            found.append(zlib.decompressobj().decompress(raw) if payload[:1] == b"." else raw)
        except (ValueError, zlib.error):
            continue
    return found


def _sources() -> dict[str, Source]:
    pages = _sqlite_pages() if connection.vendor == "sqlite" else None
    sources = {}
    database = str(connection.settings_dict["NAME"])
    for where, data in stored_bytes().items():
        if where == "pg_dump":
            sources[where] = _pg_dump_source(data)
        elif pages is not None and where == database:
            sources[where] = _sqlite_source(data, *pages)
        else:
            sources[where] = Source(data)
    for where, source in list(sources.items()):
        for number, payload in enumerate(_signed_values(source.data)):
            sources[f"{where}: signed value {number} (decoded)"] = Source(payload)
    return sources


def _leaks(sources: dict[str, Source], markers: list[str], *, allowed_in=frozenset()) -> list:
    leaks = []
    for marker in markers:
        for form in _forms_of(marker):
            for where, source in sources.items():
                start = source.data.find(form)
                while start != -1:
                    owner = source.owner(start)
                    if owner not in allowed_in:
                        leaks.append((marker, where, owner or "?"))
                    start = source.data.find(form, start + 1)
    return sorted(set(leaks))


# --- The case, through the views ----------------------------------------------------------------


class Case:
    def __init__(self, people, marked: dict[str, Marked]):
        self.people = people
        self.marked = marked
        self.client = {
            name: verified_client(people[name])
            for name in ("coordinator", "authority", "investigator", "guide", "adviser")
        }
        self.client |= {key: verified_client(m.user) for key, m in marked.items()}

    def post(self, who: str, url: str, data: dict | None = None) -> str:
        response = self.client[who].post(url, data or {}, follow=True)
        assert response.status_code == 200, (url, response.status_code)
        text = response.content.decode()
        assert "utrecht-alert--error" not in text, (url, re.findall(r"int-field-error.*", text))
        return text

    def case(self, who: str, tail: str, data: dict | None = None) -> str:
        # As the case page posts it: an irreversible step with its confirmation ticked.
        return self.post(
            who, f"/en/behandeling/{self.report.pk}/{tail}", {"confirm": "yes", **(data or {})}
        )

    def submit_report(self, reporter) -> str:
        response = reporter.post(
            "/melden/bzk/",
            {
                "kind": "integrity_violation",
                "violation_types": ["financial"],
                "description": TEXTS["description"],
                "occurred_when": "vorige maand",
                "occurred_where": TEXTS["where"],
                "involved_text": TEXTS["involved"],
                "involved_names": self.marked["colleague"].user.get_full_name(),
                "raised_before": "yes",
                "raised_with": TEXTS["raised_with"],
                "relation": "employee",
                "anonymous": "0",
                "name": TEXTS["reporter_name"],
                "email": f"melder-{RUN.lower()}@melder.example",
                "phone": "0612345678",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert reporter.post("/melden/versturen/").status_code == 302
        page = reporter.get("/melden/ontvangen/").content.decode()
        code = receipts.normalise(shown_code(page).strip())
        assert code is not None
        self.report = Report.objects.submitted().get(receipt_lookup=receipts.lookup_key(code))
        return code

    def intake(self) -> None:
        self.case("coordinator", "ontvangst/", {"text": TEXTS["acknowledgement"]})
        self.case("coordinator", "stap/start_assessment/")
        self.case(
            "coordinator",
            "beoordeling/",
            {
                "assessment-in_scope": "yes",
                "assessment-urgency": "high",
                "assessment-kind": "integrity_violation",
                "assessment-violation_types": ["financial"],
                "assessment-notes": TEXTS["assessment"],
            },
        )
        for role in ("competent_authority", "investigator"):
            person = {"competent_authority": "authority", "investigator": "investigator"}[role]
            self.case(
                "coordinator",
                f"toewijzen/{role}/",
                {f"assign-{role}-person": self.people[person].pk},
            )
        for item in ConflictCheckItem:
            self.case("coordinator", "belangencheck/", {"check-item": item.value})
        self.case("coordinator", "stap/complete_assessment/")
        self.case(
            "authority",
            "vervolg/",
            {"follow-up-route": "investigation", "follow-up-reason": TEXTS["follow_up"]},
        )

    def subject_and_order_measure(self) -> Subject:
        self.case("investigator", "beklagde/", {"subject-person": self.marked["subject"].user.pk})
        subject = Subject.objects.get(report=self.report)
        earlier = (timezone.localtime() - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
        prefix = f"informed-{subject.pk}"
        self.case(
            "investigator",
            f"beklagde/{subject.pk}/geinformeerd/",
            {
                f"{prefix}-informed_at": earlier,
                f"{prefix}-how": "in_person",
                f"{prefix}-note": TEXTS["informed_note"],
            },
        )
        self.case(
            "authority",
            "ordemaatregel/",
            {
                "order-subject": subject.pk,
                "order-kind": "suspension",
                "order-reason": TEXTS["order_reason"],
                "order-starts_on": TODAY().isoformat(),
                "order-ends_on": (TODAY() + datetime.timedelta(days=30)).isoformat(),
            },
        )
        return subject

    def investigation(self, subject: Subject) -> None:
        self.case(
            "authority",
            "onderzoek-opdracht/",
            {
                "commission-investigators": [self.people["investigator"].pk],
                "commission-deadline": (TODAY() + datetime.timedelta(days=90)).isoformat(),
                "commission-note": TEXTS["assignment"],
            },
        )
        investigation = Investigation.objects.get(report=self.report)
        url = f"/en/onderzoek/{investigation.pk}/"
        for rec in investigation.step_records.select_related("step").order_by("step__position"):
            step = rec.step
            who = {"competent_authority": "authority"}.get(step.responsible_role, "investigator")
            values = {
                f"values-{step.code}-{item['code']}": TEXTS["step_value"]
                for item in step.required_fields
            }
            if values:
                self.post(who, f"{url}stap/{step.code}/gegevens/", values)
            self.special(step.code, url, investigation, subject)
            self.post(who, f"{url}stap/{step.code}/afronden/")
        investigation.refresh_from_db()
        assert investigation.completed_at is not None

    def special(self, code: str, url: str, investigation: Investigation, subject: Subject) -> None:
        planned = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        if code == "interviews":
            self.post(
                "investigator",
                f"{url}gesprek/subject/",
                {
                    "plan-subject-subject": subject.pk,
                    "plan-subject-planned_at": planned,
                    "plan-subject-invitation": TEXTS["invitation"],
                },
            )
            self.post(
                "investigator",
                f"{url}gesprek/witness/",
                {
                    "plan-witness-interviewee": self.marked["witness"].user.pk,
                    "plan-witness-planned_at": planned,
                    "plan-witness-invitation": TEXTS["invitation"],
                },
            )
            subject_interview, witness_interview = investigation.interviews.order_by("role")
            for interview, text in (
                (subject_interview, TEXTS["subject_record"]),
                (witness_interview, TEXTS["witness_record"]),
            ):
                self.post(
                    "investigator",
                    f"{url}gesprek/{interview.pk}/verslag/",
                    {
                        f"record-{interview.pk}-text": text,
                        f"record-{interview.pk}-adviser": TEXTS["interview_adviser"],
                    },
                )
            portal = "/en/mijn-onderzoek/gesprek/"
            self.post("subject", f"{portal}{subject_interview.pk}/goedkeuren/")
            self.post(
                "witness",
                f"{portal}{witness_interview.pk}/opmerkingen/",
                {f"record-{witness_interview.pk}-comment": TEXTS["witness_comment"]},
            )
        elif code == "draft_report":
            self.post("investigator", f"{url}rapport/{ReportVersionKind.DRAFT}/")
        elif code == "subject_response":
            self.post("investigator", f"{url}concept-aanbieden/")
            draft = investigation.report_versions.get(kind=ReportVersionKind.DRAFT)
            self.post(
                "subject",
                f"/en/mijn-onderzoek/rapport/{draft.pk}/reactie/",
                {f"draft-{draft.pk}-response": TEXTS["draft_response"]},
            )
            download = self.client["subject"].get(f"{url}rapport/{draft.pk}/pdf/")
            assert download.status_code == 200
        elif code == "final_report":
            self.post("investigator", f"{url}rapport/{ReportVersionKind.FINAL}/")

    def decision_hearing_and_measure(self, subject: Subject) -> None:
        self.case("investigator", "uitkomst/", {"outcome-outcome": TEXTS["outcome"]})
        self.case("investigator", "stap/complete_investigation/")
        self.case(
            "authority",
            "besluit/",
            {
                "decision-summary": TEXTS["decision"],
                "decision-decided_on": TODAY().isoformat(),
                "decision-finding_financial": "yes",
            },
        )
        self.case(
            "authority",
            "hoorzitting/",
            {
                "hearing-subject": subject.pk,
                "hearing-held_on": TODAY().isoformat(),
                "hearing-form": "both",
                "hearing-assisted_by": TEXTS["hearing_assistant"],
                "hearing-record_text": TEXTS["hearing_record"],
            },
        )
        self.case(
            "authority",
            "maatregel/",
            {
                "measure-measure_type": MeasureType.objects.get(code="written_reprimand").pk,
                "measure-subject": subject.pk,
                "measure-imposed_on": TODAY().isoformat(),
            },
        )

    def declared_conflict(self) -> None:
        self.post(
            "guide",
            "/en/behandeling/belangenverstrengeling/",
            {"conflict-person": self.marked["declared"].user.pk},
        )

    def adviser_work(self) -> None:
        bzk = Organisation.objects.get(slug="bzk")
        year = TODAY().year - 1
        self.post(
            "adviser",
            "/en/vertrouwenspersonen/jaarverslag/",
            {"organisation": bzk.pk, "year": year},
        )
        annual = AnnualReport.objects.get(organisation=bzk, year=year)
        base = "/en/vertrouwenspersonen/jaarverslag/"
        self.post("adviser", f"{base}{annual.pk}/aanbeveling/", {"text": TEXTS["recommendation"]})
        self.post("adviser", f"{base}{annual.pk}/versturen/")
        recommendation = annual.recommendations.get()
        self.post(
            "authority",
            f"{base}aanbeveling/{recommendation.pk}/reactie/",
            {"text": TEXTS["recommendation_response"]},
        )
        self.post(
            "authority",
            f"{base}aanbeveling/{recommendation.pk}/actie/",
            {
                "description": TEXTS["action"],
                "owner": TEXTS["action_owner"],
                "due_on": (TODAY() + datetime.timedelta(days=60)).isoformat(),
            },
        )
        signals = "/en/vertrouwenspersonen/signalen/"
        self.post("adviser", signals, {"organisation": bzk.pk, "text": TEXTS["signal"]})
        signal = InterimSignal.objects.get(organisation=bzk)
        self.post("authority", signals, {"signal": signal.pk, "text": TEXTS["signal_response"]})


def test_a_dump_of_a_full_case_holds_no_name_text_or_receipt_code(client, people):
    ensure_reference_data()
    units = {u.name: u for u in Unit.objects.filter(organisation__slug="bzk")}
    marked = {
        "colleague": Marked("genoemd", "Cornelis").create(units["Directie Bedrijfsvoering"]),
        "subject": Marked("beklaagde", "Sanne").create(units["Team Integriteit en Ethiek"]),
        "witness": Marked("getuige", "Willem").create(units["Directie Bedrijfsvoering"]),
        "declared": Marked("verwant", "Dora").create(units["Directie Bedrijfsvoering"]),
    }
    case = Case(people, marked)
    code = case.submit_report(client)
    case.intake()
    subject = case.subject_and_order_measure()
    case.investigation(subject)
    case.decision_hearing_and_measure(subject)
    case.declared_conflict()
    case.adviser_work()

    # Positive controls: everything arrived and is shown to those who may see it.
    page = "".join(  # every section of the case page
        case.client["authority"]
        .get(f"/en/behandeling/{case.report.pk}/?section={section.key}")
        .content.decode()
        for section in SECTIONS
    )
    for shown in (marked["subject"].last_name, TEXTS["hearing_assistant"], TEXTS["decision"]):
        assert shown in page, shown
    investigation = Investigation.objects.get(report=case.report)
    page = case.client["investigator"].get(f"/en/onderzoek/{investigation.pk}/").content.decode()
    for shown in (
        marked["witness"].last_name,
        TEXTS["interview_adviser"],
        TEXTS["witness_comment"],
    ):
        assert shown in page, shown
    page = case.client["witness"].get("/en/mijn-onderzoek/").content.decode()
    assert TEXTS["witness_record"] in page and TEXTS["interview_adviser"] in page
    page = case.client["guide"].get("/en/behandeling/belangenverstrengeling/").content.decode()
    assert marked["declared"].last_name in page
    annual = AnnualReport.objects.get()
    response = case.client["authority"].get(f"/en/vertrouwenspersonen/jaarverslag/{annual.pk}/")
    for shown in (TEXTS["recommendation"], TEXTS["recommendation_response"], TEXTS["action_owner"]):
        assert shown in response.content.decode(), shown
    page = case.client["authority"].get("/en/vertrouwenspersonen/signalen/").content.decode()
    assert TEXTS["signal"] in page and TEXTS["signal_response"] in page
    assert Interview.objects.filter(investigation=investigation).count() == 2

    sources = _sources()
    everything = b"".join(source.data for source in sources.values())
    # The search reads the real data: clear metadata and the accounts are found.
    assert case.report.reference.encode() in everything
    assert marked["subject"].last_name.encode() in everything
    assert any(where.startswith(str(settings.UPLOAD_ROOT)) for where in sources), "no files"
    assert any("signed value" in where for where in sources), "no session decoded"

    texts_and_codes = [*TEXTS.values(), code, receipts.normalise(code) or code]
    names = [name for person in marked.values() for name in person.names]
    usernames = [person.username for person in marked.values()]
    leaks = (
        _leaks(sources, texts_and_codes)
        + _leaks(sources, names, allowed_in={"accounts_user"})
        + _leaks(sources, usernames, allowed_in={"accounts_user", "axes_accesslog"})
    )
    assert not leaks, f"found in the stored data: {leaks}"
    assert not user_references({m.user.pk for m in marked.values()})
