"""Fixtures for tests that change the key document. Every one restores the real document and
what the process remembers of checks that passed: other tests in this process use both."""

import json

import pytest

from integriteit.crypto import keycheck
from integriteit.crypto.keys import keyring, new_key_document, write_key_file


@pytest.fixture
def fresh_check(monkeypatch):
    """This process has checked no document yet (as after a restart); restored afterwards."""
    monkeypatch.setattr(keycheck, "_passed", set())


@pytest.fixture
def use_document(key_file, fresh_check):
    """Replace the key file by a document and 'restart': the next use of a key checks it."""

    def use(document: str | dict) -> None:
        text = document if isinstance(document, str) else json.dumps(document)
        write_key_file(key_file, text)
        keyring.cache_clear()
        keycheck._passed.clear()  # the set `fresh_check` gave this test

    return use


@pytest.fixture
def real_document(key_file) -> dict:
    return json.loads(key_file.read_text())


def wrong_document() -> dict:
    """Valid-looking: every key well-formed, the same KEK version, all of them other keys."""
    return json.loads(new_key_document())
