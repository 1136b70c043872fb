"""Reviewing past incidents: statistics against a hand-computed fixture, and the reports."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kb_steps import checks
from posdesk.export import incident_markdown, incidents_csv, incidents_json, render
from posdesk.models import IncidentFilter


def test_statistics_match_the_hand_computed_fixture(desk, kb, history):
    insights = desk.insights()
    assert insights.total == 4
    assert [(topic, count) for topic, _, count in insights.per_fault] == [
        ("fault.network", 2), ("fault.print", 2)]
    assert insights.resolved == 3 and insights.resolved_in_shop == 2
    assert insights.share_in_shop == pytest.approx(2 / 3)
    assert insights.median_minutes == 2.0
    assert insights.per_week[-1] == ("2026-W48", 4) and sum(n for _, n in insights.per_week) == 4
    best = insights.best_steps["fault.network"]
    assert (best.step_id, best.fixed, best.tried) == (checks(kb.topic("fault.network"))[1].id, 1, 1)
    assert "fault.print" not in insights.best_steps


def test_step_records_count_incidents_not_marks(desk, kb, history):
    first = checks(kb.topic("fault.network"))[0].id
    records = desk.step_records("fault.network")
    assert (records[first].fixed, records[first].tried) == (1, 2)
    assert desk.step_records("fault.network", excluding=history["b"])[first].fixed == 0


def test_filters_narrow_by_status_fault_dates_and_words(desk, history):
    ids = lambda chosen: {i.id for i in desk.find_incidents(chosen)}  # noqa: E731
    assert ids(IncidentFilter(status="open")) == {history["d"]}
    assert ids(IncidentFilter(topic_id="fault.network")) == {history["a"], history["b"]}
    assert ids(IncidentFilter(since="2026-11-25", until="2026-11-25")) == set(history.values())
    assert ids(IncidentFilter(since="2026-11-26")) == set()
    assert ids(IncidentFilter(text="打印头")) == {history["c"]}  # what the bank did
    assert ids(IncidentFilter(text="CABLE loose")) == {history["b"]}
    assert ids(IncidentFilter(text="路由器灯")) == {history["a"]}


def test_sorting_by_any_column(desk, history):
    by_tried = desk.find_incidents(IncidentFilter(), sort="tried", descending=True)
    assert len(by_tried[0].attempts) == 2
    by_resolve = desk.find_incidents(IncidentFilter(), sort="resolve", descending=False)
    assert [i.id for i in by_resolve] == [history["b"], history["a"], history["c"], history["d"]]


def test_reopening_is_on_the_timeline(desk, history):
    reopened = desk.reopen(history["a"], "又连不上了").incident
    assert reopened.status == "open" and reopened.resolution is None and reopened.closed_at is None
    assert reopened.events[-1].kind == "reopened"
    assert "又连不上了" in incident_markdown(reopened, "zh")


def test_markdown_report_contains_every_attempt(desk, kb, history):
    incident = desk.incident(history["c"])
    report = incident_markdown(incident, "en")
    assert report.startswith(f"# Incident {incident.id}: ")
    for attempt in incident.attempts:
        assert attempt.step_title.en in report
    assert "Reported to the bank (95533)" in report and "银行换了打印头" in report
    assert "Resolved by the bank" in report


def test_csv_round_trips_with_chinese_intact(desk, history):
    text = incidents_csv(desk.incidents(), "zh")
    assert text.startswith("\ufeff")  # spreadsheets read UTF-8 Chinese correctly with the BOM
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:3] == ["编号", "开始时间", "问题"]
    assert len(rows) == 5
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id[history["c"]][2] == "无法打印"
    assert by_id[history["c"]][4] == "已解决" and by_id[history["c"]][5] == "银行处理解决"


def test_json_follows_the_incident_contract(desk, history):
    data = json.loads(incidents_json(desk.incidents()))
    assert len(data) == 4
    for incident in data:
        for key in ("id", "topic_id", "status", "resolution", "opened_at", "closed_at",
                    "attempts", "notes", "escalation"):
            assert key in incident
        for attempt in incident["attempts"]:
            assert attempt["outcome"] in ("fixed", "not_fixed", "skipped")
            assert {"step_id", "at"} <= attempt.keys()
    escalated = next(i for i in data if i["id"] == history["c"])
    assert set(escalated["escalation"]) == {"at", "hotline", "note", "reference"}
    assert escalated["resolution"] == "bank"


def test_render_refuses_an_unknown_format(desk):
    with pytest.raises(ValueError):
        render([], "pdf", "en")
