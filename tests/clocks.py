"""Clocks for tests: what time posdesk is told it is."""

from __future__ import annotations

from datetime import datetime, timedelta


class StepClock:
    """A clock for tests: starts at a fixed local time and moves a minute each time it is read."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        current = self.now
        self.now += timedelta(minutes=1)
        return current


class FixedClock:
    """A clock that shows what the test set, until the test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now
