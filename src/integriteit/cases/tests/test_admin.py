import pytest

from integriteit.cases.models import MeasureType

pytestmark = pytest.mark.django_db


def test_administrator_configures_measures_but_sees_no_cases(people, staff_client, make_report):
    admin_client = staff_client(people["admin"])
    response = admin_client.get("/beheer/cases/measuretype/")
    assert response.status_code == 200
    assert "Schriftelijke berisping" in response.content.decode()
    response = admin_client.post(
        "/beheer/cases/measuretype/add/",
        {"code": "warning", "name": "Waarschuwing", "requires_hearing": "on", "position": 20},
    )
    assert response.status_code == 302
    assert MeasureType.objects.filter(code="warning", requires_hearing=True).exists()
    report, _code = make_report()
    assert admin_client.get("/beheer/reports/report/").status_code == 404
    assert admin_client.get(f"/behandeling/{report.pk}/").status_code == 404
