"""Browser tests of the reporting channel: the fixtures and helpers live in
integriteit.browser_testing (shared with the other apps' browser tests); the session-wide
`browser` fixture is registered in src/integriteit/conftest.py."""

from integriteit.browser_testing import *  # noqa: F403
from integriteit.browser_testing import (  # noqa: F401
    assert_checked_looks_checked,
    assert_no_axe_violations,
    log_in_staff,
)
