"""Retention (RULES R9; ADR 0008): the investigation file of a case goes with the case's personal
data. Registered with `cases.retention` in `apps.py`, so cases does not import investigations."""

from django.db import transaction

from integriteit.reports.models import Report

from ..models import Interview, Investigation, InvestigationDocument, ReportVersion, StepRecord
from ..storage import path_of


def remove_personal_data(report: Report) -> dict[str, int]:
    """Retention (RULES R9): the investigation file of a case goes with its personal data; the
    fact that an investigation took place, its protocol version and dates stay (registry)."""
    investigations = list(report.investigations.all())
    documents = list(InvestigationDocument.objects.filter(investigation__in=investigations))
    versions = list(ReportVersion.objects.filter(investigation__in=investigations))
    paths = [path_of(d) for d in documents]
    paths += [path_of(v, name) for v in versions for name in ("pdf", "docx")]
    interviews = Interview.objects.filter(investigation__in=investigations)
    counts = {
        "investigation_documents": len(documents),
        "investigation_reports": len(versions),
        "interviews": interviews.count(),
    }
    InvestigationDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()
    ReportVersion.objects.filter(pk__in=[v.pk for v in versions]).delete()
    # The interviewee's lookup tag goes with the sealed id: left behind, it would still link
    # the person to this case for whoever holds the tag key (ADR 0013).
    interviews.update(
        interviewee_tag="",
        sealed_interviewee=None,
        subject=None,
        sealed_interviewee_description=None,
        sealed_invitation=b"",
        sealed_record=None,
        sealed_comment=None,
        sealed_adviser=None,
    )
    StepRecord.objects.filter(investigation__in=investigations).update(
        sealed_values=None, sealed_deviation_reason=None
    )
    Investigation.objects.filter(pk__in=[i.pk for i in investigations]).update(
        sealed_assignment=b""
    )
    transaction.on_commit(lambda: _unlink(paths))
    return counts


def _unlink(paths) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
