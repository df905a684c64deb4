"""Shared test setup. Fixtures live in tests/fixtures/, one module per service."""

import os

import pytest

pytest_plugins = [
    "tests.fixtures.postgres",
    "tests.fixtures.browser",
    "tests.fixtures.smtp",
    "tests.fixtures.sms",
]


def require(ok: bool, reason: str) -> None:
    """Skip a test whose service is missing, but fail it under CI=true."""
    if ok:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)
