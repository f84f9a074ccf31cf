"""Browser tests of the risk analyses: the fixtures and helpers of integriteit.browser_testing;
the session-wide `browser` fixture is registered in src/integriteit/conftest.py."""

from integriteit.browser_testing import *  # noqa: F403
