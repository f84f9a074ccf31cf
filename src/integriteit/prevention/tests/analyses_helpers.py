"""Helpers of the risk analysis tests: an analysis of BZK with a process and a risk, written
through the services by the demo coordinator."""

import datetime

from django.utils import timezone

from integriteit.cases.tests.flow import verified
from integriteit.organisations.models import Organisation
from integriteit.prevention import services_analyses as services
from integriteit.prevention.constants_analyses import AnalysisObject, ProcessArea


def make_analysis(coordinator, *, year: int | None = None, title: str = "Analyse Bedrijfsvoering"):
    today = timezone.localdate()
    return services.create_analysis(
        verified(coordinator),
        Organisation.objects.get(slug="bzk"),
        services.AnalysisValues(
            title=title,
            year=year or today.year,
            analysed_on=today - datetime.timedelta(days=1),
            object_kind=AnalysisObject.UNIT,
        ),
    )


def make_process(coordinator, analysis, name: str = "Inkoop"):
    return services.save_process(
        verified(coordinator),
        analysis,
        {"name": name, "area": ProcessArea.PROCUREMENT, "activities": ["contracting"]},
    )


def make_risk(coordinator, analysis=None, title: str = "Bevoordeling van een leverancier"):
    analysis = analysis or make_analysis(coordinator)
    process = make_process(coordinator, analysis)
    return services.save_risk(verified(coordinator), process, {"title": title, "owner": "Hoofd"})
