"""What the risk analyses register when the app is ready (called from PreventionConfig.ready,
so that the app's other concept, the declarations, keeps its own lines there)."""


def ready() -> None:
    from integriteit.accounts.demo import register_demo_content
    from integriteit.cases import reminders as case_reminders

    from . import demo_analyses, navigation_analyses, reminders_analyses

    navigation_analyses.register()
    # Reviews and ending acceptances are reminded with the case reminders (send_reminders).
    case_reminders.register(reminders_analyses.send_due_reminders)
    register_demo_content(demo_analyses.load_analyses)  # only `manage.py load_demo` loads it
