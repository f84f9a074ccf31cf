"""The taxonomies the registry counts by, as data with validity periods and mappings
(REGISTRY.md "The category list changes over time"; RULES R13, R14). The lists before 2024 are
reconstructed from the published tables and marked so in docs/registry.md.

Each version: (kind, version, name, valid_from, valid_until, [(code, nl, en, successor codes)]).
The successor codes name items of the next version of the same kind.
"""

from django.db import migrations

VIOLATION_TYPES = [
    (
        "2005", "Schendingen 2005", 2005, 2008,
        [
            ("fraud", "Fraude", "Fraud", ["financial"]),
            ("corruption", "Corruptie", "Corruption", ["conflict_of_interest"]),
            ("secrecy", "Schending geheimhouding", "Breach of secrecy", ["information"]),
            ("other", "Overig", "Other", [
                "misuse_of_position", "misuse_of_powers", "internal_rules", "behaviour",
                "private_life", "whistleblower_wrongdoing",
            ]),
        ],
    ),
    (
        "2009", "Schendingen 2009-2017", 2009, 2017,
        [
            ("financial", "Financiële schendingen", "Financial violations", ["financial"]),
            ("conflict_of_interest", "Belangenverstrengeling", "Conflict of interest",
             ["position_powers_conflict"]),
            ("misuse_of_position", "Misbruik van positie", "Misuse of position",
             ["position_powers_conflict"]),
            ("misuse_of_powers", "Misbruik van bevoegdheden", "Misuse of powers",
             ["position_powers_conflict"]),
            ("information", "Lekken en misbruik van informatie",
             "Leaking and misuse of information", ["information"]),
            ("internal_rules", "Schending interne regels", "Breach of internal rules",
             ["internal_rules"]),
            ("behaviour", "Ongewenste omgangsvormen", "Undesirable behaviour", ["behaviour"]),
            ("private_life", "Misdragingen in de privésfeer", "Misconduct in private life",
             ["private_life"]),
            ("whistleblower_wrongdoing", "Misstand onder de klokkenluidersregeling",
             "Wrongdoing under the whistleblower regulation", ["whistleblower_wrongdoing"]),
        ],
    ),
    (
        "2018", "Schendingen 2018-2021", 2018, 2021,
        [
            ("financial", "Financiële schendingen", "Financial violations", ["financial"]),
            ("position_powers_conflict",
             "Misbruik van positie, bevoegdheden en belangenverstrengeling",
             "Misuse of position, powers and conflict of interest",
             ["position_powers_conflict"]),
            ("information", "Lekken en misbruik van informatie",
             "Leaking and misuse of information", ["information"]),
            ("internal_rules", "Schending interne regels (ook misbruik bedrijfsmiddelen)",
             "Breach of internal rules (including company resources)",
             ["internal_rules", "resources"]),
            ("behaviour", "Ongewenste omgangsvormen", "Undesirable behaviour", ["behaviour"]),
            ("private_life", "Misdragingen in de privésfeer", "Misconduct in private life",
             ["private_life"]),
            ("whistleblower_wrongdoing", "Misstand onder de klokkenluidersregeling",
             "Wrongdoing under the whistleblower regulation", ["other"]),
        ],
    ),
    (
        "2022", "Schendingen 2022-2023", 2022, 2023,
        [
            ("financial", "Financiële schendingen", "Financial violations", ["financial"]),
            ("position_powers_conflict",
             "Misbruik van positie, bevoegdheden en belangenverstrengeling",
             "Misuse of position, powers and conflict of interest", ["position", "powers"]),
            ("information", "Lekken en misbruik van informatie",
             "Leaking and misuse of information", ["information"]),
            ("resources", "Oneigenlijk gebruik van bedrijfsmiddelen",
             "Improper use of company resources", ["resources"]),
            ("internal_rules", "Schending interne regels", "Breach of internal rules",
             ["resources"]),
            ("behaviour", "Ongewenste omgangsvormen", "Undesirable behaviour", ["behaviour"]),
            ("private_life", "Misdragingen in de privésfeer", "Misconduct in private life",
             ["private_life"]),
            ("other", "Overig", "Other", []),
        ],
    ),
    (
        "2024", "Schendingen 2024 (BZK)", 2024, None,
        [
            ("financial", "Financiële schendingen", "Financial violations", []),
            ("position", "Misbruik van positie en belangenverstrengeling",
             "Misuse of position and conflict of interest", []),
            ("information", "Lekken, misbruiken, achterhouden of onzorgvuldig omgaan met informatie",
             "Leaking, misusing, withholding or improperly handling information", []),
            ("communication", "Ongepaste communicatie", "Inappropriate communication", []),
            ("powers", "Misbruik van bevoegdheden", "Misuse of powers", []),
            ("force", "Misbruik van geweldsbevoegdheid", "Misuse of the power to use force", []),
            ("behaviour", "Ongewenst gedrag", "Undesirable behaviour", []),
            ("resources", "Misbruik van bedrijfsmiddelen en schending van regels",
             "Misuse of company resources and breach of rules", []),
            ("private_life", "Ongepast gedrag in de privésfeer",
             "Inappropriate conduct in private life", []),
        ],
    ),
]

MEASURES = [
    (
        "legacy", "Maatregelen tot 2020", 2005, 2019,
        [
            ("dismissal", "Ontslag", "Dismissal", ["dismissal"]),
            ("conditional_dismissal", "Voorwaardelijk ontslag", "Conditional dismissal",
             ["other"]),
            ("reprimand_or_note", "Berisping of ambtsbericht", "Reprimand or official note",
             ["written_reprimand"]),
            ("transfer", "Verplaatsing", "Transfer", ["transfer"]),
            ("other", "Andere maatregel", "Other measure",
             ["ikb_reduction", "no_periodic_increase", "fine", "other"]),
            ("none", "Geen maatregel", "No measure", ["none"]),
        ],
    ),
    (
        "cao2020", "Maatregelen cao Rijk (sinds 2020)", 2020, None,
        [
            ("written_reprimand", "Schriftelijke berisping", "Written reprimand", []),
            ("ikb_reduction", "Vermindering van IKB-uren", "Reduction of IKB hours", []),
            ("no_periodic_increase", "Geen periodieke salarisverhoging",
             "No periodic salary increase", []),
            ("transfer", "Overplaatsing", "Transfer to another post or place", []),
            ("fine", "Geldboete", "Fine", []),
            ("dismissal", "Ontslag", "Termination of employment", []),
            ("other", "Andere maatregel", "Other measure", []),
            ("none", "Geen maatregel", "No measure", []),
        ],
    ),
]

CHANNELS = [
    (
        "2005", "Kanalen", 2005, None,
        [
            ("online", "Online formulier", "Online form", []),
            ("manager", "Via een leidinggevende", "Via a manager", []),
            ("coordinator", "Via de integriteitscoördinator", "Via the integrity coordinator", []),
            ("confidential_adviser", "Via een vertrouwenspersoon", "Via a confidential adviser",
             []),
            ("other", "Anders (brief, extern signaal)", "Other (letter, outside signal)", []),
        ],
    ),
]

EXECUTORS = [
    (
        "2005", "Onderzoekers", 2005, None,
        [
            ("internal", "Intern onderzoek", "Internal investigation", []),
            ("adr", "Auditdienst Rijk", "Government Audit Service (ADR)", []),
            ("rijksrecherche", "Rijksrecherche", "Rijksrecherche", []),
            ("external", "Extern onderzoeksbureau", "External investigation bureau", []),
        ],
    ),
]

LISTS = {
    "violation_type": VIOLATION_TYPES,
    "measure": MEASURES,
    "channel": CHANNELS,
    "executor": EXECUTORS,
}


def add(apps, schema_editor):
    """Idempotent: tests that flush the database run it again (testing.ensure_reference_data)."""
    Taxonomy = apps.get_model("registry", "Taxonomy")
    Category = apps.get_model("registry", "Category")
    for kind, versions in LISTS.items():
        previous = None
        for version, name, valid_from, valid_until, items in versions:
            taxonomy, _created = Taxonomy.objects.update_or_create(
                kind=kind,
                version=version,
                defaults={
                    "name": name,
                    "valid_from": valid_from,
                    "valid_until": valid_until,
                    "predecessor": previous,
                },
            )
            for position, (code, nl, en, _successors) in enumerate(items, start=1):
                Category.objects.update_or_create(
                    taxonomy=taxonomy,
                    code=code,
                    defaults={"name_nl": nl, "name_en": en, "position": position},
                )
            previous = taxonomy
        for (version, *_rest, items), (next_version, *_next) in zip(
            versions, versions[1:], strict=False
        ):
            for code, _nl, _en, successors in items:
                category = Category.objects.get(
                    taxonomy__kind=kind, taxonomy__version=version, code=code
                )
                category.successors.set(
                    Category.objects.filter(
                        taxonomy__kind=kind, taxonomy__version=next_version, code__in=successors
                    )
                )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
