"""Browser tests of accounts: fixtures and helpers from integriteit.browser_testing."""

from integriteit.browser_testing import *  # noqa: F403
from integriteit.browser_testing import assert_no_axe_violations  # noqa: F401
