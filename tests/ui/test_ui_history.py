"""The Incidents tab and an incident's page, driven through keys."""

from __future__ import annotations

import gc

from textual.widgets import Select

from pilot_helpers import (offset_of, open_incidents_tab, screen_text, settle, start_flow, until,
                           until_marked, until_screen, until_shown)
from posdesk.insights import SORT_KEYS
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.export_choice import ExportChoice
from posdesk.ui.screens.incident import IncidentScreen
from posdesk.ui.screens.troubleshoot import TroubleshootScreen
from posdesk.ui.widgets.incident_table import IncidentTable
from posdesk.ui.panes.incidents import COLUMNS, PAGE_SIZE, IncidentsPane

SIZE = (100, 30)


def table_ids(app: PosdeskApp) -> list[str]:
    table = app.query_one("#incidents-table", IncidentTable)
    return [table.get_row_at(row)[0] for row in range(table.row_count)]


async def test_tab_lists_every_incident_newest_first(desk, history):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        assert gc.get_freeze_count() == 0
        await open_incidents_tab(pilot)
        assert table_ids(app) == [history[k] for k in "dcba"]
        assert "1–4 of 4" in str(app.query_one("#incidents-status").render())
        # The history now in memory stays out of the collector's passes (posdesk/ui/memory.py).
        assert gc.get_freeze_count() > 0


async def test_an_incident_started_elsewhere_is_listed_when_the_tab_is_shown_again(desk, history):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_incidents_tab(pilot)
        await pilot.press("1")
        await start_flow(pilot)
        await pilot.press("d")  # the first mark records the incident
        await until_marked(pilot, app.screen, 1)
        started = app.screen.incident.id
        await pilot.press("escape")  # leave the flow; the incident stays open
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert table_ids(app) == [started] + [history[k] for k in "dcba"]


async def test_search_in_notes_narrows_the_table(desk, history):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_incidents_tab(pilot)
        await pilot.press("slash", *"打印头")
        await settle(pilot)
        assert table_ids(app) == [history["c"]]
        await pilot.press("escape")  # back to the table
        assert app.focused.id == "incidents-table"


async def test_status_and_fault_filters_narrow_the_table(desk, kb, history):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_incidents_tab(pilot)
        status = app.query_one("#filter-status", Select)
        status.focus()
        await pilot.press("enter", "down", "enter")  # the first status: open
        await settle(pilot)
        assert status.value == "open"
        assert table_ids(app) == [history["d"]]
        status.focus()
        await pilot.press("enter", "up", "enter")  # back to any status
        await settle(pilot)
        fault = app.query_one("#filter-fault", Select)
        fault.focus()
        await pilot.press("enter", "down", "enter")  # the first fault: cannot connect
        await settle(pilot)
        assert fault.value == "fault.network"
        assert table_ids(app) == [history["b"], history["a"]]


async def test_a_bad_date_gets_a_message(desk, history):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_incidents_tab(pilot)
        app.query_one("#filter-since").focus()
        await pilot.press(*"2026-13-40", "enter")
        await settle(pilot)
        assert "Write dates like 2026-11-25" in str(app.query_one("#incidents-status").render())
        assert len(table_ids(app)) == 4  # nothing lost from the list


def test_every_column_of_the_incidents_tab_sorts_and_every_sort_is_a_column():
    assert sorted(COLUMNS) == sorted(SORT_KEYS)


async def test_sort_key_and_insights(desk, history):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_incidents_tab(pilot)
        await pilot.press("o", "o")  # from opened to status, then to fault
        await settle(pilot)
        assert pane.sort == "fault"
        assert table_ids(app)[:2] == [history["d"], history["c"]]  # print before network, descending
        await pilot.press("t")
        await until(pilot, lambda: getattr(app.focused, "id", None) == "insights",
                    what="the insights shown")
        shown = screen_text(app)
        assert "Resolved in the shop without the bank: 67% (2 of 3 resolved)" in shown
        assert "Median time to resolve: 2 min" in shown


async def test_follow_up_note_and_closing_appear_on_the_timeline(desk, kb, history):
    incident = desk.start_incident("fault.key_mac")
    desk.escalate(incident.id, "MAC error")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_incidents_tab(pilot)
        await pilot.press("enter")  # the newest: the escalated key/MAC incident
        await until_screen(pilot, IncidentScreen)
        assert isinstance(app.screen, IncidentScreen)
        await pilot.press("a", *"Bank says engineer comes at 3pm", "enter")
        await pilot.press("b", *"Engineer reloaded the keys", "enter")
        await until_shown(pilot, "Engineer reloaded the keys")
        shown = screen_text(app)
        assert "Note" in shown and "Bank says engineer comes at 3pm" in shown
        assert "Resolved by the bank" in shown and "Engineer reloaded the keys" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen.query_one(IncidentsPane), IncidentsPane)
    stored = desk.incident(incident.id)
    assert stored.status == "resolved" and stored.resolution == "bank"
    assert [e.kind for e in stored.events][-2:] == ["note", "resolved"]


async def test_reopening_a_resolved_incident_is_recorded(desk, history):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_incidents_tab(pilot)
        await pilot.press("down", "down", "down", "enter")  # the oldest: A, resolved in the shop
        await until_screen(pilot, IncidentScreen)
        assert app.screen.incident.id == history["a"]
        await pilot.press("o", *"It dropped again", "enter")
        await until_shown(pilot, "It dropped again")
        assert "Reopened" in screen_text(app) and "It dropped again" in screen_text(app)
        await pilot.press("s")  # and the flow picks it up again
        await until_screen(pilot, TroubleshootScreen)
        assert isinstance(app.screen, TroubleshootScreen)
    stored = desk.incident(history["a"])
    assert stored.status == "open" and stored.events[-1].kind == "reopened"


async def test_export_the_listing_and_one_incident(desk, history):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_incidents_tab(pilot)
        await pilot.press("x")
        await until_screen(pilot, ExportChoice)
        assert isinstance(app.screen, ExportChoice)
        await pilot.press("enter")  # CSV
        await until(pilot, lambda: any((desk.store.home / "reports").glob("incidents-*.csv")),
                    what="the listing written")
        await pilot.press("enter")  # the newest incident's page
        await pilot.press("x")
        await until(pilot, lambda: (desk.store.home / "reports" / f"{history['d']}.md").exists(),
                    what="the incident's page written")
    reports = desk.store.home / "reports"
    (listing,) = reports.glob("incidents-*.csv")
    assert len(listing.read_text(encoding="utf-8-sig").splitlines()) == 5
    assert (reports / f"{history['d']}.md").read_text(encoding="utf-8").startswith("# Incident")


async def test_the_flow_says_how_often_a_step_fixed_it(desk, kb, history):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape", "s")
        await until_screen(pilot, TroubleshootScreen)
        await pilot.press("right")  # step 1 only finds something out; step 2 fixed it once
        await until_shown(pilot, "Fixed it in 1 of 2 past incidents.")


async def test_ten_thousand_incidents_open_and_filter(home, kb):
    from benchmarks.generate import fill

    fill(home, 10_000)
    from posdesk.desk import Desk

    app = PosdeskApp(Desk(home, kb=kb), "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_incidents_tab(pilot)
        assert len(table_ids(app)) == PAGE_SIZE
        assert "of 10000" in str(app.query_one("#incidents-status").render())
        await pilot.press("slash", *"打印很淡")
        await settle(pilot)
        status = str(app.query_one("#incidents-status").render())
        assert "of 10000" not in status and len(table_ids(app)) == PAGE_SIZE

        # The cursor stays in view as it goes down the page and back (the heading line stays).
        table = app.query_one(IncidentTable)
        await pilot.press("escape", "end")
        await until(pilot, lambda: table.cursor_row == PAGE_SIZE - 1 and table.scroll_y > 0,
                    what="the cursor at the end of the page, scrolled to")
        assert table.cursor_row == PAGE_SIZE - 1
        assert table.scroll_y <= table.cursor_row < table.scroll_y + table.size.height - 1
        await pilot.press("pageup", "home")
        await until(pilot, lambda: table.cursor_row == 0 and table.scroll_y == 0,
                    what="the cursor back at the top")
        assert table.cursor_row == 0 and table.scroll_y == 0


async def test_a_heading_click_sorts_and_a_row_click_opens_the_incident(desk, history):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_incidents_tab(pilot)
        table = app.query_one(IncidentTable)
        await pilot.click(IncidentTable, offset=offset_of(table, "Problem"))
        await settle(pilot)
        assert "sorted by problem, Z→A" in str(app.query_one("#incidents-status").render())
        assert "Problem ▼" in table.headings
        second = table.get_row_at(1)[0]
        await pilot.click(IncidentTable, offset=offset_of(table, second))
        await settle(pilot)
        assert isinstance(app.screen, IncidentScreen)
        assert second in screen_text(app)
