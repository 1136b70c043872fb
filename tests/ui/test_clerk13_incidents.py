"""Issue 13, the Incidents tab as a hurried clerk meets it: sorting by the titles on screen,
insights that use the width there is, a filter that offers every kind of incident, sort lines
in plain words, dates typed the way people type them, and every column in an 80-column window."""

from __future__ import annotations

import shutil

import pytest
from textual.widgets import Input, Select

from pilot_helpers import offset_of, open_incidents_tab, screen_text, settle, until
from posdesk.ui.app import PosdeskApp
from posdesk.ui.widgets.incident_table import IncidentTable
from posdesk.desk.incidents import FOLLOW_UP_TOPICS
from scenes import TAMPER, scene_app, seed

FAULT_COLUMN = 3


def status_line(app: PosdeskApp) -> str:
    return str(app.query_one("#incidents-status").render())


def column(app: PosdeskApp, index: int) -> list[str]:
    table = app.query_one("#incidents-table", IncidentTable)
    return [table.get_row_at(row)[index] for row in range(table.row_count)]


def drawn_lines(widget) -> list[str]:
    from textual.geometry import Region

    width, height = widget.outer_size
    return [strip.text for strip in widget.render_lines(Region(0, 0, width, height))]


@pytest.fixture(scope="module")
def shop(tmp_path_factory, kb):
    """A shop three weeks in (tests/ui/scenes.py): faults, a tamper finding, one with the bank."""
    return seed(tmp_path_factory.mktemp("shop") / "home", kb)


@pytest.fixture
def shop_app(shop, tmp_path, kb):
    def make(lang: str) -> PosdeskApp:
        home = tmp_path / lang
        shutil.copytree(shop, home)
        return scene_app(home, lang, kb)

    return make


# 1. Sorting by fault sorts by the title on screen

@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_sorting_by_fault_follows_the_titles_on_screen(desk, lang):
    for topic_id in ("fault.network", "fault.paper_jam", "fault.card_read", "fault.key_mac"):
        desk.start_incident(topic_id)
    app = PosdeskApp(desk, lang)
    async with app.run_test(size=(120, 30)) as pilot:
        pane = await open_incidents_tab(pilot)
        while pane.sort != "fault":
            await pilot.press("o")
        await pilot.press("O")  # from the start of the alphabet
        await settle(pilot)
        shown = column(app, FAULT_COLUMN)
        assert shown == sorted(shown), shown


# 2. Insights labels use the width there is

async def test_insights_labels_are_whole_on_a_wide_screen(desk):
    desk.start_incident("fault.power_battery")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=(160, 45)) as pilot:
        await open_incidents_tab(pilot)
        await pilot.press("t")
        await until(pilot, lambda: "Incidents per problem" in screen_text(app), what="insights")
        assert "Black screen, no power or short battery life" in screen_text(app)


async def test_insights_labels_are_cut_with_an_ellipsis_on_a_small_screen(desk):
    desk.start_incident("fault.power_battery")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=(60, 20)) as pilot:
        await open_incidents_tab(pilot)
        await pilot.press("t")
        await until(pilot, lambda: "Incidents per problem" in screen_text(app), what="insights")
        lines = screen_text(app).splitlines()
        label = next(line for line in lines if line.startswith("Black screen"))
        assert "…" in label and label.endswith(" 1"), lines  # the count still shown
        assert len(label) <= 60 - 4  # within the pane's padding and its scrollbar


# 3. Every kind of incident can be chosen, each labelled for what it is

@pytest.mark.parametrize("lang, finding, suspicious", [
    ("en", "Security finding: Signs the terminal was tampered with",
     "Suspicious event: Refuse cash-outs"),
    ("zh", "安全检查发现：发现终端可能被篡改", "可疑情况：拒绝套现"),
])
async def test_the_filter_offers_findings_and_suspicious_events(shop_app, lang, finding,
                                                              suspicious):
    app = shop_app(lang)
    app.desk.start_incident("tx.cash_out", note="A man asked to 'pay' 5000 and take cash back")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_incidents_tab(pilot)
        kinds = app.query_one("#filter-fault", Select)
        labels = [str(label) for label, _ in kinds._options]
        assert any(label.startswith(finding) for label in labels), labels
        assert any(label.startswith(suspicious) for label in labels), labels
        faults = [label for label in labels if label.startswith(("Fault: ", "故障："))]
        assert len(faults) == len(app.desk.topics("fault"))
        # Chosen with the keys: the tamper finding the inspection opened is listed alone.
        found = FOLLOW_UP_TOPICS[TAMPER]
        tamper = [value for _, value in kinds._options].index(found)
        kinds.focus()
        await pilot.press("enter", *["down"] * tamper, "enter")
        await settle(pilot)
        assert kinds.value == found
        assert column(app, FAULT_COLUMN) == [app.desk.topic(found).title(lang)]


# 4. The sort line in plain words

@pytest.mark.parametrize("lang, newest, oldest, by_time", [
    ("zh", "按开始时间排序（最新在前）", "按开始时间排序（最早在前）", "按解决用时排序（最长在前）"),
    ("en", "sorted by time opened, newest first", "sorted by time opened, oldest first",
     "sorted by time to resolve, longest first"),
])
async def test_the_sort_is_told_in_plain_words(shop_app, lang, newest, oldest, by_time):
    app = shop_app(lang)
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_incidents_tab(pilot)
        assert newest in status_line(app)
        await pilot.press("O")
        await settle(pilot)
        assert oldest in status_line(app)
        while pane.sort != "resolve":
            await pilot.press("o")
        await pilot.press("O")
        await settle(pilot)
        assert pane.descending and by_time in status_line(app)


# 5. Dates typed the way people type them

async def type_days(pilot, since: str, until_day: str = "") -> None:
    app = pilot.app
    for name, value in (("since", since), ("until", until_day)):
        field = app.query_one(f"#filter-{name}", Input)
        field.focus()
        field.value = ""
        await pilot.press(*value, "enter")
    await settle(pilot)


@pytest.mark.parametrize("since", ["2026/11/17", "2026-11-17", "2026.11.17", "20261117"])
async def test_a_from_day_typed_with_slashes_or_dots_is_accepted(shop_app, since):
    app = shop_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_incidents_tab(pilot)
        await type_days(pilot, since)
        assert "Write dates like" not in status_line(app)
        assert column(app, 1) and all(day >= "2026-11-17" for day in column(app, 1))


async def test_a_day_without_its_leading_zero_is_accepted(shop_app):
    app = shop_app("zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_incidents_tab(pilot)
        await type_days(pilot, "2026-11-1", "2026-11-9")
        assert "日期要写成" not in status_line(app)
        assert column(app, 0) == ["20261109-001", "20261106-001"]


@pytest.mark.parametrize("lang, said", [
    ("en", "“From” (2026-11-20) is after “To” (2026-11-10)"),
    ("zh", "“从”的日期（2026-11-20）晚于“到”的日期（2026-11-10）"),
])
async def test_a_reversed_range_says_from_is_after_to(shop_app, lang, said):
    app = shop_app(lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_incidents_tab(pilot)
        await type_days(pilot, "2026-11-20")
        listed = column(app, 0)
        await type_days(pilot, "2026-11-20", "2026-11-10")
        assert said in status_line(app)
        assert column(app, 0) == listed == ["20261124-001", "20261122-001"]  # as it was


@pytest.mark.parametrize("lang, hint", [("en", "YYYY-MM-DD"), ("zh", "年-月-日")])
async def test_the_day_boxes_show_their_format(shop_app, lang, hint):
    app = shop_app(lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_incidents_tab(pilot)
        for name in ("since", "until"):
            offset_of(app.query_one(f"#filter-{name}"), hint)  # drawn whole, not cut off
        app.query_one("#filter-since").focus()
        await settle(pilot)
        assert "2026-11-25" in status_line(app)  # how to write a day, while typing one


# 6. Every column in an 80-column window; usable at 60×20

@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_every_column_fits_an_80_column_window(shop_app, lang):
    from posdesk.i18n import t
    from posdesk.ui.panes.incidents import COLUMNS

    app = shop_app(lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_incidents_tab(pilot)
        table = app.query_one("#incidents-table", IncidentTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        heading, first = drawn_lines(table)[:2]
        for name in COLUMNS:
            label = app.query_one("#incidents-table", IncidentTable).headings[COLUMNS.index(name)]
            assert label.split(" ")[0][:2] in heading, (name, heading)
        assert "20261124-001" in first and t("status.escalated", lang) in first
        assert "…" in first  # the long terminal name cut, not pushed off the screen
        offset_of(app.query_one("#filter-text"), t("filter.search", lang)[:4])


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_tab_is_usable_at_60_by_20(shop_app, lang):
    app = shop_app(lang)
    async with app.run_test(size=(60, 20)) as pilot:
        await open_incidents_tab(pilot)
        table = app.query_one("#incidents-table", IncidentTable)
        first = drawn_lines(table)[1]
        assert "20261124-001" in first
        assert app.desk.topic("fault.signin_settlement").title(lang)[:4] in first
        search = app.query_one("#filter-text")
        assert search.region.right <= 60 and search.region.width >= 10  # on screen
        await pilot.press("slash", *"MAC")
        await settle(pilot)
        assert column(app, 0) == ["20261115-001"]


async def test_leaving_a_day_box_applies_it(shop_app):
    app = shop_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_incidents_tab(pilot)
        app.query_one("#filter-until").focus()
        await pilot.press(*"2026/11/9", "tab")  # no enter: on to the search box
        await settle(pilot)
        assert column(app, 0) == ["20261109-001", "20261106-001"]
        assert "sorted by time opened" in status_line(app)  # the hint gone with the focus


async def test_the_language_changes_while_a_day_is_being_typed(shop_app):
    app = shop_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_incidents_tab(pilot)
        app.query_one("#filter-since").focus()
        await pilot.press(*"2026/11/17")
        app.lang = "zh"
        await settle(pilot, focus_placed=False)
        await until(pilot, lambda: "按开始时间排序" in status_line(app), what="the list in Chinese")
        assert app.query_one("#filter-since", Input).value == "2026/11/17"
        assert all(day >= "2026-11-17" for day in column(app, 1))
