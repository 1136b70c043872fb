"""Routines below the screen: due-date arithmetic, terminals on record, marking done, findings."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from clocks import FixedClock
from posdesk.desk import Desk, EmptyText, NotAllowed, UnknownId
from posdesk.schedule import BadCadence, Cadence, local_day

SHANGHAI = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    ("cadence", "done", "due"),
    [
        (Cadence(months=1), date(2026, 1, 31), date(2026, 2, 28)),  # month end, common year
        (Cadence(months=1), date(2028, 1, 31), date(2028, 2, 29)),  # leap year
        (Cadence(months=12), date(2028, 2, 29), date(2029, 2, 28)),  # leap day, a year on
        (Cadence(months=3), date(2026, 11, 30), date(2027, 2, 28)),  # across the year end
        (Cadence(months=1), date(2026, 12, 15), date(2027, 1, 15)),
        (Cadence(days=7), date(2028, 2, 26), date(2028, 3, 4)),  # through 29 February
        (Cadence(days=1), date(2026, 12, 31), date(2027, 1, 1)),
    ],
)
def test_next_due_day(cadence, done, due):
    assert cadence.after(done) == due


@pytest.mark.parametrize(("text", "cadence"), [("7", Cadence(days=7)), ("14d", Cadence(days=14)),
                                               (" 3M ", Cadence(months=3))])
def test_cadence_as_written_by_the_shop(text, cadence):
    assert Cadence.parse(text) == cadence
    assert Cadence.parse(str(cadence)) == cadence


@pytest.mark.parametrize("text", ["", "0", "weekly", "1y", "-3", "1000"])
def test_bad_cadences_are_refused(text):
    with pytest.raises(BadCadence):
        Cadence.parse(text)


def test_knowledge_base_days_read_as_months_where_they_are_months():
    assert Cadence.from_days(1) == Cadence(days=1)
    assert Cadence.from_days(7) == Cadence(days=7)
    assert Cadence.from_days(90) == Cadence(months=3)
    assert Cadence.from_days(365) == Cadence(months=12)


def test_the_day_of_a_time_is_the_shops_local_day():
    late_evening_utc = "2026-11-25T20:30:00+00:00"
    assert local_day(late_evening_utc, SHANGHAI) == date(2026, 11, 26)
    assert local_day(late_evening_utc, timezone.utc) == date(2026, 11, 25)
    assert local_day("2026-11-26T01:00:00+08:00", timezone(timedelta(hours=-5))) == date(2026, 11, 25)


@pytest.fixture
def fixed(home, kb):
    clock = FixedClock(datetime(2026, 1, 31, 9, 0, tzinfo=SHANGHAI))
    return Desk(home, kb=kb, clock=clock), clock


def state(desk, routine_id, terminal_id=None):
    return next(s for s in desk.routine_states(routine_id)
                if (s.terminal.id if s.terminal else None) == terminal_id)


def test_never_done_is_due_today(fixed):
    desk, _ = fixed
    daily = state(desk, "maint.exterior_daily")
    assert daily.last_done is None and daily.next_due == "2026-01-31" and daily.due


def test_marking_done_moves_the_next_due_day_and_overdue_follows(fixed):
    desk, clock = fixed
    desk.mark_done("sec.malware", "小王")  # every month
    malware = state(desk, "sec.malware")
    assert malware.next_due == "2026-02-28" and not malware.due
    clock.now = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
    malware = state(desk, "sec.malware")
    assert malware.overdue and malware.days_late == 2
    assert desk.due()[0].days_late >= malware.days_late


def test_a_late_evening_mark_counts_for_that_local_day(fixed):
    desk, clock = fixed
    clock.now = datetime(2026, 1, 31, 23, 30, tzinfo=SHANGHAI)  # 15:30 UTC
    desk.mark_done("maint.exterior_daily", "Li")
    clock.now = datetime(2026, 2, 1, 8, 0, tzinfo=SHANGHAI)
    assert state(desk, "maint.exterior_daily").next_due == "2026-02-01"


def test_routines_are_per_terminal_once_terminals_are_on_record(fixed):
    desk, _ = fixed
    front = desk.save_terminal(name="Front counter", serial="SN-1", terminal_no="1001")
    mobile = desk.save_terminal(name="Delivery", location="Ah Fang carries it")
    assert (front.id, mobile.id) == ("T1", "T2")
    desk.mark_done("maint.exterior_daily", "Li", terminal_id=front.id)
    assert not state(desk, "maint.exterior_daily", front.id).due
    assert state(desk, "maint.exterior_daily", mobile.id).due
    assert [s.terminal for s in desk.routine_states("sec.training")] == [None]  # once for the shop


def test_terminals_are_added_and_changed_with_a_name(fixed):
    desk, _ = fixed
    with pytest.raises(EmptyText):
        desk.save_terminal(name="  ")
    added = desk.save_terminal(name="柜台", bank="建设银行", merchant_no="105000", model="X990")
    changed = desk.save_terminal(added.id, location="收银台左边")
    assert changed.name == "柜台" and changed.location == "收银台左边" and changed.model == "X990"
    with pytest.raises(UnknownId):
        desk.save_terminal("T9", name="x")


def test_who_is_required_and_only_routines_or_checklists_are_marked(fixed):
    desk, _ = fixed
    with pytest.raises(EmptyText):
        desk.mark_done("maint.ventilation", " ")
    with pytest.raises(NotAllowed):
        desk.mark_done("fault.network", "Li")
    assert desk.mark_done("tx.void_refund", "Li", checked={"supervisor": True}).checked


def test_shop_cadence_overrides_the_knowledge_base(fixed):
    desk, _ = fixed
    assert str(desk.cadence("maint.ventilation")) == "7d"
    desk.set_cadence("maint.ventilation", "14")
    desk.mark_done("maint.ventilation", "Li")
    assert state(desk, "maint.ventilation").next_due == "2026-02-14"
    with pytest.raises(BadCadence):
        desk.set_cadence("maint.ventilation", "sometimes")
    with pytest.raises(NotAllowed):
        desk.set_cadence("fault.print", "7")


def test_an_inspection_finding_opens_an_incident_naming_it(fixed):
    desk, _ = fixed
    terminal = desk.save_terminal(name="Front", serial="SN-100")
    everything_fine = {item.id: True for item in desk.kb.checklist("sec.tamper_inspection").items}
    entry = desk.mark_done("sec.tamper_inspection", "Li", note="seal looked fine",
                           terminal_id=terminal.id, checked=everything_fine, serial_seen="SN-999")
    assert entry.findings == ["serial"]  # the serial typed from the device decides that item
    incident = desk.incident(entry.incident_id)
    assert incident.topic_id == "sec.tamper_found" and incident.terminal_id == terminal.id
    opened = incident.events[0]
    assert opened.get("finding")["serial"] == {"record": "SN-100", "seen": "SN-999"}
    assert [item["id"] for item in opened.get("finding")["items"]] == ["serial"]
    assert opened.get("note") == "seal looked fine"


def test_due_json_against_a_fixture_database(fixed, capsys):
    from posdesk.cli import main

    desk, clock = fixed
    desk.mark_done("maint.exterior_daily", "Li")
    desk.mark_done("sec.training", "Li")
    clock.now = datetime(2026, 2, 2, 9, 0, tzinfo=SHANGHAI)
    expected = {(s.routine_id, s.days_late) for s in desk.due()}
    assert ("maint.exterior_daily", 1) in expected
    assert all(routine != "sec.training" for routine, _ in expected)
    assert main(["--home", str(desk.store.home), "due", "--on", "2026-02-02", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    on_that_day = Desk(desk.store.home, kb=desk.kb,
                       clock=lambda: datetime(2026, 2, 2, 12, 0).astimezone())
    assert printed == [state.to_dict() for state in on_that_day.due()]
    daily = next(item for item in printed if item["routine_id"] == "maint.exterior_daily")
    assert daily["overdue"] and daily["days_late"] == 1 and daily["next_due"] == "2026-02-01"
    assert "sec.training" not in {item["routine_id"] for item in printed}
    assert main(["--home", str(desk.store.home), "--lang", "zh", "due", "--on", "2026-02-02"]) == 0
    assert "已逾期 1 天：每天清洁外壳" in capsys.readouterr().out
