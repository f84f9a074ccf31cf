from django.urls import path

from .views import actions, dashboard, evaluations, public, reporter, workspace

app_name = "cases"

CASE = "behandeling/<uuid:report_id>/"


def _action(route: str, key: str):
    """A case action of the table in views.actions, named by its key."""
    return path(f"{CASE}{route}", actions.case_action, {"key": key}, name=key)


urlpatterns = [
    path("meldproces/", public.process, name="process"),
    path("postbus/evaluatie/", reporter.evaluation, name="mailbox_evaluation"),
    path("postbus/klacht/", reporter.complaint, name="mailbox_complaint"),
    path(
        "postbus/klacht/ontvangen/", reporter.complaint_received, name="mailbox_complaint_received"
    ),
    path("behandeling/", workspace.queue_page, name="queue"),
    path("behandeling/werkvoorraad.<slug:kind>", workspace.queue_export, name="queue_export"),
    path("behandeling/filters/", workspace.save_queue_filter, name="save_queue_filter"),
    path(
        "behandeling/filters/<int:filter_id>/verwijderen/",
        workspace.delete_queue_filter,
        name="delete_queue_filter",
    ),
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
    _action("toewijzen/<slug:role>/", "assign"),
    _action("toewijzing/<int:assignment_id>/beeindigen/", "end_assignment"),
    # Intake and assessment.
    _action("beoordeling/", "assess"),
    _action("belangencheck/", "check_conflict"),
    # Follow-up.
    _action("vervolg/", "decide_follow_up"),
    _action("uitkomst/", "record_outcome"),
    # Subjects.
    _action("beklagde/", "record_subject"),
    _action("beklagde/<int:subject_id>/geinformeerd/", "subject_informed"),
    # Feedback, aftercare, signals of disadvantage.
    _action("terugkoppeling/tussentijds/", "interim_feedback"),
    _action("terugkoppeling/eind/", "final_feedback"),
    _action("nazorg/", "plan_aftercare"),
    _action("nazorg/<int:action_id>/afgerond/", "finish_aftercare"),
    _action("nazorg/<int:action_id>/geannuleerd/", "cancel_aftercare"),
    _action("nazorg/afronden/", "complete_aftercare"),
    _action("benadeling/", "record_disadvantage"),
    _action("benadeling/<int:signal_id>/afgehandeld/", "handle_disadvantage"),
    # Decision and measures by the competent authority.
    _action("besluit/", "record_decision"),
    _action("hoorzitting/", "record_hearing"),
    _action("maatregel/", "impose_measure"),
    _action("ordemaatregel/", "impose_order_measure"),
    _action("ordemaatregel/<int:measure_id>/opheffen/", "lift_order_measure"),
]
