"""Two shops of a chain, each working in its own posdesk and syncing to a real central database:
what the head office's Pilot tests and its screenshot read. Everything arrives the way it
does in a chain, through the shops' own sync, so the app is tried on what shops really send.

    estate = build_estate(cluster, chain_db, tmp_path, kb)   # on a migrated database
    app = HeadOfficeApp(HeadOffice(estate.dsn, clock=estate.clock), "en")
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from clocks import FixedClock
from kb_steps import checks, tried
from posdesk.central.connection import connect
from posdesk.central.shops import add_shop
from posdesk.desk import Desk
from posdesk.kb import KnowledgeBase

TAMPER = "sec.tamper_inspection"  # weekly
# Names in both scripts, as a chain's shops are often named; the ids are what a shop joins as.
SHOPS = {"sz-01": "深圳福田店 Futian", "gz-02": "广州天河店 Tianhe"}
FUTIAN, TIANHE = SHOPS


@dataclass
class Estate:
    dsn: str  # the head office's connection (the administrator's, in the tests)
    clock: FixedClock  # the head office's: "today" for lateness and waiting times
    desks: dict[str, Desk]
    incidents: dict[str, list[str]] = field(default_factory=dict)  # shop -> its ids, in order
    escalated: list[tuple[str, str]] = field(default_factory=list)  # (shop, id), oldest first


def build_estate(cluster, chain_db: str, folder: Path, kb: KnowledgeBase,
                 now: datetime | None = None) -> Estate:
    """Futian: three incidents (fixed, still with the bank since four days, still open), its
    tamper inspection last done ten days ago (three days late), its clock twelve minutes slow.
    Tianhe: two incidents (fixed; with the bank since yesterday), inspected two days ago, its
    clock right. Each syncs once, `now` by its clock (by default the real time, so that the
    clocks' offsets against the server's are as said)."""
    now = now or datetime.now().astimezone().replace(microsecond=0)
    admin = cluster.dsn(dbname=chain_db)
    with connect(admin) as connection:
        roles = {shop: add_shop(connection, shop, name, None).role
                 for shop, name in SHOPS.items()}
    estate = Estate(admin, FixedClock(now), {})
    for shop, name in SHOPS.items():
        clock = FixedClock(now - timedelta(days=12))
        desk = Desk(folder / shop, kb=kb, clock=clock)
        desk.join_chain(shop, name, cluster.dsn(roles[shop], chain_db))
        estate.desks[shop] = desk
        estate.incidents[shop] = []
        terminal = desk.save_terminal(name=f"前台 {shop}", bank="CCB", serial=f"SN-{shop}")

        def at(days_ago: float, clock=clock) -> None:
            clock.now = now - timedelta(days=days_ago)

        at(10 if shop == FUTIAN else 2)
        desk.mark_done(TAMPER, "小王 Wang", terminal_id=terminal.id, serial_seen=f"SN-{shop}",
                       checked={item.id: True for item in kb.checklist(TAMPER).items})
        at(9)
        estate.incidents[shop].append(_fixed(desk, kb, "fault.network", terminal.id, clock))
        at(4 if shop == FUTIAN else 1)
        escalated = _escalated(desk, kb, "fault.print", terminal.id, clock)
        estate.incidents[shop].append(escalated)
        estate.escalated.append((shop, escalated))
        if shop == FUTIAN:
            at(0.5)
            incident = desk.start_incident("fault.card_read", terminal_id=terminal.id,
                                           note="读卡器没反应 reader dead")
            estate.incidents[shop].append(incident.id)
        clock.now = now - timedelta(minutes=12) if shop == FUTIAN else now
        report = desk.sync_once()
        assert report.ok, report
    return estate


def _fixed(desk: Desk, kb: KnowledgeBase, topic_id: str, terminal_id: str,
           clock: FixedClock) -> str:
    incident = desk.start_incident(topic_id, terminal_id=terminal_id)
    first, second = checks(kb.topic(topic_id))[:2]
    clock.now += timedelta(minutes=4)
    desk.record_attempt(incident.id, first.id, tried(first), "灯不亮 no light")
    clock.now += timedelta(minutes=6)
    desk.record_attempt(incident.id, second.id, "fixed")
    return incident.id


def _escalated(desk: Desk, kb: KnowledgeBase, topic_id: str, terminal_id: str,
               clock: FixedClock) -> str:
    incident = desk.start_incident(topic_id, terminal_id=terminal_id)
    for step in checks(kb.topic(topic_id))[:2]:
        clock.now += timedelta(minutes=3)
        desk.record_attempt(incident.id, step.id, tried(step))
    clock.now += timedelta(minutes=5)
    desk.escalate(incident.id, "打印机不出纸 printer feeds no paper")
    return incident.id
