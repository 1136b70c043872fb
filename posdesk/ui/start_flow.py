"""Starting the guided flow on a fault: which terminal, carry on or begin, then the flow."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from posdesk.wording import short_time
from posdesk.i18n import t
from posdesk.models import Incident
from posdesk.ui.changes import run_change

if TYPE_CHECKING:
    from textual.screen import Screen

    from posdesk.desk import Desk


def start_incident(screen: Screen, desk: Desk, topic_id: str, code: str | None = None,
                   done: Callable[[], None] | None = None) -> None:
    """Troubleshoot a fault; with more than one terminal on record, ask which one first.
    A fault still open on that terminal is carried on, never opened twice; a new one is
    recorded with the first thing done in the flow."""
    from posdesk.ui.dialogs.terminal_choice import TerminalChoice

    lang = screen.app.lang
    terminals = run_change(screen, desk.terminals, lang, failed="screen.read_failed")
    if terminals is None:
        return

    def start(terminal_id: str | None) -> None:
        if terminal_id is None:
            return

        def to_work_on() -> tuple[Incident, bool]:
            unfinished = desk.unfinished_incident(topic_id, terminal_id or None)
            if unfinished is not None:
                return unfinished, True
            return desk.new_incident(topic_id, code, terminal_id or None), False

        found = run_change(screen, to_work_on, lang, failed="screen.read_failed")
        if found is None:
            return
        incident, carried_on = found
        if carried_on:
            screen.notify(t("flow.continuing", lang, id=incident.id,
                            at=short_time(incident.opened_at)))
        troubleshoot(screen, desk, incident, done)

    if len(terminals) > 1:
        screen.app.push_screen(TerminalChoice(terminals), start)
    else:
        start(terminals[0].id if terminals else "")


def troubleshoot(screen: Screen, desk: Desk, incident: Incident,
                 done: Callable[[], None] | None = None) -> None:
    """Open the guided flow on `incident`; `done` runs when it closes."""
    from posdesk.ui.screens.troubleshoot import TroubleshootScreen

    screen.app.open_screen(lambda: TroubleshootScreen(desk, incident),
                           lambda _: done() if done else None)
