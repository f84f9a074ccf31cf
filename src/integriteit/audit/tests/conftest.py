import pytest


@pytest.fixture(autouse=True)
def anchor_file(settings, tmp_path):
    """Each test its own anchor file: anchors must not outlive the rolled-back database."""
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "audit-anchor.jsonl")
    return tmp_path / "audit-anchor.jsonl"
