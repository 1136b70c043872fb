"""Shared fixtures: every test gets its own data directory and a fixed language environment."""

from __future__ import annotations

import pytest

from posdesk.desk import Desk
from posdesk.kb import KnowledgeBase


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path, monkeypatch):
    """Nothing a test does reaches the real user data folder, and the locale is not guessed."""
    monkeypatch.setenv("POSDESK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("POSDESK_LANG", raising=False)
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return KnowledgeBase.open()


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


@pytest.fixture
def desk(home, kb) -> Desk:
    return Desk(home, kb=kb)
