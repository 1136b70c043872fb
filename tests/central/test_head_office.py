"""The head office's desk over a real central database: two shops' records, sent as each shop's
own role, read back across shops, filtered, counted, cleaned."""

from __future__ import annotations

from datetime import datetime

import pytest

from chain_data import (
    add_shops, attempt, head_office_dsn, incident, send_incident, send_routine, send_status,
    send_terminal,
)
from posdesk.central import CentralError
from posdesk.central.connection import connect
from posdesk.central.schema import SCHEMA_VERSION, migrate
from posdesk.desk import UnknownId
from posdesk.desk.head_office import HeadOffice
from posdesk.models.chain import ChainFilter

TODAY = datetime.fromisoformat("2026-11-25T12:00:00+08:00")
HOSTILE_NOTE = "card \x1b[31m4111 1111 1111 1111\x1b[0m swallowed \x1b]0;pwned\x07"
NETWORK = ("无法联网", "Terminal can't connect")
PRINT = ("无法打印", "Terminal won't print")


def send_two_shops(cluster, chain_db, central) -> None:
    add_shops(cluster, chain_db, central, ("sz-01", "深圳一店"), ("bj-02", "Beijing 2"))
    for shop_id, sent in [
        ("sz-01", incident("20261120-001", "fault.network", NETWORK, "2026-11-20T09:00:00+08:00",
                           attempt("2026-11-20T09:10:00+08:00", "fault.network.router",
                                   "not_fixed", "路由器重启了也不行"),
                           {"kind": "escalated", "at": "2026-11-20T09:30:00+08:00",
                            "hotline": "95533", "note": "请派人"})),
        ("sz-01", incident("20261121-001", "fault.print", PRINT, "2026-11-21T10:00:00+08:00",
                           attempt("2026-11-21T10:10:00+08:00", "fault.print.paper", "fixed"),
                           {"kind": "resolved", "at": "2026-11-21T10:20:00+08:00",
                            "resolution": "self"})),
        ("sz-01", incident("20261124-001", "fault.card_read",
                           ("无法读卡", "Cannot read\x1b[2J the card"),
                           "2026-11-24T15:00:00+08:00", note=HOSTILE_NOTE)),
        ("bj-02", incident("20261119-001", "fault.network", NETWORK, "2026-11-19T08:00:00+00:00",
                           {"kind": "escalated", "at": "2026-11-19T08:30:00+00:00",
                            "hotline": "95566", "note": "no signal at all"}, terminal="T2")),
        ("bj-02", incident("20261122-001", "fault.print", PRINT, "2026-11-22T08:00:00+00:00",
                           attempt("2026-11-22T08:10:00+00:00", "fault.print.paper", "fixed"),
                           {"kind": "resolved", "at": "2026-11-22T09:00:00+00:00",
                            "resolution": "bank"})),
        ("bj-02", incident("20261123-001", "fault.network", NETWORK, "2026-11-23T08:00:00+00:00",
                           attempt("2026-11-23T08:05:00+00:00", "fault.network.router",
                                   "not_fixed"))),
    ]:
        send_incident(cluster, chain_db, shop_id, sent)


@pytest.fixture
def hq(cluster, chain_db, central) -> HeadOffice:
    send_two_shops(cluster, chain_db, central)
    office = HeadOffice(head_office_dsn(cluster, chain_db), clock=lambda: TODAY)
    yield office
    office.close()


def ids(page) -> list[str]:
    return [f"{row.shop_id}/{row.incident_id}" for row in page.rows]


def test_the_head_office_lists_both_shops_newest_first_with_the_right_counts(hq):
    page = hq.find_incidents(ChainFilter())
    assert (page.total, page.exact) == (6, True)
    assert ids(page) == ["sz-01/20261124-001", "bj-02/20261123-001", "bj-02/20261122-001",
                         "sz-01/20261121-001", "sz-01/20261120-001", "bj-02/20261119-001"]
    escalated = hq.find_incidents(ChainFilter(status="escalated"))
    assert ids(escalated) == ["sz-01/20261120-001", "bj-02/20261119-001"]
    assert escalated.total == 2
    beijing = hq.find_incidents(ChainFilter(shop="bj-02"))
    assert beijing.total == 3 and {row.shop_name for row in beijing.rows} == {"Beijing 2"}
    assert hq.find_incidents(ChainFilter(shop="bj-02", status="open")).total == 1
    # A page of two further on still says how many there are in all.
    page = hq.find_incidents(ChainFilter(), limit=2, offset=2)
    assert (ids(page), page.total) == (["bj-02/20261122-001", "sz-01/20261121-001"], 6)


def test_a_row_says_what_the_shop_recorded(hq):
    [row] = hq.find_incidents(ChainFilter(status="resolved", shop="sz-01")).rows
    assert row.topic_title.zh == "无法打印" and row.opened_text == "2026-11-21T10:00:00+08:00"
    assert (row.attempts, row.minutes_to_resolve, row.resolution) == (1, 20.0, "self")
    [called] = hq.find_incidents(ChainFilter(status="escalated", shop="bj-02")).rows
    assert called.escalated_to == "95566" and called.minutes_to_resolve is None


def test_words_are_found_in_titles_notes_ids_and_terminals_in_either_language(hq):
    def found(words: str, **more) -> list[str]:
        return ids(hq.find_incidents(ChainFilter(words=words, **more)))

    assert found("打印") == ["bj-02/20261122-001", "sz-01/20261121-001"]  # two characters
    assert found("无法打印") == found("打印")
    assert found("PRINT") == found("打印")
    assert found("路由器") == ["sz-01/20261120-001"]  # in a step's note
    assert found("no signal") == ["bj-02/20261119-001"]  # the note for the bank, both words
    assert found("t2") == ["bj-02/20261119-001"]
    assert found("20261123") == ["bj-02/20261123-001"]
    assert found("connect", shop="sz-01") == ["sz-01/20261120-001"]
    assert found("50%_") == [] and found("联网 printer") == []
    assert found("", since="2026-11-22", until="2026-11-23") == [
        "bj-02/20261123-001", "bj-02/20261122-001"]


def test_sorting_by_a_column_keeps_equal_ones_newest_first(hq):
    by_shop = hq.find_incidents(ChainFilter(), sort="shop", descending=False)
    assert ids(by_shop)[:3] == ["bj-02/20261123-001", "bj-02/20261122-001", "bj-02/20261119-001"]
    by_time = hq.find_incidents(ChainFilter(status="resolved"), sort="resolve", descending=False)
    assert ids(by_time) == ["sz-01/20261121-001", "bj-02/20261122-001"]
    with pytest.raises(ValueError):
        hq.find_incidents(ChainFilter(), sort="nonsense")


def test_an_unknown_shop_or_incident_is_unknown(hq):
    with pytest.raises(UnknownId):
        hq.find_incidents(ChainFilter(shop="nowhere"))
    with pytest.raises(UnknownId):
        hq.incident("sz-01", "20261119-001")  # bj-02's, not sz-01's
    with pytest.raises(UnknownId):
        hq.insights("nowhere")


def test_one_incident_is_rebuilt_from_its_events(hq):
    called = hq.incident("sz-01", "20261120-001")
    assert (called.shop_id, called.shop_name, called.status) == ("sz-01", "深圳一店", "escalated")
    assert [event.kind for event in called.events] == ["opened", "attempt", "escalated"]
    assert called.escalation.hotline == "95533"
    assert called.attempts[0].note == "路由器重启了也不行"
    assert called.to_dict()["shop_id"] == "sz-01"


def test_hostile_text_a_shop_sent_is_cleaned_on_the_way_out(hq):
    hostile = hq.incident("sz-01", "20261124-001")
    note = hostile.events[0].get("note")
    assert "\x1b" not in note and "\x07" not in note
    assert "4111 1111 1111 1111" not in note and "1111" in note
    assert "\x1b" not in hostile.topic_title.en
    [row] = hq.find_incidents(ChainFilter(words="card")).rows
    assert "\x1b" not in row.topic_title.en


def test_open_escalations_the_longest_waiting_first(hq):
    assert [(row.shop_id, row.incident_id) for row in hq.open_escalations()] == [
        ("bj-02", "20261119-001"), ("sz-01", "20261120-001")]


def tamper_state(next_due: str, days_late: int) -> dict:
    return {"routine_id": "sec.tamper_inspection", "title": {"zh": "防篡改检查", "en": "Tamper inspection"},
            "category": "security", "terminal": {"id": "T1", "name": "收银台"}, "every": "7d",
            "last_done": "2026-11-13T10:00:00+08:00", "next_due": next_due,
            "days_late": days_late, "overdue": days_late > 0, "future_mark": None}


def test_compliance_per_shop_from_what_each_last_reported(hq, cluster, chain_db):
    # Reported on the 20th, when it was due that day; five days later it is five days late.
    weekly = {**tamper_state("2026-12-01", -6), "routine_id": "maint.ventilation",
              "title": {"zh": "通风\x1b[5m", "en": "Ventilation"}, "terminal": None}
    send_status(cluster, chain_db, "sz-01", [tamper_state("2026-11-20", 0), weekly, {"bad": 1}],
                offset_seconds=-90, waiting=3)
    send_routine(cluster, chain_db, "sz-01", {
        "routine_id": "sec.tamper_inspection", "terminal_id": "T1",
        "at": "2026-11-13T10:00:00+08:00", "who": "王", "note": "", "checked": {},
        "incident_id": None, "serial": None})
    send_terminal(cluster, chain_db, "sz-01", {"id": "T1", "name": "收银台"})
    send_terminal(cluster, chain_db, "sz-01", {"id": "T2", "name": "Old"}, on_record=False)
    shenzhen, beijing = sorted(hq.compliance(), key=lambda shop: shop.shop_id, reverse=True)
    assert [(state.routine_id, state.days_late) for state in shenzhen.overdue] == [
        ("sec.tamper_inspection", 5)]
    assert shenzhen.last_tamper_check == "2026-11-13T10:00:00+08:00"
    assert (shenzhen.terminals, shenzhen.clock_offset_seconds, shenzhen.unreadable) == (1, -90, 1)
    assert shenzhen.last_synced is not None
    assert (beijing.overdue, beijing.last_tamper_check, beijing.terminals, beijing.last_synced) == (
        [], None, 0, None)
    [shop] = [s for s in hq.shops() if s.shop_id == "sz-01"]
    assert (shop.name, shop.waiting, shop.clock_offset_seconds) == ("深圳一店", 3, -90)


def test_insights_per_shop_and_across_the_chain(hq):
    chain = hq.insights()
    assert (chain.total, chain.resolved, chain.resolved_in_shop) == (6, 2, 1)
    assert chain.median_minutes == 40.0  # 20 and 60
    assert [(topic, n) for topic, _, n in chain.per_fault] == [
        ("fault.network", 3), ("fault.print", 2), ("fault.card_read", 1)]
    assert chain.per_week[-1] == ("2026-W48", 2) and chain.per_week[-2] == ("2026-W47", 4)
    best = chain.best_steps["fault.print"]
    assert (best.step_id, best.fixed, best.tried, best.step_title.en) == (
        "fault.print.paper", 2, 2, "Step fault.print.paper")
    assert "fault.network" not in chain.best_steps  # the router never fixed it
    beijing = hq.insights("bj-02")
    assert (beijing.total, beijing.resolved, beijing.resolved_in_shop) == (3, 1, 0)
    assert beijing.median_minutes == 60.0
    figures = hq.step_figures()
    assert (figures["fault.print.paper"].fixed, figures["fault.print.paper"].shops) == (2, 2)
    assert (figures["fault.network.router"].fixed, figures["fault.network.router"].tried) == (0, 2)


def test_a_schema_newer_than_known_is_one_line(cluster, chain_db, central):
    with connect(central) as admin:
        admin.execute("UPDATE posdesk.meta SET value = '99' WHERE key = 'schema'")
        admin.commit()
    with pytest.raises(CentralError) as refused:
        HeadOffice(central).shops()
    assert "99" in str(refused.value) and "\n" not in str(refused.value)


def test_an_unreachable_server_is_one_line(tmp_path):
    with pytest.raises(CentralError) as refused:
        HeadOffice(f"host={tmp_path} port=5 dbname=x connect_timeout=1").shops()
    assert "\n" not in str(refused.value)


def test_migration_3_from_2_keeps_the_records_and_counts_them(cluster, chain_db):
    dsn = cluster.dsn(dbname=chain_db)
    with connect(dsn) as admin:
        assert migrate(admin, upto=2) == (0, 2)
        admin.execute("INSERT INTO posdesk.shops VALUES ('s1', '一店', 'nobody', now())")
        for n, kind in enumerate(("escalated", "resolved", "escalated"), start=1):
            admin.execute(
                "INSERT INTO posdesk.incidents (shop_id, incident_id, topic_id, topic_title, "
                "kb_version, step_count, terminal, record) VALUES ('s1', %s, 'fault.network', "
                "%s, '1', 5, 'T1', '{}')",
                (f"20261125-00{n}", '{"zh": "无法联网", "en": "No network"}'))
            for seq, (event, body) in enumerate([("opened", "{}"), (kind, '{"hotline": "1", '
                                                  '"note": "", "resolution": "self"}')]):
                admin.execute(
                    "INSERT INTO posdesk.events (shop_id, incident_id, seq, kind, at_text, at, "
                    "body, digest) VALUES ('s1', %s, %s, %s, %s, %s, %s, 'd')",
                    (f"20261125-00{n}", seq, event, f"2026-11-25T1{n}:0{seq}:00+08:00",
                     f"2026-11-25T1{n}:0{seq}:00+08:00", body))
        admin.commit()
        assert migrate(admin) == (2, SCHEMA_VERSION)
        assert admin.execute("SELECT status, incidents FROM posdesk.incident_counts "
                             "ORDER BY status").fetchall() == [("escalated", 2), ("resolved", 1)]
    office = HeadOffice(dsn, clock=lambda: TODAY)
    assert office.find_incidents(ChainFilter(status="escalated"), limit=1).total == 2
    assert office.find_incidents(ChainFilter(words="联网")).total == 3
    office.close()
