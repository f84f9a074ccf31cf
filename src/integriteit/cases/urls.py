from django.urls import path

from .views import actions, dashboard, evaluations, public, reporter, workspace

app_name = "cases"

CASE = "behandeling/<uuid:report_id>/"

urlpatterns = [
    path("meldproces/", public.process, name="process"),
    path("postbus/evaluatie/", reporter.evaluation, name="mailbox_evaluation"),
    path("postbus/klacht/", reporter.complaint, name="mailbox_complaint"),
    path(
        "postbus/klacht/ontvangen/", reporter.complaint_received, name="mailbox_complaint_received"
    ),
    path("behandeling/", workspace.queue, name="queue"),
    path("behandeling/overzicht/", dashboard.overview, name="dashboard"),
    path("behandeling/belangenverstrengeling/", actions.conflicts, name="conflicts"),
    path("behandeling/evaluaties/", evaluations.process_evaluation, name="evaluations"),
    path(
        "behandeling/evaluaties/cijfers.csv",
        evaluations.process_evaluation_csv,
        name="evaluations_csv",
    ),
    path(
        "behandeling/evaluaties/cijfers.xlsx",
        evaluations.process_evaluation_xlsx,
        name="evaluations_xlsx",
    ),
    path(
        "behandeling/belangenverstrengeling/<int:conflict_id>/intrekken/",
        actions.withdraw_conflict,
        name="withdraw_conflict",
    ),
    path(CASE, workspace.detail, name="detail"),
    path(f"{CASE}ontvangst/", workspace.acknowledge, name="acknowledge"),
    path(f"{CASE}bericht/", workspace.send_message, name="message"),
    path(f"{CASE}stap/<slug:name>/", workspace.step, name="step"),
    path(f"{CASE}heropenen/", workspace.reopen, name="reopen"),
    path(f"{CASE}bijlage/<uuid:attachment_id>/", workspace.attachment, name="attachment"),
    path(f"{CASE}eenheid/", dashboard.set_unit, name="set_unit"),
    # People on the case.
    path(f"{CASE}toewijzen/<slug:role>/", actions.assign, name="assign"),
    path(
        f"{CASE}toewijzing/<int:assignment_id>/beeindigen/",
        actions.end_assignment,
        name="end_assignment",
    ),
    # Intake and assessment.
    path(f"{CASE}beoordeling/", actions.assess, name="assess"),
    path(f"{CASE}belangencheck/", actions.check_conflict, name="check_conflict"),
    # Follow-up.
    path(f"{CASE}vervolg/", actions.decide_follow_up, name="decide_follow_up"),
    path(f"{CASE}uitkomst/", actions.record_outcome, name="record_outcome"),
    # Subjects.
    path(f"{CASE}beklagde/", actions.record_subject, name="record_subject"),
    path(
        f"{CASE}beklagde/<int:subject_id>/geinformeerd/",
        actions.subject_informed,
        name="subject_informed",
    ),
    # Feedback, aftercare, signals of disadvantage.
    path(f"{CASE}terugkoppeling/tussentijds/", actions.interim_feedback, name="interim_feedback"),
    path(f"{CASE}terugkoppeling/eind/", actions.final_feedback, name="final_feedback"),
    path(f"{CASE}nazorg/", actions.plan_aftercare, name="plan_aftercare"),
    path(
        f"{CASE}nazorg/<int:action_id>/afgerond/", actions.finish_aftercare, name="finish_aftercare"
    ),
    path(
        f"{CASE}nazorg/<int:action_id>/geannuleerd/",
        actions.cancel_aftercare,
        name="cancel_aftercare",
    ),
    path(f"{CASE}nazorg/afronden/", actions.complete_aftercare, name="complete_aftercare"),
    path(f"{CASE}benadeling/", actions.record_disadvantage, name="record_disadvantage"),
    path(
        f"{CASE}benadeling/<int:signal_id>/afgehandeld/",
        actions.handle_disadvantage,
        name="handle_disadvantage",
    ),
    # Decision and measures by the competent authority.
    path(f"{CASE}besluit/", actions.record_decision, name="record_decision"),
    path(f"{CASE}hoorzitting/", actions.record_hearing, name="record_hearing"),
    path(f"{CASE}maatregel/", actions.impose_measure, name="impose_measure"),
    path(f"{CASE}ordemaatregel/", actions.impose_order_measure, name="impose_order_measure"),
    path(
        f"{CASE}ordemaatregel/<int:measure_id>/opheffen/",
        actions.lift_order_measure,
        name="lift_order_measure",
    ),
]
