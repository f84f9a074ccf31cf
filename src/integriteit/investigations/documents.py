"""Placeholder replaced by the report generator (PDF and editable format)."""


def render_report(version) -> None:
    raise NotImplementedError
