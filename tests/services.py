"""What a test does when a server it needs (PostgreSQL, Redis) is not there."""

from __future__ import annotations

import os

import pytest


def service_missing(message: str) -> None:
    """Skip with ``message`` (how to start the server); under CI=true, fail: .ci/run starts them."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
