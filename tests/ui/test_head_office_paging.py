"""Paging through more incidents than a page holds, as the head office's own read-only role:
only the page shown is read, the line says where in the whole list it is, `]` and `[` turn."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from central.chain_data import add_shops, head_office_dsn, incident, send_incident
from pilot_helpers import until
from posdesk.desk.head_office import HeadOffice
from posdesk.ui.head_office.app import HeadOfficeApp
from posdesk.ui.head_office.incidents import PAGE_SIZE

SHOPS = (("sz-01", "深圳一店"), ("bj-02", "Beijing 2"))
EACH = 230  # two shops: 460 incidents, two pages and a part
START = datetime(2026, 9, 1, 9, 0, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture
def many(cluster, chain_db, central) -> str:
    add_shops(cluster, chain_db, central, *SHOPS)
    for shop_id, _ in SHOPS:
        for n in range(EACH):
            opened = (START + timedelta(hours=n)).isoformat()
            send_incident(cluster, chain_db, shop_id, incident(
                f"{opened[:10].replace('-', '')}-{n:03d}", "fault.network",
                ("连不上网", "Cannot connect"), opened))
    return head_office_dsn(cluster, chain_db)


def status(app) -> str:
    return str(app.screen.query_one("#pane-incidents .pane-status").render())


async def test_the_list_is_read_a_page_at_a_time_and_paged_with_brackets(many):
    app = HeadOfficeApp(HeadOffice(many), "en")
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one("#chain-incidents")
        await until(pilot, lambda: status(app).startswith("1–200 of 460"), what="the first page")
        assert table.row_count == PAGE_SIZE == 200
        newest = table.rows[0]
        assert newest[1].strip().endswith(f"-{EACH - 1:03d}")  # newest first
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: status(app).startswith("201–400 of 460"), what="page two")
        assert table.row_count == 200 and table.rows[0] != newest
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: status(app).startswith("401–460 of 460"), what="page three")
        assert table.row_count == 60
        await pilot.press("right_square_bracket")  # there is no fourth: it stays
        await pilot.pause()
        assert status(app).startswith("401–460 of 460")
        await pilot.press("left_square_bracket", "left_square_bracket")
        await until(pilot, lambda: status(app).startswith("1–200 of 460"), what="page one again")
        assert table.rows[0] == newest
        # A filter starts again from its first page.
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: status(app).startswith("201–400"), what="page two")
        app.screen.query_one("#filter-shop").value = "bj-02"
        await until(pilot, lambda: status(app).startswith("1–200 of 230"), what="one shop")
        assert {row[0].strip() for row in table.rows} == {"Beijing 2"}


async def test_sorting_by_shop_reads_the_order_from_the_database(many):
    app = HeadOfficeApp(HeadOffice(many), "zh")
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one("#chain-incidents")
        await until(pilot, lambda: status(app).startswith("第 1–200 条，共 460 条"),
                    what="the first page")
        await pilot.press(*"ooooo")  # from the time opened, round to the shop
        await until(pilot, lambda: "按门店排序（倒序）" in status(app), what="by shop, Z→A")
        assert {row[0].strip() for row in table.rows} == {"深圳一店"}  # "sz-01" > "bj-02"
        await pilot.press("O")
        await until(pilot, lambda: "按门店排序（顺序）" in status(app), what="by shop, A→Z")
        assert {row[0].strip() for row in table.rows} == {"Beijing 2"}
