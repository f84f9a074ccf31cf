"""A coordinator runs a risk analysis in a real browser (issue 12 "Browser tests"): she creates
the analysis, adds a process with its vulnerability, a risk, scores it before and after
measures, adds a measure and sees the heat map; every page passes axe-core. Management reads
the same analysis without a way to change it."""

import re

import pytest

from integriteit.prevention.models import Analysis, Measure, Risk, Score

from .conftest import assert_no_axe_violations, log_in_staff

pytestmark = pytest.mark.browser


def _submit(page, form: str = "main form.utrecht-form"):
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


def test_a_coordinator_runs_a_risk_analysis(demo, new_page):
    page = new_page()
    log_in_staff(page, demo["coordinator"], check_axe=False)
    page.goto("/risicoanalyses/")
    assert page.locator("#analyses-empty").count() == 1
    assert_no_axe_violations(page)

    page.click("#new-analysis")
    assert_no_axe_violations(page)
    page.fill("#id_title", "Analyse Directie Bedrijfsvoering")
    page.check("#id_object_kind_0")
    _submit(page)
    analysis = Analysis.objects.get(title="Analyse Directie Bedrijfsvoering")
    assert page.url.endswith(f"/risicoanalyses/{analysis.pk}/")
    assert_no_axe_violations(page)

    page.click("#add-process")
    assert_no_axe_violations(page)
    page.fill("#id_name", "Inkoop en aanbesteding")
    page.select_option("#id_area", "procurement")
    page.check("input[name=activities][value=contracting]")
    page.check("input[name=properties][value=money]")
    page.select_option("#id_complexity", "2")
    _submit(page)
    assert page.locator("tr[data-process] [data-vulnerable=yes]").count() == 1

    page.click("tr[data-process] a[href$='/risico/']")
    assert_no_axe_violations(page)
    page.fill("#id_title", "Bevoordeling van een bekende leverancier")
    page.fill("#id_owner", "Hoofd inkoop")
    _submit(page)
    assert re.search(r"/risicos/\d+/score/$", page.url)
    assert_no_axe_violations(page)

    # A score outside the matrix cannot be chosen; a tampered one is refused with a message.
    page.evaluate("document.querySelector('#id_likelihood').add(new Option('9', '9', true, true))")
    page.select_option("#id_impact", "4")
    _submit(page)
    assert page.locator("#form-errors").count() == 1
    assert page.locator("#id_likelihood_error").count() == 1
    assert not Score.objects.exists()
    assert_no_axe_violations(page)

    page.check("#id_kind_0")
    page.select_option("#id_likelihood", "4")
    page.select_option("#id_impact", "4")
    _submit(page)
    assert page.locator("tr[data-risk] [data-inherent] [data-level=high]").count() == 1

    page.click("#add-measure")
    assert_no_axe_violations(page)
    page.select_option("#id_kind", "four_eyes")
    page.fill("#id_description", "Vier ogen bij elke gunning")
    page.select_option("#id_status", "in_place")
    page.fill("#id_owner", "Hoofd inkoop")
    page.check("input[name=risks]")
    _submit(page)
    assert Measure.objects.get().risks.count() == 1

    page.click("tr[data-risk] a[href$='/score/']")
    page.check("#id_kind_1")
    page.select_option("#id_likelihood", "2")
    page.select_option("#id_impact", "4")
    _submit(page)
    assert page.locator("tr[data-risk] [data-residual] [data-level=medium]").count() == 1
    assert_no_axe_violations(page)

    page.click(f"a[href='/risicoanalyses/{analysis.pk}/heatmap/']")
    assert page.locator("svg").count() == 2
    assert page.locator("[data-heat-map=before] g[data-cell='4-4'][data-count='1']").count() == 1
    assert page.locator("[data-heat-map=after] g[data-cell='2-4'][data-count='1']").count() == 1
    assert page.locator("[data-heat-map=after] td[data-cell='2-4']").inner_text().startswith("1")
    assert_no_axe_violations(page)

    page.goto(f"/risicoanalyses/{analysis.pk}/")
    page.check("#snapshot-confirm")
    _submit(page, "#snapshot-form")
    assert re.search(r"/momentopnamen/\d+/$", page.url)
    assert_no_axe_violations(page)

    page.goto(f"/risicoanalyses/{analysis.pk}/volgend-jaar/")
    assert_no_axe_violations(page)
    page.check("#next-year-confirm")
    _submit(page)
    assert re.search(r"/vergelijking/$", page.url)
    assert page.locator("tr[data-movement=same]").count() == 1
    assert_no_axe_violations(page)

    manager = new_page()
    log_in_staff(manager, demo["manager"], check_axe=False)
    manager.goto(f"/risicoanalyses/{analysis.pk}/")
    assert manager.locator("tr[data-risk]").count() == 1
    assert manager.locator("#add-process, #snapshot-form").count() == 0
    assert_no_axe_violations(manager)
    with manager.expect_download() as download:  # the management report (issue 12 §5)
        manager.click("a[data-report=pdf]")
    assert download.value.suggested_filename.endswith(f"-{analysis.pk}.pdf")


def test_every_page_of_the_demo_analysis_passes_axe(demo, new_page):
    from integriteit.accounts.demo import DemoContext
    from integriteit.organisations.models import Organisation
    from integriteit.prevention.demo_analyses import load_analyses

    lines = load_analyses(DemoContext({o.slug: o for o in Organisation.objects.all()}, dict(demo)))
    assert (
        lines
        and load_analyses(  # a second load adds nothing
            DemoContext({o.slug: o for o in Organisation.objects.all()}, dict(demo))
        )
        == []
    )
    analysis = Analysis.objects.get()
    risk = Risk.objects.filter(process__analysis=analysis).order_by("pk")[0]
    measure = analysis.measures.order_by("pk")[0]
    page = new_page()
    log_in_staff(page, demo["coordinator"], check_axe=False)
    page.goto(f"/risicoanalyses/{analysis.pk}/")
    assert page.locator("tr[data-process]").count() == 3
    assert page.locator("[data-acceptance]").count() == 1
    for path in (
        f"/risicoanalyses/{analysis.pk}/",
        "/risicoanalyses/",
        f"/risicoanalyses/{analysis.pk}/wijzigen/",
        f"/risicoanalyses/{analysis.pk}/vergelijking/",
        f"/risicoanalyses/processen/{risk.process_id}/",
        f"/risicoanalyses/risicos/{risk.pk}/",
        f"/risicoanalyses/risicos/{risk.pk}/acceptatie/",
        f"/risicoanalyses/risicos/{risk.pk}/beoordeling/",
        f"/risicoanalyses/maatregelen/{measure.pk}/",
    ):
        page.goto(path)
        assert_no_axe_violations(page)
    # An acceptance with a date in the past is refused on the page, with what was typed kept.
    page.goto(f"/risicoanalyses/risicos/{risk.pk}/acceptatie/")
    page.fill("#id_decided_by", "Directeur")
    page.fill("#id_reason", "Te duur om verder te beheersen")
    page.fill("#id_until", "2020-01-01")
    _submit(page)
    assert page.locator("#id_until_error").count() == 1
    assert page.input_value("#id_reason") == "Te duur om verder te beheersen"
    assert_no_axe_violations(page)
