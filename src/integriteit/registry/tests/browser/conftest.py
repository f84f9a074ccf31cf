"""Browser tests of the registry: the fixtures and helpers are those of the reporting channel's
browser tests (integriteit.browser_testing); the session-wide `browser` fixture is registered in
src/integriteit/conftest.py."""

from integriteit.browser_testing import *  # noqa: F403
