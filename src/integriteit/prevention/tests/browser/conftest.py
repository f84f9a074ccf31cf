"""Browser tests of the prevention module: the fixtures and helpers of
integriteit.browser_testing; the session-wide `browser` fixture is in src/integriteit/conftest.py."""

from integriteit.browser_testing import *  # noqa: F403
