"""The head office's app over a real central database, driven as a person would: two shops'
incidents in one list, narrowed, opened; what waits on the bank; who is late with what; the
insights per shop; both languages; small windows; the server gone and back."""

from __future__ import annotations

import re
import threading

import pytest

from estate import FUTIAN, SHOPS, TIANHE, build_estate
from pilot_helpers import screen_text, settle, until, until_opened, until_shown
from posdesk.desk.head_office import HeadOffice
from posdesk.ui.head_office.app import HeadOfficeApp
from posdesk.ui.widgets.bars import KeyBar, TabBar
from posdesk.ui.widgets.incident_table import IncidentTable

FUTIAN_NAME, TIANHE_NAME = SHOPS[FUTIAN], SHOPS[TIANHE]


@pytest.fixture
def estate(cluster, chain_db, central, tmp_path, kb):
    return build_estate(cluster, chain_db, tmp_path, kb)


def head_office(estate, lang: str = "en") -> HeadOfficeApp:
    return HeadOfficeApp(HeadOffice(estate.dsn, clock=estate.clock), lang)


def table(app, name: str) -> IncidentTable:
    return app.screen.query_one(f"#{name}", IncidentTable)


def status(app, pane: str) -> str:
    return str(app.screen.query_one(f"#pane-{pane} .pane-status").render())


def column(app, name: str, heading: str) -> list[str]:
    shown = table(app, name)
    where = [h.rstrip(" ▼▲") for h in shown.headings].index(heading)
    return [row[where].strip() for row in shown.rows]


async def read(pilot) -> None:
    """Wait for what the app asked of the database to be drawn."""
    await settle(pilot)


async def until_rows(pilot, name: str, count: int) -> None:
    await until(pilot, lambda: table(pilot.app, name).row_count == count,
                what=f"{count} rows in #{name}")


# The Incidents tab

async def test_the_incidents_tab_lists_every_shops_incidents_with_the_shop(estate):
    app = head_office(estate)
    async with app.run_test(size=(120, 30)) as pilot:
        await until_rows(pilot, "chain-incidents", 5)
        shops = column(app, "chain-incidents", "Shop")
        assert sorted(shops) == sorted([FUTIAN_NAME] * 3 + [TIANHE_NAME] * 2)
        ids = column(app, "chain-incidents", "ID")
        assert sorted(zip(shops, ids)) == sorted(
            [(SHOPS[shop], incident) for shop, ids in estate.incidents.items() for incident in ids])
        assert status(app, "incidents").startswith("1–5 of 5 · sorted by time opened, newest first")


async def test_the_filters_narrow_by_status_shop_and_words(estate):
    app = head_office(estate)
    async with app.run_test(size=(120, 30)) as pilot:
        await until_rows(pilot, "chain-incidents", 5)
        app.screen.query_one("#filter-status").value = "escalated"
        await until_rows(pilot, "chain-incidents", 2)
        assert set(column(app, "chain-incidents", "Status")) == {"escalated"}

        app.screen.query_one("#filter-shop").value = TIANHE
        await until_rows(pilot, "chain-incidents", 1)
        assert column(app, "chain-incidents", "Shop") == [TIANHE_NAME]
        assert status(app, "incidents").startswith("1–1 of 1")

        app.screen.query_one("#filter-status").clear()
        app.screen.query_one("#filter-shop").clear()
        await until_rows(pilot, "chain-incidents", 5)
        await pilot.press("slash", *"reader")  # a word of Futian's open incident's note
        await until_rows(pilot, "chain-incidents", 1)
        assert column(app, "chain-incidents", "ID") == [estate.incidents[FUTIAN][2]]


async def test_a_bad_day_is_one_line_and_the_list_stays(estate):
    app = head_office(estate)
    async with app.run_test(size=(120, 30)) as pilot:
        await until_rows(pilot, "chain-incidents", 5)
        app.screen.query_one("#filter-since").focus()
        await pilot.press(*"2026-13-45", "enter")
        await until(pilot, lambda: "2026-13-45" in status(app, "incidents"), what="the bad day")
        assert table(app, "chain-incidents").row_count == 5
        # Said again in the other language: the words keep the day that was typed.
        app.screen.query_one("#chain-incidents").focus()
        await pilot.press("l")
        await until(pilot, lambda: app.lang == "zh" and "2026-13-45" in status(app, "incidents"),
                    what="the bad day, said in Chinese")


async def test_enter_opens_the_incident_read_only(estate, cluster, chain_db):
    shop, incident_id = estate.escalated[0]
    app = head_office(estate)
    async with app.run_test(size=(120, 30)) as pilot:
        await until_rows(pilot, "chain-incidents", 5)
        rows = table(app, "chain-incidents").rows
        row = next(n for n, cells in enumerate(rows)
                   if cells[0].strip() == SHOPS[shop] and cells[1].strip() == incident_id)
        for _ in range(row):
            await pilot.press("down")
        await pilot.press("enter")
        page = await until_opened(pilot)
        await until_shown(pilot, "Timeline")
        text = screen_text(app)
        assert incident_id in text and "escalated" in text
        assert "打印机不出纸 printer feeds no paper" in text  # the note for the bank
        assert page.sub_title == SHOPS[shop]
        events = cluster.sql("SELECT count(*) FROM posdesk.events", dbname=chain_db)
        for key in "aboxs":  # the shop page's keys that write do nothing here
            await pilot.press(key)
        await pilot.pause()
        assert app.screen is page
        assert cluster.sql("SELECT count(*) FROM posdesk.events", dbname=chain_db) == events
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.screen_stack[0], what="the list again")


# The other tabs

async def test_open_escalations_oldest_first_with_the_shop_and_to_whom(estate):
    app = head_office(estate)
    async with app.run_test(size=(120, 30)) as pilot:
        await read(pilot)
        await pilot.press("2")
        await until_rows(pilot, "escalations", 2)
        assert column(app, "escalations", "Shop") == [FUTIAN_NAME, TIANHE_NAME]
        assert column(app, "escalations", "ID") == [i for _, i in estate.escalated]
        assert column(app, "escalations", "Escalated to") == ["95533", "95533"]
        waiting = column(app, "escalations", "Waiting")
        assert waiting[0].startswith("4 d") and waiting[1].startswith("1 d")
        assert status(app, "escalations") == "2 waiting on the bank, the longest waiting first."


async def test_compliance_shows_the_overdue_tamper_inspection_and_the_slow_clock(estate):
    app = head_office(estate)
    async with app.run_test(size=(120, 30)) as pilot:
        await read(pilot)
        await pilot.press("3")
        await until_rows(pilot, "compliance", 2)
        shops = column(app, "compliance", "Shop")
        futian = shops.index(FUTIAN_NAME)
        tianhe = shops.index(TIANHE_NAME)
        tamper = column(app, "compliance", "Last tamper check")
        assert tamper[futian].startswith("⚠") and "3 days late" in tamper[futian]
        assert "late" not in tamper[tianhe]
        assert column(app, "compliance", "Terminals") == ["1", "1"]
        clock = column(app, "compliance", "Clock")
        assert clock[futian] == "⚠ 12 min slow" and clock[tianhe] == "right"
        table(app, "compliance").cursor_row = futian
        await until_shown(pilot, f"{FUTIAN_NAME}, overdue: Tamper inspection (3 days late)")
        assert f"{FUTIAN_NAME}'s clock is 12 min slow" in screen_text(app)
        assert status(app, "compliance").startswith("2 shops · 1 with routines overdue")


async def test_insights_across_the_estate_and_per_shop(estate):
    app = head_office(estate)
    async with app.run_test(size=(120, 40)) as pilot:
        await read(pilot)
        await pilot.press("4")
        await until_shown(pilot, "5 incidents")
        app.screen.query_one("#insights-shop").value = TIANHE
        await until_shown(pilot, "2 incidents")
        assert "5 incidents" not in screen_text(app)


# Language, keys, sizes

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
# Words that are data, not posdesk's: the shops' names, terminals and notes carry English too;
# and the key that switches to English names it so, as in the shop's app.
DATA_WORDS = {"Futian", "Tianhe", "POS", "CCB", "printer", "feeds", "paper", "reader", "dead",
              "Wang", "light", "WiFi", "English"}


def english_left(app) -> set[str]:
    return set(LATIN_WORD.findall(screen_text(app))) - DATA_WORDS


@pytest.mark.parametrize("tab", ["1", "2", "3", "4"])
async def test_l_switches_every_tab_to_chinese_with_no_english_left(estate, tab):
    app = head_office(estate)
    async with app.run_test(size=(120, 30)) as pilot:
        await read(pilot)
        await pilot.press(tab)
        await read(pilot)
        await pilot.press("l")
        await until(pilot, lambda: app.lang == "zh", what="Chinese")
        await read(pilot)
        app.clear_notifications()
        assert "各店记录" in screen_text(app)
        assert english_left(app) == set()
        await pilot.press("l")
        await until_shown(pilot, "Incidents")


async def test_question_mark_lists_the_keys_and_nothing_that_writes(estate):
    app = head_office(estate)
    async with app.run_test(size=(100, 30)) as pilot:
        await read(pilot)
        await pilot.press("question_mark")
        await until_shown(pilot, "Keys")
        sheet = screen_text(app)
        for words in ("Refresh", "Tabs", "Next page", "Sort", "中文", "Quit"):
            assert words in sheet
        for words in ("Troubleshoot", "Done", "Export", "Follow-up"):
            assert words not in sheet
        await pilot.press("escape")
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, what="the app to quit")


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_small_windows_show_every_tab_and_the_keys_to_leave(estate, size, lang):
    app = head_office(estate, lang)
    async with app.run_test(size=size) as pilot:
        await until_rows(pilot, "chain-incidents", 5)
        tabs = str(app.screen.query_one(TabBar).render())
        for number in "1234":
            assert f" {number} " in tabs
        keys = str(app.screen.query_one(KeyBar).render())
        assert " q " in keys and " ? " in keys
        assert app.screen.query_one(TabBar).region.y == 0
        assert app.screen.query_one(KeyBar).region.bottom == size[1]


# Reading off the UI thread; the server gone and back

async def test_every_question_to_the_database_is_asked_off_the_ui_thread(estate):
    asked_on: list[threading.Thread] = []

    class Watched(HeadOffice):
        """The real HeadOffice, noting the thread each question comes from."""

        def __getattribute__(self, name):
            found = super().__getattribute__(name)
            if name in ("shops", "find_incidents", "incident", "open_escalations", "compliance",
                        "insights", "flagged_steps"):
                asked_on.append(threading.current_thread())
            return found

    app = HeadOfficeApp(Watched(estate.dsn, clock=estate.clock), "en")
    async with app.run_test(size=(120, 30)) as pilot:
        await until_rows(pilot, "chain-incidents", 5)
        await pilot.press("enter")
        await until_opened(pilot)
        await pilot.press("escape")
        for tab in "234":
            await pilot.press(tab)
            await read(pilot)
    assert len(asked_on) >= 6
    assert threading.main_thread() not in asked_on


async def test_a_stopped_server_is_one_line_and_r_reads_again_once_it_is_back(estate, cluster):
    app = head_office(estate)
    async with app.run_test(size=(100, 30)) as pilot:
        await until_rows(pilot, "chain-incidents", 5)
        cluster.stop()
        try:
            await pilot.press("r")
            await until(pilot, lambda: "Cannot reach" in status(app, "incidents"),
                        what="the line saying the database cannot be reached")
            assert status(app, "incidents") == ("Cannot reach the central database. "
                                                "Press r to try again.")
            await pilot.press("l")
            await until(pilot, lambda: app.lang == "zh", what="Chinese")
            await pilot.press("2")
            await until(pilot, lambda: "连不上" in status(app, "escalations"),
                        what="the line in Chinese on the next tab")
            assert status(app, "escalations") == "连不上中央数据库。按 r 重试。"
        finally:
            cluster.start()
        await pilot.press("r")
        await until_rows(pilot, "escalations", 2)
        assert status(app, "escalations").startswith("2 条记录在等银行处理")
        await pilot.press("1")
        await until(pilot, lambda: status(app, "incidents").startswith("第 1–5 条"),
                    what="the incidents read again")
