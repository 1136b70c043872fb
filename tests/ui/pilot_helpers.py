"""What the Pilot tests share: reading the screen as a person would, and waiting for what the
app is doing (a screen to come up, a text to show, a worker to finish) instead of pausing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from time import monotonic
from typing import TypeVar

from textual.app import App
from textual.screen import Screen

from posdesk.ui.commands import MAX_HITS

ScreenKind = TypeVar("ScreenKind", bound=Screen)

# Generous, since the machine may be busy: a wait that passes returns as soon as its condition
# holds, so only a test that is failing anyway ever waits this long.
PATIENCE = 10.0


def screen_text(app: App) -> str:
    """Every plain text the active screen shows, as a person reads it."""
    shown = app.screen.query("Static, TabBar, KeyBar")
    return "\n".join(str(widget.render()) for widget in shown)


async def until(pilot, condition: Callable[[], object], *, what: str,
                timeout: float = PATIENCE) -> None:
    """Let the app process its messages until `condition()` is true; fail naming `what` if it
    is not within `timeout` seconds, or if the app stopped first."""
    deadline = monotonic() + timeout
    while not condition():
        if not pilot.app.is_running:
            raise AssertionError(f"the app stopped while waiting for {what}")
        if monotonic() > deadline:
            raise AssertionError(f"waited {timeout:g} s for {what}, in vain")
        await pilot.pause()


def ready(app: App, kind: type[Screen] = Screen, having: str | None = None) -> bool:
    """The active screen is a `kind` (showing a `having` widget), mounted, with its focus placed:
    keys reach it."""
    screen = app.screen
    return (isinstance(screen, kind) and screen.is_mounted
            and (screen.focused is not None or not screen.focus_chain)
            and (having is None or bool(screen.query(having))))


async def until_screen(pilot, kind: type[ScreenKind] = Screen, *,
                       having: str | None = None) -> ScreenKind:
    """Wait for a screen of `kind` (with a `having` widget, to know it without importing it)
    to be up and taking keys; returns it."""
    await until(pilot, lambda: ready(pilot.app, kind, having),
                what=f"the {kind.__name__} screen" + (f" with {having}" if having else ""))
    return pilot.app.screen


async def until_closed(pilot, kind: type[Screen]) -> None:
    """Wait for every screen of `kind` to be closed and the one left on top to take keys."""
    await until(pilot, lambda: not any(isinstance(s, kind) for s in pilot.app.screen_stack)
                and ready(pilot.app), what=f"the {kind.__name__} screen to close")


async def until_main(pilot) -> None:
    """Wait for the main screen (the tabs) to be on top again, taking keys."""
    await until(pilot, lambda: pilot.app.screen is pilot.app.screen_stack[0]
                and ready(pilot.app), what="the main screen on top")


async def until_opened(pilot) -> Screen:
    """Wait for a screen over the main one (a page, a dialog) to take keys; returns it."""
    await until(pilot, lambda: pilot.app.screen is not pilot.app.screen_stack[0]
                and ready(pilot.app), what="a screen over the main one")
    return pilot.app.screen


async def until_told(pilot, count: int = 1) -> None:
    """Wait for `count` notices to have come up."""
    await until(pilot, lambda: len(pilot.app._notifications) >= count,
                what=f"{count} notice(s) to come up")


async def until_tab(pilot, name: str) -> None:
    """Wait for the tab `name` to be shown with its list (or table) taking keys."""
    from posdesk.ui.widgets.bars import TabBar

    app = pilot.app

    def shown() -> bool:
        pane = app.query_one(f"#pane-{name}")
        return (app.query_one(TabBar).active == name and app.focused is not None
                and pane in app.focused.ancestors_with_self)

    await until(pilot, shown, what=f"the {name} tab")


async def until_found(pilot, query: str) -> None:
    """Wait for the command palette to list what the desk finds for `query`, the first
    highlighted (its search runs in a worker, hits arriving in batches)."""
    from textual.command import CommandList

    app = pilot.app
    found = sorted((hit.step or hit.topic).title(app.lang)
                   for hit in app.desk.search(query, limit=MAX_HITS))

    def listed() -> bool:
        hits = app.screen.query_one(CommandList)
        return (hits.highlighted == 0
                and sorted(option.hit.text for option in hits.options) == found)

    await until(pilot, listed, what=f"the palette to list what {query!r} finds")


async def until_shown(pilot, text: str) -> None:
    """Wait for `text` to be on the active screen."""
    await until(pilot, lambda: text in screen_text(pilot.app), what=f"{text!r} on screen")


async def until_marked(pilot, flow, count: int) -> None:
    """Wait for the guided flow to hold `count` marks, and for what they brought up (the next
    step, the note for the bank) to take keys."""
    await until(pilot, lambda: len(flow.incident.attempts) == count and ready(pilot.app),
                what=f"{count} marks recorded in the flow")


async def settle(pilot, *, focus_placed: bool = True) -> None:
    """Let the app finish what it set off: what on_mount asked to run after the first paint
    (the start-up lookup), the workers (loading), what they handed back, and the screen on top
    ready for keys (with `focus_placed`, unless a test took the focus away itself)."""
    app = pilot.app
    painted = asyncio.Event()
    app.call_after_refresh(painted.set)  # runs after what was asked for before it
    await until(pilot, painted.is_set, what="the app to paint")
    await app.workers.wait_for_complete()
    # A finished worker's StateChanged is queued by now; a pause runs the queues out.
    await pilot.pause()
    if focus_placed:
        await until(pilot, lambda: ready(app), what="the screen on top to take keys")


async def past_today(pilot) -> None:
    """Wait for the start-up lookup, and close the list of open incidents if it came up."""
    from posdesk.ui.dialogs.today import TodayScreen

    await settle(pilot)
    if isinstance(pilot.app.screen, TodayScreen):
        await pilot.press("escape")
        await until_closed(pilot, TodayScreen)


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
    return await until_screen(pilot, TroubleshootScreen)


def offset_of(widget, text: str):
    """Where `text` is drawn inside `widget` (after wrapping), for clicking on it."""
    from textual.geometry import Offset, Region

    width, height = widget.outer_size
    for y, strip in enumerate(widget.render_lines(Region(0, 0, width, height))):
        if (x := strip.text.find(text)) >= 0:
            return Offset(x, y)
    raise AssertionError(f"{text!r} is not drawn in {widget!r}")


async def until_typing(pilot) -> None:
    """A dialog that opens by itself takes typing only after a moment (Dialog.opens_by_itself):
    wait, as a person would see the cursor, until a text field has the focus."""
    from textual.widgets import Input, TextArea

    await until(pilot, lambda: isinstance(pilot.app.screen.focused, (Input, TextArea)),
                what="a field ready to type in")
