"""What the Pilot tests share: reading the screen as a person would, and waiting for workers."""

from __future__ import annotations

from datetime import datetime

from textual.app import App
from textual.widgets import Static


def screen_text(app: App) -> str:
    """Every plain text the active screen shows, as a person reads it."""
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


async def settle(pilot) -> None:
    """Let the app finish what its workers started (loading, the start-up lookup)."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


class FixedClock:
    """A clock that shows what the test set, until the test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now
