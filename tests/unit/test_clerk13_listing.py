"""Issue 13, the Incidents tab below the screen: sorting by the title a person reads, the days
a person types, and a CSV a spreadsheet can add up (with the notes the search looks in)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from kb_steps import checks
from posdesk.desk import listing
from posdesk.export import incidents_csv
from posdesk.models import IncidentFilter


def titles(rows, lang: str) -> list[str]:
    return [row.topic_title(lang) for row in rows]


def test_sorting_by_fault_follows_the_titles_shown_in_each_language(desk):
    for topic_id in ("fault.network", "fault.paper_jam", "fault.card_read"):
        desk.start_incident(topic_id)
    everything = IncidentFilter()
    # By id it would be card_read, network, paper_jam; a person reads titles.
    ascending = desk.find_incidents(everything, "fault", descending=False, lang="en")
    assert titles(ascending, "en") == ["Cannot read the card", "Paper jam",
                                       "Terminal can't connect"]
    descending = desk.find_incidents(everything, "fault", descending=True, lang="en")
    assert titles(descending, "en") == titles(ascending, "en")[::-1]
    # Chinese titles in their text order, one order every time.
    in_chinese = desk.find_incidents(everything, "fault", descending=False, lang="zh")
    assert titles(in_chinese, "zh") == ["卡纸", "无法联网", "无法读卡"]


def test_sorting_by_status_follows_the_order_an_incident_goes_through(desk):
    opened = desk.start_incident("fault.print")
    escalated = desk.start_incident("fault.print")
    desk.escalate(escalated.id, "no paper comes out")
    resolved = desk.start_incident("fault.print")
    desk.record_attempt(resolved.id, checks(desk.kb.topic("fault.print"))[0].id, "fixed")
    found = desk.find_incidents(IncidentFilter(), "status", descending=False)
    assert [row.id for row in found] == [opened.id, escalated.id, resolved.id]


@pytest.mark.parametrize("typed", ["2026-11-02", "2026/11/2", "2026-11-2", "2026.11.02",
                                   "20261102", " 2026/11/02 ", "２０２６／１１／０２",
                                   "2026年11月2日"])
def test_a_day_typed_in_a_common_way_is_read(typed):
    assert listing.read_day(typed) == "2026-11-02"


@pytest.mark.parametrize("typed", ["2026-13-01", "2026-02-30", "26-11-02", "yesterday",
                                   "2026/11", "202611021", "2026-11-02x"])
def test_what_is_not_a_day_is_refused(typed):
    with pytest.raises(ValueError):
        listing.read_day(typed)


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_csv_has_the_notes_and_whole_minutes_to_resolve(desk, history):
    rows = {row["ID"]: row for row in csv_rows(incidents_csv(desk.incidents(), "en"))}
    a, c, d = rows[history["a"]], rows[history["c"]], rows[history["d"]]
    assert (a["Minutes to resolve"], c["Minutes to resolve"], d["Minutes to resolve"]) \
        == ("2", "3", "")
    assert a["Time to resolve"] == "2 min"  # the words stay beside the number
    assert "路由器灯正常" in a["Notes"]
    assert "银行换了打印头" in c["Notes"]  # the bank's closing note
    assert "cable was loose" in rows[history["b"]]["Notes"]
    in_chinese = csv_rows(incidents_csv(desk.incidents(), "zh"))
    assert {"备注", "解决用时（分钟）"} <= set(in_chinese[0])


def test_minutes_add_up_over_a_day(desk, clock):
    incident = desk.start_incident("fault.network")
    clock.now += timedelta(hours=18, minutes=28)
    desk.record_attempt(incident.id, checks(desk.kb.topic("fault.network"))[0].id, "fixed")
    row = csv_rows(incidents_csv([desk.incident(incident.id)], "en"))[0]
    assert (row["Time to resolve"], row["Minutes to resolve"]) == ("18 h 29 min", "1109")


def test_notes_in_the_csv_are_never_run_as_formulas(desk):
    incident = desk.start_incident("fault.network", note='=HYPERLINK("http://x","y")')
    desk.add_note(incident.id, "+1 cmd|' /C calc'!A0")
    text = incidents_csv([desk.incident(incident.id)], "en")
    notes = csv_rows(text)[0]["Notes"]
    assert not notes.startswith(("=", "+", "-", "@"))
    for line in notes.splitlines():  # each note on its own line, after the time it was written
        assert line[:4].isdigit(), line
    assert '=HYPERLINK("http://x","y")' in notes and "+1 cmd|' /C calc'!A0" in notes
