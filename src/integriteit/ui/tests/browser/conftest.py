"""Browser tests of the shared pages and of the accessibility tools themselves: fixtures and
helpers from integriteit.browser_testing."""

from integriteit.browser_testing import *  # noqa: F403
