"""What the Pilot tests share: reading the screen as a person would, and waiting for workers."""

from __future__ import annotations

from textual.app import App


def screen_text(app: App) -> str:
    """Every plain text the active screen shows, as a person reads it."""
    shown = app.screen.query("Static, TabBar, KeyBar")
    return "\n".join(str(widget.render()) for widget in shown)


async def settle(pilot) -> None:
    """Let the app finish what its workers started (loading, the start-up lookup)."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def past_today(pilot) -> None:
    """Wait for the start-up lookup, and close the list of open incidents if it came up."""
    from posdesk.ui.dialogs.today import TodayScreen

    await settle(pilot)
    if isinstance(pilot.app.screen, TodayScreen):
        await pilot.press("escape")
        await pilot.pause()


async def open_incidents_tab(pilot):
    """The Incidents tab, loaded."""
    from posdesk.ui.panes.incidents import IncidentsPane

    await past_today(pilot)
    await pilot.press("5")
    await settle(pilot)
    return pilot.app.query_one(IncidentsPane)


async def open_topic(pilot, topic_id: str):
    """The start-up lookup done, then the topic shown on its tab, with the shop's records."""
    await settle(pilot)
    await pilot.app.default_screen.open_guidance(topic_id)
    await settle(pilot)
    topic = pilot.app.desk.topic(topic_id)
    return pilot.app.default_screen.pane(topic.category).view


async def start_flow(pilot):
    """Press s on the Faults tab (it opens on "Cannot connect"): the guided flow opens."""
    from posdesk.ui.screens.troubleshoot import TroubleshootScreen

    await pilot.press("s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, TroubleshootScreen)
    return pilot.app.screen


def offset_of(widget, text: str):
    """Where `text` is drawn inside `widget` (after wrapping), for clicking on it."""
    from textual.geometry import Offset, Region

    width, height = widget.outer_size
    for y, strip in enumerate(widget.render_lines(Region(0, 0, width, height))):
        if (x := strip.text.find(text)) >= 0:
            return Offset(x, y)
    raise AssertionError(f"{text!r} is not drawn in {widget!r}")
