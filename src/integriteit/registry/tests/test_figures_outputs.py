"""Suppression in what a user receives (issue 11: "no suppressed cell can be recovered from the
totals of its row or column (property-based), in the page, the CSV, the XLSX and the PDF").

Random registry entries go through the real publication path (annual returns opened,
submitted, validated, published); the published figures page and its CSV, XLSX and PDF are
fetched through the test client and each table is parsed back out of each of them. The true
counts are computed here from the entries, not through `cells` or `published`. For every table
in every output:

(a) every cell whose true value is 1 up to the threshold minus one is shown as "<5", and every
    shown number is the true one;
(b) no line (a row with its row total, a column with its column total) has exactly one hidden
    cell: a lone hidden cell, or a hidden total beside shown parts, follows from the others;
(c) the four outputs are the same tables, so they agree on which cells are hidden.

And across tables: a count published in two tables (an organisation's reports in the funnel and
in the totals of the kinds) is hidden in both or in neither.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from integriteit.accounts.constants import Role
from integriteit.organisations.constants import Sector
from integriteit.organisations.models import Organisation
from integriteit.registry import returns, taxonomy
from integriteit.registry.models import AnnualReturn, Category
from integriteit.registry.tests import regdata
from integriteit.registry.tests.regdata import add_entry
from integriteit.reports.constants import Kind
from integriteit.testing import verified_client

pytestmark = pytest.mark.django_db
orgs, users = regdata.orgs, regdata.users  # fixtures
D = datetime.date
YEAR = 2024
THRESHOLD = 5
TYPES = ["financial", "behaviour", "information"]
INSIDE = ["bzk", "fin", "jenv"]
OUTSIDE = ["defensie"]
# How far an entry got: reported, investigated, a violation established, a measure, a complaint.
OUTCOMES = ["reported", "investigated", "established", "measure", "complaint"]
CELL = re.compile(r"^(\d+|<\d+|\*)$")


@pytest.fixture
def setting(orgs, users, make_staff):
    """The organisations and the coordinators that submit and validate their returns: a third
    ministry beside BZK and FIN under BZK's coordination, and Defensie outside it."""
    jenv = Organisation.objects.create(
        slug="jenv",
        name="Ministerie van Justitie en Veiligheid",
        abbreviation="JenV",
        sector=Sector.RIJK,
    )
    coordinator = make_staff(Role.COORDINATOR, "jenv", username="jenv-coord")
    coordinator.is_verified = lambda: True
    organisations = {**orgs, "jenv": jenv}
    submitters = {
        "bzk": users["bzk_coordinator"],
        "fin": users["fin_coordinator"],
        "jenv": coordinator,
        "defensie": users["def_coordinator"],
    }
    return organisations, submitters, users


# --- The entries and what they should give -------------------------------------------------------


@dataclass(frozen=True)
class Drawn:
    organisation: str
    types: tuple[str, ...]
    kind: str
    outcome: str


entries_strategy = st.lists(
    st.builds(
        Drawn,
        st.sampled_from(INSIDE + OUTSIDE),
        st.lists(st.sampled_from(TYPES), min_size=1, max_size=2, unique=True).map(tuple),
        st.sampled_from(Kind.values),
        st.sampled_from(OUTCOMES),
    ),
    max_size=36,
)
publishing_strategy = st.sets(st.sampled_from(INSIDE), min_size=1).map(sorted)


def write(organisations, drawn: list[Drawn]) -> None:
    for i, d in enumerate(drawn):
        level = OUTCOMES.index(d.outcome)
        add_entry(
            organisations[d.organisation],
            D(YEAR, 1 + i % 12, 1 + i % 28),
            violation_types=list(d.types),
            kind=d.kind,
            investigated=level >= 1,
            findings={d.types[0]: True} if level >= 2 else ({d.types[0]: False} if level else {}),
            measures={"fine": 1} if level >= 3 else {},
            criminal_complaints=1 if level >= 4 else 0,
            closed_on=D(YEAR, 12, 1) if level >= 2 else None,
        )


def publish_year(organisations, submitters, users, names: list[str]) -> None:
    for name in names:
        annual_return = returns.open_return(submitters[name], organisations[name], YEAR)
        returns.submit(submitters[name], annual_return)
        returns.set_headcount(submitters[name], organisations[name], YEAR, Decimal(1000))
    for annual_return in AnnualReturn.objects.filter(year=YEAR).select_related("organisation"):
        outside = annual_return.organisation.outside_bzk_coordination
        returns.validate(users["def_authority"] if outside else users["government"], annual_return)
    returns.publish(users["government"], YEAR)


@dataclass
class Truth:
    """A table as it should be before suppression: the true value per row label and column,
    and which sums it publishes."""

    rows: dict[str, list[int]]
    row_totals: bool
    column_totals: bool
    columns: list[str] | None = None  # the organisations, where the columns are organisations
    sums: dict[str, list[int]] = field(default_factory=dict)  # with the totals added

    def __post_init__(self) -> None:
        sums = {
            label: [*values, sum(values)] if self.row_totals else list(values)
            for label, values in self.rows.items()
        }
        if self.column_totals:
            width = len(next(iter(sums.values()))) if sums else 0
            sums[TOTAL()] = [sum(v[j] for v in sums.values()) for j in range(width)]
        self.sums = sums


def TOTAL() -> str:  # a label, translated when asked
    return translation.gettext("Total")


def truth(organisations, drawn: list[Drawn], publishing: list[str]) -> dict[str, Truth]:
    """The tables' true counts, from the entries of the organisations whose return is published."""
    name = {slug: organisations[slug].abbreviation for slug in organisations}
    inside = sorted(publishing, key=lambda s: name[s])
    outside = list(OUTSIDE)
    counted = [d for d in drawn if d.organisation in inside or d.organisation in outside]

    def funnel(slug: str) -> list[int]:
        mine = [OUTCOMES.index(d.outcome) for d in counted if d.organisation == slug]
        return [sum(1 for level in mine if level >= k) for k in range(5)]

    version = taxonomy.version_for(taxonomy.VIOLATION_TYPE, YEAR)
    type_label = {c.code: c.name for c in Category.objects.filter(taxonomy=version)}
    codes = sorted({t for d in counted if d.organisation in inside for t in d.types})
    by_type = Counter((d.organisation, t) for d in counted for t in d.types)
    established = Counter(
        (d.organisation, d.types[0]) for d in counted if OUTCOMES.index(d.outcome) >= 2
    )
    by_kind = Counter((d.organisation, d.kind) for d in counted)
    measured = Counter(d.organisation for d in counted if OUTCOMES.index(d.outcome) >= 3)
    open_ = Counter(d.organisation for d in counted if OUTCOMES.index(d.outcome) < 2)
    measures = [
        item
        for item in taxonomy.items_of(taxonomy.version_for(taxonomy.MEASURE, YEAR))
        if item.code != "none"
    ]
    columns = [name[s] for s in inside]
    tables = {
        "funnel": Truth({name[s]: funnel(s) for s in inside}, False, True),
        "types": Truth(
            {type_label[c]: [by_type[s, c] for s in inside] for c in codes}, True, False, columns
        ),
        "established": Truth(
            {type_label[c]: [established[s, c] for s in inside] for c in codes},
            True,
            False,
            columns,
        ),
        "kinds": Truth(
            {str(label): [by_kind[s, code] for s in inside] for code, label in Kind.choices},
            True,
            True,
            columns,
        ),
        "measures": Truth(
            {
                item.name: [measured[s] if item.code == "fine" else 0 for s in inside]
                for item in measures
            },
            True,
            True,
            columns,
        ),
        # Open at the reference date, acknowledged and fed back in time (no entry has a date).
        "handling": Truth({name[s]: [open_[s], 0, 0] for s in inside}, False, True),
        "outside": Truth({name[s]: funnel(s) for s in outside}, False, False),
    }
    return tables


# --- Reading the tables back out of each output ------------------------------------------------


@dataclass
class Parsed:
    caption: str
    header: list[str]  # the columns, without the first ("Category")
    rows: list[tuple[str, list[str]]]


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def from_page(content: bytes) -> list[Parsed]:
    tree = lxml_html.fromstring(content)
    tables = []
    for table in tree.xpath('//table[contains(@class, "int-figures")]'):
        header = [_text(th) for th in table.xpath("./thead//th")][1:]
        rows = [
            (_text(tr.xpath("./th")[0]), [_text(td) for td in tr.xpath("./td")])
            for tr in table.xpath("./tbody/tr")
        ]
        tables.append(Parsed(_text(table.xpath("./caption")[0]), header, rows))
    return tables


def _blocks(lines: list[list[str]]) -> list[Parsed]:
    """Export lines in blocks separated by an empty line: the first line of a table's block is
    its caption and header, then one line per row."""
    blocks: list[list[list[str]]] = [[]]
    for line in lines:
        if any(line):
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    parsed = []
    for block in blocks:
        if not block:
            continue
        width = len(block[0])
        parsed.append(
            Parsed(block[0][0], block[0][1:], [(line[0], line[1:width]) for line in block[1:]])
        )
    return parsed


def from_csv(content: bytes) -> list[Parsed]:
    return _blocks(list(csv.reader(io.StringIO(content.decode("utf-8")))))


def from_xlsx(content: bytes) -> list[Parsed]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    lines = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    # A sheet is as wide as its widest line: trailing empty cells are not part of a line.
    return _blocks(
        [line[: max((i + 1 for i, v in enumerate(line) if v), default=0)] for line in lines]
    )


def from_pdf(content: bytes, page: list[Parsed]) -> list[Parsed]:
    """The PDF's text as one run of words (lines wrap anywhere, a table breaks across pages,
    a chart's text may come at the end of its page). Each table of the page is looked for by
    its caption, "Category" and the header; then each of its rows, in order, by its label
    followed by exactly one word per cell ("12", "<5", "*")."""
    from pypdf import PdfReader

    words = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()

    def find(wanted: list[str], start: int, cells: int = 0) -> int:
        for i in range(start, len(words) - len(wanted) + 1):
            if words[i : i + len(wanted)] == wanted and _cells_at(words, i + len(wanted)) == cells:
                return i
        raise AssertionError(f"{' '.join(wanted)!r} with {cells} cells not in the PDF")

    tables = []
    for table in page:
        wanted = table.caption.split()
        position = find(wanted, 0) + len(wanted)
        header = " ".join(table.header).split()  # after "Category", perhaps after a chart's text
        position = find(header, position) + len(header)
        rows = []
        for label, _cells in table.rows:
            wanted = label.split()
            position = find(wanted, position, len(table.header)) + len(wanted)
            rows.append((label, words[position : position + len(table.header)]))
            position += len(table.header)
        tables.append(Parsed(table.caption, table.header, rows))
    return tables


def _cells_at(words: list[str], position: int) -> int:
    """How many cell words ("12", "<5", "*") follow from `position`."""
    count = 0
    while position + count < len(words) and CELL.match(words[position + count]):
        count += 1
    return count


# --- The checks -------------------------------------------------------------------------------


def hidden(value: str) -> bool:
    return not value.isdigit()


def check_table(key: str, parsed: Parsed, expected: Truth, output: str) -> None:
    where = f"{output}, table {key}"
    labels = [label for label, _cells in parsed.rows]
    assert labels == list(expected.sums), where
    if expected.columns is not None:
        assert parsed.header == expected.columns + ([TOTAL()] if expected.row_totals else []), where
    grid = [cells for _label, cells in parsed.rows]
    for (label, cells), true in zip(parsed.rows, expected.sums.values(), strict=True):
        assert len(cells) == len(true), where
        for shown, value in zip(cells, true, strict=True):
            if 0 < value < THRESHOLD:
                assert shown == f"<{THRESHOLD}", (where, label, value, shown)  # (a)
            elif not hidden(shown):
                assert int(shown) == value, (where, label, value, shown)
            else:
                assert shown == "*", (where, label, value, shown)
    if expected.row_totals:  # (b) each row with its total
        for label, cells in parsed.rows:
            assert sum(map(hidden, cells)) != 1, (where, "row", label, cells)
    if expected.column_totals and grid:  # (b) each column with its total
        for j in range(len(grid[0])):
            column = [cells[j] for cells in grid]
            assert sum(map(hidden, column)) != 1, (where, "column", j, column)


def check_across(tables: dict[str, Parsed]) -> None:
    """A count in two tables is hidden in both or in neither: an organisation's reports (the
    funnel's first column, the kinds' totals), the sector's reports (their grand totals)."""
    funnel = {label: cells[0] for label, cells in tables["funnel"].rows}
    kinds = dict(zip(tables["kinds"].header, dict(tables["kinds"].rows)[TOTAL()], strict=True))
    for label, shown in funnel.items():  # "Total" too: the sector's
        assert shown == kinds[label], (label, shown, kinds[label])
    measures = dict(tables["measures"].rows).get(TOTAL())
    if measures is not None:  # the funnel's measures and the measures' totals: one cell each
        by_organisation = dict(zip(tables["measures"].header, measures, strict=True))
        for label, cells in tables["funnel"].rows:
            assert cells[3] == by_organisation[label], (label, cells[3], by_organisation[label])


KEYS = ["funnel", "types", "established", "kinds", "measures", "handling", "outside"]


def check_filtered(whole: list[Parsed], filtered: list[Parsed], organisation: str) -> None:
    """The page filtered on one organisation shows its row or column of the whole page's
    tables, hidden where it is hidden there; its totals are that row or column again."""
    by_caption = {table.caption: (key, table) for key, table in zip(KEYS, whole, strict=True)}
    for table in filtered:
        assert table.caption in by_caption, table.caption
        key, full = by_caption[table.caption]
        rows = dict(full.rows)
        if key in ("funnel", "handling", "outside"):  # organisations as rows
            assert [label for label, _cells in table.rows] in (
                [organisation, TOTAL()],
                [organisation],
                [],
            ), table.caption
            for label, cells in table.rows:
                assert cells == rows[organisation], (table.caption, label)
            continue
        if organisation not in full.header:  # outside BZK's coordination: not in this table
            assert (table.header, table.rows) == ([TOTAL()], []), table.caption
            continue
        assert table.header == [organisation, TOTAL()], table.caption
        j = full.header.index(organisation)
        for label, cells in table.rows:
            assert cells == [rows[label][j], rows[label][j]], (table.caption, label)


def check_outputs(setting, drawn: list[Drawn], publishing: list[str], filtered_on: int = 0) -> None:
    """Publish the year of `drawn` (the returns of `publishing` and Defensie's), fetch the
    page and its exports, and check every table of each, and the page filtered on one of the
    organisations (the `filtered_on`th); all rolled back afterwards."""
    organisations, submitters, users = setting
    with transaction.atomic(), translation.override("nl"):
        write(organisations, drawn)
        publish_year(organisations, submitters, users, [*publishing, *OUTSIDE])
        expected = truth(organisations, drawn, publishing)
        client = verified_client(users["employee"])
        page = from_page(client.get(reverse("registry:figures")).content)
        assert len(page) == len(KEYS)
        outputs = {
            "page": page,
            "csv": from_csv(client.get(reverse("registry:figures_csv")).content),
            "xlsx": from_xlsx(client.get(reverse("registry:figures_xlsx")).content),
            "pdf": from_pdf(client.get(reverse("registry:figures_pdf")).content, page),
        }
        captions = [table.caption for table in page]
        for output, tables in outputs.items():
            found = {t.caption: t for t in tables}
            for key, caption in zip(KEYS, captions, strict=True):
                assert caption in found, (output, caption)
                check_table(key, found[caption], expected[key], output)
            check_across(dict(zip(KEYS, (found[c] for c in captions), strict=True)))
            # (c) the same tables, so the same cells hidden
            assert [found[c] for c in captions] == page, output
        chosen = organisations[[*publishing, *OUTSIDE][filtered_on % (len(publishing) + 1)]]
        response = client.get(reverse("registry:figures"), {"organisation": chosen.pk})
        check_filtered(page, from_page(response.content), chosen.abbreviation)
        transaction.set_rollback(True)


def test_a_year_with_small_counts_through_every_output(setting):
    drawn = [
        Drawn(
            INSIDE[i % 3] if i % 4 else "defensie",
            tuple(TYPES[i % 3 : i % 3 + 1 + i % 2]),
            Kind.WRONGDOING.value if i % 5 else Kind.INTEGRITY_VIOLATION.value,
            OUTCOMES[i % 5],
        )
        for i in range(30)
    ]
    check_outputs(setting, drawn, INSIDE)


@settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=entries_strategy, publishing=publishing_strategy, filtered_on=st.integers(0, 3))
def test_what_a_user_receives_gives_no_suppressed_cell_away(
    setting, drawn, publishing, filtered_on
):
    check_outputs(setting, drawn, publishing, filtered_on)
