"""Browser tests of the page every request gets while the key document does not fit (the shared
fixtures are in integriteit.browser_testing; `browser` is registered in src/integriteit/conftest.py)."""

from integriteit.browser_testing import *  # noqa: F403
from integriteit.browser_testing import assert_no_axe_violations  # noqa: F401
