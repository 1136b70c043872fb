"""An incident's id names the day it was opened, and its file the month: the newest-first
listing reads the months in order and trusts that. A crafted or hand-edited record whose id
says another day than its opening time is refused by restore and named by doctor."""

from __future__ import annotations

import json

import pytest

from kb_steps import check_ids
from posdesk.store.bundle import BadBackup
from posdesk.store.layout import closed_file


def _resolved_incident(desk) -> str:
    incident = desk.start_incident("fault.print")
    desk.record_attempt(incident.id, incident_steps(desk)[0], "fixed")
    return incident.id


def incident_steps(desk) -> list[str]:
    return check_ids(desk.topic("fault.print"))


def _opened_elsewhere(record: dict) -> None:
    """The record's opening moved to the next month, its id left as it was."""
    for event in record["events"]:
        event["at"] = "2026-12-28T10:00:00+08:00"


def test_restore_refuses_an_incident_whose_id_is_not_the_day_it_was_opened(desk, tmp_path):
    incident_id = _resolved_incident(desk)
    made = desk.backup(tmp_path / "backup.json")
    bundle = json.loads(made.read_text(encoding="utf-8"))
    month = bundle["files"][closed_file(incident_id)]["incidents"]
    _opened_elsewhere(next(iter(month.values())))
    crafted = tmp_path / "crafted.json"
    crafted.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(BadBackup) as refused:
        desk.restore(crafted)
    said = refused.value.phrase.text("en")
    assert incident_id in said and "2026-12-28" in said


def test_doctor_names_an_incident_whose_id_is_not_the_day_it_was_opened(desk):
    incident_id = _resolved_incident(desk)
    path = desk.home / closed_file(incident_id)
    tables = json.loads(path.read_text(encoding="utf-8"))
    _opened_elsewhere(next(iter(tables["incidents"].values())))
    path.write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")
    checkup = desk.checkup()
    told = [problem.text("zh") for problem in checkup.problems]
    assert not checkup.healthy
    assert any(incident_id in line and "2026-12-28" in line for line in told), told
