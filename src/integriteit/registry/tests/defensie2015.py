"""The Defensie 2015 funnel of REGISTRY.md as an earlier register to import: 417 reports, 376
investigations, 284 with an established violation (codes of the 2009 list), measures dismissal
114, reprimand or official note 101, transfer 9, other 90, none 153.

Shared with the figures tests: `defensie()` makes the organisation (outside BZK's coordination),
`csv_bytes()` the file, `FUNNEL` and `MEASURES` the published figures.

How the rows are laid out (every sanction on a row with an established finding):
- rows 0-283 established; 0-113 dismissal, 114-214 reprimand or note, 215-223 transfer,
  224-283 other (60);
- rows 284-375 investigated, nothing established; 284-313 other (30), the rest no measure;
- rows 376-416 not investigated, no measure;
- "none" counted twice (two persons involved) on the first 50 rows with no measure, so that the
  rows without a sanction add up to 153.
"""

import csv
import datetime
import io

from integriteit.organisations.models import Organisation

REPORTS, INVESTIGATED, ESTABLISHED = 417, 376, 284
FUNNEL = {"reports": REPORTS, "investigations": INVESTIGATED, "established": ESTABLISHED}
MEASURES = {"dismissal": 114, "reprimand_or_note": 101, "transfer": 9, "other": 90, "none": 153}
TYPES_2009 = (
    "financial",
    "conflict_of_interest",
    "misuse_of_position",
    "misuse_of_powers",
    "information",
    "internal_rules",
    "behaviour",
    "private_life",
    "whistleblower_wrongdoing",
)
EXECUTORS = ("internal", "rijksrecherche", "adr", "external")
CHANNELS = ("online", "manager", "coordinator", "confidential_adviser", "other")
HEADERS = [
    "Kenmerk",
    "Datum ontvangst",
    "Soort melding",
    "Kanaal",
    "Soort schending",
    "Vervolg",
    "Onderzocht",
    "Onderzocht door",
    "Vastgesteld",
    "Maatregelen",
    "Aangiftes",
    "Betrokkenen",
    "Afgesloten",
]


def defensie() -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        slug="defensie",
        defaults={
            "name": "Ministerie van Defensie",
            "abbreviation": "DEF",
            "sector": "rijk",
            "outside_bzk_coordination": True,
        },
    )
    return organisation


def _measure(i: int) -> str:
    if i < 114:
        return "dismissal"
    if i < 215:
        return "reprimand_or_note"
    if i < 224:
        return "transfer"
    if i < 314:
        return "other"
    # 103 rows without a measure: the first 50 count "none" twice.
    return "none:2" if i < 364 else "none"


def rows() -> list[list[str]]:
    result = []
    for i in range(REPORTS):
        received = datetime.date(2015, 1, 1) + datetime.timedelta(days=i * 364 // REPORTS)
        investigated = i < INVESTIGATED
        violation_type = TYPES_2009[i % len(TYPES_2009)]
        measure = _measure(i)
        result.append(
            [
                f"DEF-2015-{i + 1:04d}",
                received.strftime("%d-%m-%Y"),
                "integrity_violation",
                CHANNELS[i % len(CHANNELS)],
                violation_type,
                "investigation" if investigated else "no_further_action",
                "ja" if investigated else "nee",
                EXECUTORS[i % len(EXECUTORS)] if investigated else "",
                violation_type if i < ESTABLISHED else "",
                measure,
                "1" if i % 40 == 0 and i < ESTABLISHED else "0",
                "2" if measure == "none:2" else "1",
                (received + datetime.timedelta(days=90)).isoformat(),
            ]
        )
    return result


def csv_bytes(delimiter: str = ";") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(HEADERS)
    writer.writerows(rows())
    return out.getvalue().encode("utf-8")
