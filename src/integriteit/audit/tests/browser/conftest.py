"""Browser tests of the audit trail: the fixtures of integriteit.browser_testing; the
session-wide `browser` fixture is registered in src/integriteit/conftest.py."""

from integriteit.browser_testing import *  # noqa: F403
