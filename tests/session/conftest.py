"""Fixtures for widget tests: a fresh session with the default project."""

from __future__ import annotations

import pytest


@pytest.fixture
def session(qapp):
    from backprop_gui.session.session import Session

    return Session()
