"""Shared fixtures: every test gets its own data directory and a fixed language environment."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

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


class StepClock:
    """A clock for tests: starts at a fixed local time and moves a minute each time it is read."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        current = self.now
        self.now += timedelta(minutes=1)
        return current


@pytest.fixture
def clock() -> StepClock:
    return StepClock(datetime(2026, 11, 25, 14, 0, tzinfo=timezone(timedelta(hours=8))))


@pytest.fixture
def desk(home, kb, clock) -> Desk:
    return Desk(home, kb=kb, clock=clock)
