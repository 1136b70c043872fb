"""The Incidents tab over a long history: the newest page first, the older months in the
background with a progress line, and every filter seeing the whole history once it is read."""

from __future__ import annotations

from posdesk.desk import Desk
from posdesk.models import IncidentFilter
from posdesk.ui.app import PosdeskApp
from posdesk.ui.panes.incidents import PAGE_SIZE, IncidentsPane
from pilot_helpers import past_today, settle

SIZE = (120, 40)


def spread_over_months(home, kb, count: int = 400, months: int = 30) -> None:
    """`count` generated incidents, moved back so that they fill `months` month files."""
    from benchmarks.generate import make_incidents

    from posdesk.store import Store

    records = []
    for n, incident in enumerate(make_incidents(count, kb, seed=5)):
        record = {**incident.to_record(), "closed": incident.status == "resolved"}
        back = n % months
        year, month = divmod(2026 * 12 + 10 - back, 12)  # 2026-11 and the months before
        stamp = f"{year:04d}-{month + 1:02d}"
        day = record["id"][6:8] if record["id"][6:8] <= "28" else "28"
        record["id"] = f"{stamp.replace('-', '')}{day}-{n:03d}"
        for event in record["events"]:
            event["at"] = f"{stamp}-{day}{event['at'][10:]}"
        records.append(record)
    Store(home).add_incidents(records)


class Shown:
    """Each list the tab shows, as it shows it: what the search was over, and the status line."""

    def __init__(self) -> None:
        self.seen: list[tuple[bool, int, int, str]] = []

    def __call__(self, message: object) -> None:
        from textual.worker import Worker, WorkerState

        if (isinstance(message, Worker.StateChanged) and message.worker.group == "incidents"
                and message.state == WorkerState.SUCCESS):
            pane = message.worker.node
            pane.call_next(self._record, pane)

    def _record(self, pane: IncidentsPane) -> None:
        status = str(pane.query_one("#incidents-status").render())
        self.seen.append((pane.shown.complete, pane.shown.months_read, len(pane.found), status))


async def test_the_newest_page_first_then_the_older_months(home, kb):
    spread_over_months(home, kb)
    every = Desk(home, kb=kb).find_incidents(IncidentFilter())
    word_found = len(Desk(home, kb=kb).find_incidents(IncidentFilter(text="restarted")))
    assert len(every) == 400 and 0 < word_found < 400
    shown = Shown()
    app = PosdeskApp(Desk(home, kb=kb), "en")
    async with app.run_test(size=SIZE, message_hook=shown) as pilot:
        await past_today(pilot)
        await pilot.press("5")
        await settle(pilot)
        first, last = shown.seen[0], shown.seen[-1]
        # The first page: the newest incidents, before the older months are read.
        assert first[0] is False and first[2] >= PAGE_SIZE and first[2] < 400
        assert "Loading older incidents… 0 of 30 months (the list is not complete yet)" \
            in first[3]
        assert any(not done and 0 < months < 30 for done, months, _, _ in shown.seen)
        assert last[:3] == (True, 30, 400) and "Loading" not in last[3] and "of 400" in last[3]
        pane = app.query_one(IncidentsPane)
        assert [row.id for row in pane.found] == [row.id for row in every]
        # Filters once all is read see the whole history.
        await pilot.press("slash", *"restarted")
        await settle(pilot)
        assert len(pane.found) == word_found
        assert f"of {word_found}" in shown.seen[-1][3]


async def test_the_progress_line_in_chinese(home, kb):
    spread_over_months(home, kb, count=120, months=12)
    shown = Shown()
    app = PosdeskApp(Desk(home, kb=kb), "zh")
    async with app.run_test(size=SIZE, message_hook=shown) as pilot:
        await past_today(pilot)
        await pilot.press("5")
        await settle(pilot)
    assert "正在读取更早的记录…第 0/12 个月（列表还不完整）" in shown.seen[0][3]
    assert "正在读取" not in shown.seen[-1][3]


async def test_an_unreadable_record_is_still_counted_in_the_tab(home, kb):
    spread_over_months(home, kb, count=60, months=6)
    from posdesk.store import Store

    Store(home).add_incidents([{"id": "20260901-900", "closed": True, "events": []}])
    app = PosdeskApp(Desk(home, kb=kb), "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await pilot.press("5")
        await settle(pilot)
        status = str(app.query_one("#incidents-status").render())
        assert "of 60" in status and "records that cannot be read: 1" in status
