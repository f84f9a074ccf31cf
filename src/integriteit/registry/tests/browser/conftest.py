"""Browser tests of the annual returns and figures: the shared fixtures and helpers
(integriteit.browser_testing); the session-wide `browser` fixture is in src/integriteit/conftest.py."""

from integriteit.browser_testing import *  # noqa: F403
