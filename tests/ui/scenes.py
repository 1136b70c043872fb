"""The screens a person sees, each reached the way a person reaches it, over one shop's records
made at fixed times: what the snapshot tests compare and what the README's screenshots show
(screenshots/capture.py). The app is driven through keys from the main screen, so a scene does
not depend on where a screen's class lives.

    home = seed(tmp / "home", kb)            # once; copy it for each app that changes it
    app = scene_app(home, "zh", kb)
    await SCENES["troubleshoot"](pilot)      # in app.run_test(), or as snap_compare's run_before
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from textual.widgets import Input, TextArea

from clocks import FixedClock
from kb_steps import tried
from pilot_helpers import (ready, settle, until, until_main, until_opened, until_screen,
                           until_shown, until_tab)
from posdesk.desk import Desk
from posdesk.desk.incidents import FOLLOW_UP_TOPICS
from posdesk.kb import KnowledgeBase
from posdesk.models import Step, Text
from posdesk.ui.app import PosdeskApp

# The shop's clock stands still here: every date on screen, every "due" and every week in the
# insights is counted from it.
NOW = datetime(2026, 11, 25, 18, 30, tzinfo=timezone(timedelta(hours=8)))

TAMPER = "sec.tamper_inspection"

Scene = Callable[[object], Awaitable[None]]


def seed(home: Path, kb: KnowledgeBase) -> Path:
    """A shop three weeks into using posdesk, written through the Desk as a person would have:
    a terminal, routines done, faults fixed in the shop, by the bank, one still with the bank."""
    clock = FixedClock(NOW - timedelta(days=21))
    desk = Desk(home, kb=kb, clock=clock)

    def at(days_ago: float, hour: int, minute: int = 0) -> None:
        day = (NOW - timedelta(days=days_ago)).replace(hour=hour, minute=minute)
        clock.now = day

    def steps(topic_id: str) -> list[Step]:
        return list(kb.topic(topic_id).steps)

    def later(minutes: int = 3) -> None:
        clock.now += timedelta(minutes=minutes)

    at(21, 9)
    counter = desk.save_terminal(name="前台 Front counter", location="收银台", bank="CCB",
                                 terminal_no="10012345", serial="SN-100")
    for routine, days_ago in (("maint.exterior_daily", 1), ("maint.ventilation", 9),
                              ("sec.malware", 12)):
        at(days_ago, 9, 15)
        desk.mark_done(routine, "小王 Wang", terminal_id=counter.id)
    # The weekly inspection found a serial number not matching the one on record: an incident.
    at(6, 9, 30)
    desk.mark_done(TAMPER, "小王 Wang", terminal_id=counter.id, serial_seen="SN-999",
                   checked={item.id: True for item in kb.checklist(TAMPER).items})

    def fixed_in_shop(topic_id: str, days_ago: float, hour: int, at_step: int,
                      note: str = "") -> None:
        at(days_ago, hour)
        incident = desk.start_incident(topic_id, terminal_id=counter.id)
        for order, step in enumerate(steps(topic_id)[:at_step + 1]):
            later()
            desk.record_attempt(incident.id, step.id, "fixed" if order == at_step else tried(step),
                                note if order == 0 else "")

    fixed_in_shop("fault.network", 19, 10, 1, "网线接店里的路由器 cable to the shop router")
    fixed_in_shop("fault.print", 16, 14, 1)
    fixed_in_shop("fault.network", 12, 11, 2)
    fixed_in_shop("fault.paper_jam", 8, 16, 1, "纸卷装反了 roll was in backwards")
    fixed_in_shop("fault.card_read", 3, 12, 0)

    at(10, 15)
    by_bank = desk.start_incident("fault.key_mac", code="A0", terminal_id=counter.id)
    for step in steps("fault.key_mac")[:2]:
        later()
        desk.record_attempt(by_bank.id, step.id, tried(step))
    later(5)
    desk.escalate(by_bank.id, "签到时报 MAC 错误，已重新签到两次。MAC error at sign-in, twice.",
                  "CCB-2026-7788")
    later(120)
    desk.close_by_bank(by_bank.id, "银行远程重新下载了密钥 Bank reloaded the keys")

    at(1, 17)
    with_bank = desk.start_incident("fault.signin_settlement", terminal_id=counter.id)
    for step in steps("fault.signin_settlement")[:3]:
        later()
        desk.record_attempt(with_bank.id, step.id, tried(step))
    later(4)
    desk.escalate(with_bank.id, "结算失败，已试 3 步。Settlement fails after three checks.")
    later(30)
    desk.add_note(with_bank.id, "银行说明早派工程师 Engineer comes tomorrow morning")

    # What the shop learnt: a note and a flag on the guidance, and a topic of its own.
    later(60)
    first, second = steps("fault.money_not_arrived")[:2]
    desk.add_guidance_note(first.id, "签购单按日期夹在收银台左边抽屉的蓝色文件夹里。", "老板 Li")
    desk.flag_step(second.id, "out_of_date", "建行App里已经能直接查到每笔入账", "小王 Wang")
    desk.add_own_topic("fault", Text(zh="收银机死机", en="Till freezes"), Text(
        zh="收银机卡住不动时，先别拔POS机的电。", en="When the till hangs, leave the POS terminal on."),
        [{"title": Text(zh="长按电源键十秒重启收银机", en="Hold the till's power key ten seconds"),
          "how": Text(zh="只重启收银机，不动POS机。", en="Restart the till only, not the terminal."),
          "why": Text(zh="POS机上可能有没结束的交易。", en="The terminal may hold a payment in progress.")}],
        "老板 Li")
    return home


def scene_app(home: Path, lang: str, kb: KnowledgeBase | None = None) -> PosdeskApp:
    """The app over `home` (made by `seed`), at the shop's fixed time, in `lang`."""
    return PosdeskApp(Desk(home, kb=kb, clock=FixedClock(NOW)), lang)


# Getting there

async def main_screen(pilot) -> None:
    """Past the start-up lookup: the fault still with the bank is offered first; leave it."""
    await settle(pilot)
    if ready(pilot.app, having="#today-list"):
        await pilot.press("escape")
        await until_main(pilot)


async def still(pilot) -> None:
    """Ready for the picture: notices (which go after a few seconds) cleared, cursors steady."""
    app = pilot.app
    app.clear_notifications()
    for field in app.screen.query("Input, TextArea"):
        if isinstance(field, (Input, TextArea)):
            field.cursor_blink = False
    await until(pilot, lambda: ready(app) and not app.screen.query("Toast"),
                what="a still screen")


def guidance_tab(key: str, name: str) -> Scene:
    """A guidance tab with its second topic shown, so the picture has steps in it."""
    async def scene(pilot) -> None:
        app = pilot.app
        await main_screen(pilot)
        await pilot.press(key)
        await until_tab(pilot, name)
        await pilot.press("down")
        await until_shown(pilot, app.desk.topics(name)[1].title(app.lang))
        await still(pilot)

    return scene


async def incidents_tab(pilot) -> None:
    await main_screen(pilot)
    await pilot.press("5")
    await until_tab(pilot, "incidents")
    await settle(pilot)  # the listing is read in a worker
    await still(pilot)


async def insights(pilot) -> None:
    await incidents_tab(pilot)
    await pilot.press("t")
    await until(pilot, lambda: getattr(pilot.app.focused, "id", None) == "insights",
                what="the insights")
    await still(pilot)


async def incident_page(pilot) -> None:
    """The newest incident's page: the fault still with the bank, with a follow-up."""
    await incidents_tab(pilot)
    await pilot.press("enter")
    await until_opened(pilot)
    await still(pilot)


async def inspection(pilot) -> None:
    """The page of the incident the tamper inspection opened."""
    await incidents_tab(pilot)
    (found,) = [i.id for i in pilot.app.desk.incidents()
                if i.topic_id == FOLLOW_UP_TOPICS[TAMPER]]
    table = pilot.app.screen.query_one("#incidents-table")
    while table.get_row_at(table.cursor_row)[0] != found:
        row = table.cursor_row
        await pilot.press("down")
        await until(pilot, lambda: table.cursor_row == row + 1, what="the next row")
    await pilot.press("enter")
    await until_opened(pilot)
    await still(pilot)


async def flow(pilot) -> None:
    """The guided flow on the first fault, the first step (which connection) noted."""
    await main_screen(pilot)
    await pilot.press("s")
    flow = await until_screen(pilot, having="#flow-step")
    await pilot.press("d")
    await until(pilot, lambda: len(flow.incident.attempts) == 1 and ready(pilot.app),
                what="the first step marked")
    await still(pilot)


async def bank_note(pilot) -> None:
    """From the flow, the note for the bank, written from what was tried."""
    await flow(pilot)
    await pilot.press("e")
    await until_screen(pilot, having="#reference")
    await still(pilot)


async def set_up(pilot) -> None:
    """The first-run set-up, as settings offer it again: why, and the shop's name."""
    await main_screen(pilot)
    await pilot.press("comma")
    await until_screen(pilot, having="#settings-set-up")
    await pilot.press("shift+tab", "enter")  # from the first field up to "Set up again"
    await until_screen(pilot, having="#set-up-shop")
    await still(pilot)


async def _checklist(pilot, serial_seen: str) -> None:
    """The tamper inspection's checklist, every box ticked and the serial read off the back."""
    await main_screen(pilot)
    await pilot.press("3")
    await until_tab(pilot, "security")
    await pilot.app.default_screen.open_guidance(TAMPER)
    await settle(pilot)
    await pilot.press("d")
    dialog = await until_screen(pilot, having="#serial-seen")
    for box in dialog.query("ItemBox"):
        box.value = True
    dialog.query_one("#serial-seen", Input).value = serial_seen
    dialog.query_one("#done-who", Input).focus()
    await pilot.press(*"Wang")


async def checklist(pilot) -> None:
    """A checklist being filled in: boxes that read ticked, labels that stay over the fields."""
    await _checklist(pilot, "SN-100")
    await still(pilot)


async def tamper_steps(pilot) -> None:
    """The inspection found a serial number that is not the one on record: what to do now."""
    await _checklist(pilot, "SN-999")
    await pilot.press("ctrl+s")
    await until_screen(pilot, having="#tamper-ok")
    await still(pilot)


SCENES: dict[str, Scene] = {
    "fault": guidance_tab("1", "fault"),
    "maintenance": guidance_tab("2", "maintenance"),
    "security": guidance_tab("3", "security"),
    "transaction": guidance_tab("4", "transaction"),
    "incidents": incidents_tab,
    "insights": insights,
    "incident": incident_page,
    "inspection": inspection,
    "troubleshoot": flow,
    "escalation": bank_note,
    "set_up": set_up,
    "checklist": checklist,
    "tamper_steps": tamper_steps,
}


# The head office (`posdesk --central`): its app over a chain's central database, into which
# three shops synced their records: the two of estate.py and the shop `seed` makes.

JINGAN = ("sh-03", "上海静安店 Jing'an")


def seed_chain(cluster, chain_db: str, folder: Path, kb: KnowledgeBase) -> str:
    """The shops' records in the chain database `chain_db` (migrated), sent by their own sync
    at the shops' fixed time; the head office's connection string."""
    from estate import build_estate
    from posdesk.central.connection import connect
    from posdesk.central.shops import add_shop

    estate = build_estate(cluster, chain_db, folder, kb, now=NOW)
    shop_id, name = JINGAN
    with connect(estate.dsn) as connection:
        role = add_shop(connection, shop_id, name, None).role
    desk = Desk(seed(folder / shop_id, kb), kb=kb, clock=FixedClock(NOW))
    desk.join_chain(shop_id, name, cluster.dsn(role, chain_db))
    assert desk.sync_once().ok
    return estate.dsn


def head_office_app(dsn: str, lang: str):
    """The head office's app over `dsn` (made by `seed_chain`), at the shops' fixed time."""
    from posdesk.desk.head_office import HeadOffice
    from posdesk.ui.head_office.app import HeadOfficeApp

    return HeadOfficeApp(HeadOffice(dsn, clock=FixedClock(NOW)), lang)


async def head_office_incidents(pilot) -> None:
    """The Incidents tab across the shops, newest first, with the Shop column."""
    from posdesk.ui.widgets.incident_table import IncidentTable

    def filled() -> bool:  # the tab mounts its table once the first screen is up
        tables = [t for t in pilot.app.screen.query(IncidentTable) if t.id == "chain-incidents"]
        return bool(tables) and tables[0].row_count > 0

    await until(pilot, filled, what="the shops' incidents")
    await settle(pilot)
    await still(pilot)


# Made with `head_office_app` over `seed_chain`'s database, not with `scene_app`.
HEAD_OFFICE_SCENES: dict[str, Scene] = {
    "head_office": head_office_incidents,
}
