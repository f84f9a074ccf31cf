"""Browser tests of the notifications: the fixtures and helpers live in
integriteit.browser_testing; the session-wide `browser` fixture is registered in
src/integriteit/conftest.py."""

from integriteit.browser_testing import *  # noqa: F403
from integriteit.browser_testing import assert_no_axe_violations, log_in_staff  # noqa: F401
