"""Hostile records: whatever a restored, hand-edited or half-written file holds, posdesk reads
the good records, names the bad ones, never crashes, never shows raw escapes or card numbers,
and a wrong clock never makes the record lie.

Damage is written straight into the data files, as a text editor or a bad backup would leave it.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clocks import FixedClock
from pilot_helpers import open_incidents_tab, screen_text, settle
from kb_steps import checks
from posdesk.cli import main
from posdesk.desk import Desk
from posdesk.export import render
from posdesk.i18n import STRINGS, record_problem
from posdesk.insights import SORT_KEYS
from posdesk.models import (
    PROBLEMS, BadRecord, Event, Incident, RoutineEntry, Settings, Terminal,
)
from posdesk.store.doctor import examine
from posdesk.store.layout import SCHEMA_VERSION
from posdesk.store.locations import Locations
from posdesk.ui.widgets.topic_view import TopicExtras, routine_text
from posdesk.wording import due_line, duration_text

SHANGHAI = timezone(timedelta(hours=8))
OPEN_FILE = "incidents-open.json"
CARD = "4111 1111 1111 1111"
ESCAPES = ("\x1b]52;c;aGk=\x07", "\x1b[2J", "\x9b31m", "\x1b]0;pwned\x07")

# --- records as posdesk writes them, and helpers that damage them on disk ---------------------


def good_incident(incident_id: str = "20261125-001", opened: str = "2026-11-25T14:00:00+08:00",
                  **fields) -> dict:
    """An incident record with one of every kind of event, as posdesk writes it."""
    title = {"zh": "无法联网", "en": "Cannot connect"}
    step_title = {"zh": "检查网线", "en": "Check the cable"}
    return {
        "id": incident_id, "topic_id": "fault.network", "topic_title": title,
        "kb_version": "2026.11", "step_count": 5, "terminal": "Front (10012345)",
        "terminal_id": "T1", "code": None, "closed": False,
        "events": [
            {"kind": "opened", "at": opened},
            {"kind": "attempt", "at": "2026-11-25T14:01:00+08:00", "step_id": "fault.network.cable",
             "step_order": 1, "step_title": step_title, "outcome": "not_fixed",
             "note": "灯不亮"},
            {"kind": "note", "at": "2026-11-25T14:02:00+08:00", "text": "customer waiting"},
            {"kind": "escalated", "at": "2026-11-25T14:03:00+08:00", "hotline": "95533",
             "note": "tried the cable", "reference": None},
            {"kind": "reference", "at": "2026-11-25T14:04:00+08:00", "reference": "CCB-1"},
            {"kind": "resolved", "at": "2026-11-25T14:05:00+08:00", "resolution": "bank",
             "note": "bank fixed it"},
            {"kind": "reopened", "at": "2026-11-25T14:06:00+08:00", "note": "back again"},
        ],
        **fields,
    }


def write_tables(path: Path, tables: dict) -> None:
    """Replace a data file whole, as restoring or hand-editing it would."""
    temp = path.with_name(path.name + ".edit")
    temp.write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")
    temp.chmod(0o600)  # the owner's alone, as posdesk keeps it: doctor has nothing else to say
    os.replace(temp, path)


def put_incidents(home: Path, *records: dict, name: str = OPEN_FILE) -> None:
    write_tables(home / name, {"incidents": {str(n): r for n, r in enumerate(records, 1)}})


def edit_main(home: Path, change) -> None:
    """Change the tables of posdesk.json in place (the store must have made it already)."""
    path = home / "posdesk.json"
    tables = json.loads(path.read_text(encoding="utf-8"))
    change(tables)
    write_tables(path, tables)


def set_up(home: Path) -> Path:
    """A data directory as posdesk sets it up: its main file with the schema, no records."""
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_tables(home / "posdesk.json", {"_meta": {"1": {"schema": SCHEMA_VERSION}}})
    return home


@pytest.fixture
def store_home(desk) -> Path:
    return set_up(desk.home)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- 1. Strict models ------------------------------------------------------------------------

def damaged(change) -> dict:
    record = good_incident()
    change(record)
    return record


def _set(path: tuple, value):
    def change(record):
        target = record
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _drop(path: tuple):
    def change(record):
        target = record
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return change


BAD_INCIDENTS = [
    (_set(("id",), 20261125001), "id", "not_text"),
    (_set(("id",), ["20261125-001"]), "id", "not_text"),
    (_set(("id",), "../../etc"), "id", "not_id"),
    (_drop(("topic_id",)), "topic_id", "missing"),
    (_set(("topic_id",), None), "topic_id", "not_text"),
    (_set(("topic_title",), "Cannot connect"), "topic_title", "not_object"),
    (_drop(("topic_title", "en")), "topic_title.en", "missing"),
    (_set(("topic_title", "zh"), 3), "topic_title.zh", "not_text"),
    (_set(("kb_version",), 2026.11), "kb_version", "not_text"),
    (_set(("step_count",), "five"), "step_count", "not_number"),
    (_set(("step_count",), -1), "step_count", "not_number"),
    (_set(("step_count",), True), "step_count", "not_number"),
    (_set(("step_count",), 2.5), "step_count", "not_number"),
    (_set(("terminal",), 7), "terminal", "not_text"),
    (_set(("terminal_id",), ["T1"]), "terminal_id", "not_text"),
    (_set(("code",), 51), "code", "not_text"),
    (_drop(("events",)), "events", "missing"),
    (_set(("events",), "opened"), "events", "not_list"),
    (_set(("events",), {"0": {"kind": "opened"}}), "events", "not_list"),
    (_set(("events",), []), "events", "empty"),
    (_set(("events", 2), "a note"), "events[2]", "not_object"),
    (_set(("events", 0, "kind"), "attempt"), "events[0].kind", "not_opened_first"),
    (_drop(("events", 2, "kind")), "events[2].kind", "missing"),
    (_set(("events", 2, "kind"), "exploded"), "events[2].kind", "unknown_value"),
    (_set(("events", 2, "kind"), ["note"]), "events[2].kind", "unknown_value"),
    (_drop(("events", 1, "at")), "events[1].at", "missing"),
    (_set(("events", 1, "at"), "yesterday"), "events[1].at", "not_time"),
    (_set(("events", 1, "at"), "2026-11-25T14:01:00"), "events[1].at", "not_time"),
    (_set(("events", 1, "at"), "2026-11-25"), "events[1].at", "not_time"),
    (_set(("events", 1, "at"), 1764050460), "events[1].at", "not_time"),
    (_set(("events", 1, "at"), "0001-01-01T00:00:00+08:00"), "events[1].at", "not_time"),
    (_drop(("events", 1, "step_id")), "events[1].step_id", "missing"),
    (_set(("events", 1, "step_order"), "1"), "events[1].step_order", "not_number"),
    (_set(("events", 1, "step_title"), None), "events[1].step_title", "not_object"),
    (_drop(("events", 1, "step_title", "zh")), "events[1].step_title.zh", "missing"),
    (_set(("events", 1, "outcome"), "maybe"), "events[1].outcome", "unknown_value"),
    (_set(("events", 1, "note"), {"text": "x"}), "events[1].note", "not_text"),
    (_drop(("events", 2, "text")), "events[2].text", "missing"),
    (_set(("events", 3, "hotline"), 95533), "events[3].hotline", "not_text"),
    (_set(("events", 3, "note"), None), "events[3].note", "not_text"),
    (_set(("events", 3, "reference"), 12), "events[3].reference", "not_text"),
    (_set(("events", 4, "reference"), None), "events[4].reference", "not_text"),
    (_set(("events", 5, "resolution"), "magic"), "events[5].resolution", "unknown_value"),
    (_drop(("events", 5, "resolution")), "events[5].resolution", "missing"),
    (_set(("events", 6, "note"), 3), "events[6].note", "not_text"),
]


@pytest.mark.parametrize(("change", "field", "problem"), BAD_INCIDENTS)
def test_a_damaged_incident_names_the_field_and_what_is_wrong(change, field, problem):
    with pytest.raises(BadRecord) as caught:
        Incident.from_dict(damaged(change))
    assert (caught.value.field, caught.value.problem) == (field, problem)
    assert isinstance(caught.value, ValueError)


def test_a_good_incident_builds_and_unknown_extra_keys_are_kept():
    record = good_incident(colour="blue")
    record["events"][0]["photo"] = {"taken": True}  # what a later posdesk may add
    incident = Incident.from_dict(record)
    assert incident.events[0].get("photo") == {"taken": True}
    assert incident.status == "open" and incident.escalation.reference == "CCB-1"


GOOD_FINDING = {"routine_id": "sec.tamper_inspection", "done_at": "2026-11-25T09:00:00+08:00",
                "who": "Li", "items": [{"id": "seals", "text": {"zh": "封条完好", "en": "Seals intact"}}],
                "serial": {"record": "SN-1", "seen": "SN-9"}}


@pytest.mark.parametrize(("finding", "field", "problem"), [
    ("seals", "events[0].finding", "not_object"),
    ({**GOOD_FINDING, "items": "seals"}, "events[0].finding.items", "not_list"),
    ({**GOOD_FINDING, "items": ["seals"]}, "events[0].finding.items[0]", "not_object"),
    ({**GOOD_FINDING, "items": [{"text": {"zh": "a", "en": "b"}}]},
     "events[0].finding.items[0].id", "missing"),
    ({**GOOD_FINDING, "items": [{"id": "seals", "text": "Seals"}]},
     "events[0].finding.items[0].text", "not_object"),
    ({**GOOD_FINDING, "serial": "SN-9"}, "events[0].finding.serial", "not_object"),
    ({**GOOD_FINDING, "serial": {"record": "SN-1", "seen": 9}}, "events[0].finding.serial.seen",
     "not_text"),
    ({**GOOD_FINDING, "serial": {"record": "SN-1", "seen": "SN-9", "compared": "no"}},
     "events[0].finding.serial.compared", "not_true_false"),
    ({**GOOD_FINDING, "who": None}, "events[0].finding.who", "not_text"),
])
def test_what_a_check_found_is_checked_where_the_incident_keeps_it(finding, field, problem):
    record = good_incident()
    record["events"][0]["finding"] = finding
    with pytest.raises(BadRecord) as caught:
        Incident.from_dict(record)
    assert (caught.value.field, caught.value.problem) == (field, problem)
    record["events"][0]["finding"] = GOOD_FINDING
    for lang, words in (("zh", "封条完好"), ("en", "Seals intact")):
        assert words in render([Incident.from_dict(record)], "md", lang)


def test_an_event_alone_is_checked_too():
    with pytest.raises(BadRecord) as caught:
        Event.from_dict({"kind": "note", "at": "2026-11-25T14:00:00+08:00"})
    assert (caught.value.field, caught.value.problem) == ("text", "missing")


@pytest.mark.parametrize(("record", "field", "problem"), [
    ({"name": "Front"}, "id", "missing"),
    ({"id": "X1", "name": "Front"}, "id", "not_id"),
    ({"id": 1, "name": "Front"}, "id", "not_text"),
    ({"id": "T1"}, "name", "missing"),
    ({"id": "T1", "name": ""}, "name", "empty"),
    ({"id": "T1", "name": ["Front"]}, "name", "not_text"),
    ({"id": "T1", "name": "Front", "serial": 12345}, "serial", "not_text"),
])
def test_a_damaged_terminal_is_refused(record, field, problem):
    with pytest.raises(BadRecord) as caught:
        Terminal.from_dict(record)
    assert (caught.value.field, caught.value.problem) == (field, problem)


GOOD_ENTRY = {"routine_id": "sec.malware", "terminal_id": None, "at": "2026-11-25T09:00:00+08:00",
              "who": "Li", "note": "", "checked": {"seals": True}, "incident_id": None}


@pytest.mark.parametrize(("change", "field", "problem"), [
    ({"routine_id": None}, "routine_id", "not_text"),
    ({"at": "soon"}, "at", "not_time"),
    ({"at": "2026-11-25T09:00:00"}, "at", "not_time"),
    ({"who": 7}, "who", "not_text"),
    ({"note": None}, "note", "not_text"),
    ({"checked": ["seals"]}, "checked", "not_object"),
    ({"checked": {"seals": "yes"}}, "checked.seals", "not_true_false"),
    ({"terminal_id": 1}, "terminal_id", "not_text"),
    ({"incident_id": {"id": "x"}}, "incident_id", "not_text"),
    ({"serial": "SN-9"}, "serial", "not_object"),
    ({"serial": {"record": "SN-1", "seen": 9}}, "serial.seen", "not_text"),
])
def test_a_damaged_routine_log_entry_is_refused(change, field, problem):
    with pytest.raises(BadRecord) as caught:
        RoutineEntry.from_dict({**GOOD_ENTRY, **change})
    assert (caught.value.field, caught.value.problem) == (field, problem)


def test_a_routine_log_entry_missing_its_time_is_refused():
    record = {k: v for k, v in GOOD_ENTRY.items() if k != "at"}
    with pytest.raises(BadRecord) as caught:
        RoutineEntry.from_dict(record)
    assert (caught.value.field, caught.value.problem) == ("at", "missing")
    assert RoutineEntry.from_dict({**GOOD_ENTRY, "by_tablet": True}).who == "Li"


def test_bad_settings_fall_back_to_their_defaults_and_are_named():
    data = {"language": "fr", "hotline": 95533, "cadences": {"sec.malware": 7, "ok": "3m"}}
    chosen = Settings.from_dict(data)
    assert (chosen.language, chosen.hotline) == (None, "95533")
    assert chosen.extra["cadences"] == {"ok": "3m"}
    named = {(p.field, p.problem) for p in Settings.problems(data)}
    assert named == {("language", "unknown_value"), ("hotline", "not_text"),
                     ("cadences.sec.malware", "not_text")}
    assert Settings.problems({"language": "zh", "hotline": "95533"}) == []
    assert Settings.from_dict({"cadences": "weekly"}).extra.get("cadences", {}) == {}


def test_every_problem_is_worded_in_both_languages():
    for problem in PROBLEMS:
        said = record_problem(BadRecord("events[1].at", problem))
        for lang in ("zh", "en"):
            assert "events[1].at" in said.text(lang)
    assert record_problem(BadRecord("id", "not_id")).text("zh") != \
        record_problem(BadRecord("id", "not_id")).text("en")


# --- 3. Damaged records never crash anything ----------------------------------------------------

def three_incidents(home: Path, damage) -> None:
    """Two good incidents and, between them, one that `damage` spoiled."""
    bad = good_incident("20261125-002")
    damage(bad)
    put_incidents(home, good_incident("20261125-001"), bad, good_incident("20261125-003"))


TODAYS_CRASHES = [
    _set(("step_count",), "five"),
    _set(("events", 5, "at"), "yesterday"),
    _set(("events", 1, "outcome"), "maybe"),
    _set(("events", 2), "a note"),
    _set(("topic_title",), None),
    _set(("events",), "opened"),
]


@pytest.mark.parametrize("damage", TODAYS_CRASHES)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_list_shows_the_good_incidents_and_one_line_about_the_bad(capsys, store_home, damage,
                                                                  lang):
    three_incidents(store_home, damage)
    code, out, err = run(capsys, "--lang", lang, "incidents", "list")
    assert code == 0
    assert "20261125-001" in out and "20261125-003" in out and "20261125-002" not in out
    assert err.count("\n") == 1 and "posdesk doctor" in err and "1" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("damage", TODAYS_CRASHES)
@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_export_writes_the_good_incidents(capsys, store_home, damage, fmt):
    three_incidents(store_home, damage)
    code, out, err = run(capsys, "incidents", "export", "--format", fmt)
    assert code == 0
    assert "20261125-001" in out and "20261125-002" not in out
    assert err.count("\n") == 1 and "posdesk doctor" in err


def test_list_as_json_keeps_stdout_json(capsys, store_home):
    three_incidents(store_home, _set(("step_count",), "five"))
    code, out, err = run(capsys, "incidents", "list", "--json")
    assert code == 0 and {i["id"] for i in json.loads(out)} == {"20261125-001", "20261125-003"}
    assert "posdesk doctor" in err


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_show_of_a_damaged_incident_is_one_line(capsys, store_home, lang):
    three_incidents(store_home, _set(("events", 5, "at"), "yesterday"))
    code, out, err = run(capsys, "--lang", lang, "incidents", "show", "20261125-002")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "20261125-002" in err and "events[5].at" in err
    assert "posdesk doctor" in err
    code, out, _ = run(capsys, "incidents", "show", "20261125-001")
    assert code == 0 and "Cannot connect" in out


def test_a_damaged_incident_is_not_offered_to_carry_on(desk, kb):
    kept = desk.start_incident("fault.network")
    put_incidents(desk.home, *[json.loads((desk.home / OPEN_FILE).read_text())["incidents"]["1"],
                               damaged(_set(("events", 1, "at"), "soon"))])
    assert [i.id for i in desk.unfinished_incidents()] == [kept.id]
    assert desk.unreadable_records() == 1


def test_due_works_past_damaged_terminals_and_log_entries(capsys, store_home):
    def damage(tables):
        tables["terminals"] = {"1": {"id": "T1", "name": "Front"}, "2": {"id": "T2", "name": 5}}
        tables["routine_log"] = {"1": {**GOOD_ENTRY, "at": "soon"},
                                 "2": {**GOOD_ENTRY, "checked": "all"}}
    edit_main(store_home, damage)
    code, out, err = run(capsys, "due")
    assert code == 0 and "Front" in out
    assert err.count("\n") == 1 and ": 3." in err and "posdesk doctor" in err
    code, out, err = run(capsys, "due", "--json")
    assert code == 0 and json.loads(out)


def test_a_damaged_setting_never_stops_due_or_the_flow(capsys, store_home, kb):
    edit_main(store_home, lambda tables: tables.__setitem__("settings", {"1": {
        "language": ["zh"], "hotline": {"n": 1}, "cadences": {"sec.malware": 7}}}))
    code, out, _ = run(capsys, "due")
    assert code == 0 and out
    desk = Desk(store_home, kb=kb)
    incident = desk.start_incident("fault.network")
    saved = desk.escalate(incident.id, "no signal")
    assert saved.incident.escalation.hotline == "95533"


# --- 4. doctor checks every record of every table -----------------------------------------------

@pytest.mark.parametrize("damage", [
    _set(("events",), "opened"),  # events that are not a list
    _set(("events", 2), "a note"),  # an event that is not an object
    _set(("events", 2), None),
    _set(("id",), 20261125002),  # an id that is not text
    _set(("id",), ["20261125-002"]),
    _set(("id",), {"day": "20261125"}),
    _set(("topic_title",), ["无法联网"]),
    _set(("events", 1, "step_title"), "Check the cable"),
])
def test_doctor_never_crashes_and_names_the_bad_incident(store_home, damage):
    three_incidents(store_home, damage)
    checkup = examine(Locations(store_home))
    assert checkup.incidents == 3
    (problem,) = checkup.problems
    for lang in ("en", "zh"):
        line = problem.text(lang)
        assert OPEN_FILE in line and "\n" not in line
    assert "incident" in problem.text("en") and "记录" in problem.text("zh")


def test_doctor_names_file_kind_id_and_field_in_the_persons_language(store_home):
    three_incidents(store_home, _set(("events", 5, "at"), "yesterday"))
    (problem,) = examine(Locations(store_home)).problems
    english, chinese = problem.text("en"), problem.text("zh")
    assert "20261125-002" in english and "events[5].at" in english and "time" in english
    assert "20261125-002" in chinese and "events[5].at" in chinese and "时间" in chinese


def test_doctor_names_a_record_without_a_usable_id_by_its_place(store_home):
    three_incidents(store_home, _set(("id",), {"\x1b[2J": 1}))
    (problem,) = examine(Locations(store_home)).problems
    assert "2" in problem.text("en") and "\x1b" not in problem.text("en")


def test_doctor_checks_terminals_the_routine_log_and_the_settings(store_home):
    def damage(tables):
        tables["terminals"] = {"1": {"id": "T1", "name": "Front"}, "2": {"id": "T2", "name": 5}}
        tables["routine_log"] = {"1": GOOD_ENTRY, "2": {**GOOD_ENTRY, "at": "soon"}}
        tables["settings"] = {"1": {"language": "zh", "hotline": 95533}}
    edit_main(store_home, damage)
    lines = [p.text("en") for p in examine(Locations(store_home)).problems]
    assert len(lines) == 3, lines
    assert all(line.startswith(f"{store_home / 'posdesk.json'}: ") for line in lines)
    said = sorted(line.split("posdesk.json: ", 1)[1] for line in lines)
    assert said[0].startswith("in the settings, hotline is not text")
    assert said[1].startswith("routine log entry no. 2 cannot be read: at is not a time")
    assert said[2] == "terminal T2 cannot be read: name is not text."
    chinese = " ".join(p.text("zh") for p in examine(Locations(store_home)).problems)
    assert "终端" in chinese and "例行" in chinese and "设置" in chinese


def test_doctor_says_all_is_well_for_records_posdesk_wrote(desk, history):
    desk.save_terminal(name="Front", serial="SN-1")
    desk.mark_done("sec.tamper_inspection", "Li", terminal_id="T1", checked={"seals": False})
    desk.set_cadence("sec.malware", "2m")
    checkup = examine(desk.locations)
    assert checkup.healthy, [p.text("en") for p in checkup.problems]


@pytest.mark.parametrize("tables", [
    {"terminals": [{"id": "T1", "name": "Front"}]},  # a table that is a list
    {"routine_log": {"1": ["sec.malware"]}},  # a record that is not an object
    {"settings": "zh"},
    {"_meta": []},
    ["not", "tables"],
])
def test_doctor_names_a_main_file_of_the_wrong_shape(store_home, tables):
    write_tables(store_home / "posdesk.json", tables)
    (problem,) = examine(Locations(store_home)).problems
    assert "posdesk.json" in problem.text("en")


def test_the_doctor_command_prints_each_bad_record(capsys, store_home):
    three_incidents(store_home, _set(("events", 2), "a note"))
    code, out, err = run(capsys, "--lang", "zh", "doctor")
    assert code == 1 and "20261125-002" in out and "events[2]" in out and err


# Each example makes its own data folder; the session's knowledge base is shared.
SLOW_AND_SHARED = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 10**12) | st.floats(allow_nan=False)
    | st.text(max_size=12) | st.sampled_from(["opened", "attempt", "fixed", "bank", "zh", "T1",
                                              "2026-11-25T14:00:00+08:00", "20261125-002"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                 max_size=3),
    max_leaves=6,
)


def paths_of(value, prefix=()):
    """Every place in a record that damage can reach: keys of objects, indexes of lists."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from paths_of(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index)
            yield from paths_of(item, (*prefix, index))


def found_by_a_check() -> dict:
    """An incident with every kind of event, opened by a check that found something."""
    record = good_incident("20261125-002")
    record["events"][0]["finding"] = copy.deepcopy(GOOD_FINDING)
    return record


ALL_PATHS = list(paths_of(found_by_a_check()))


@st.composite
def damaged_records(draw) -> dict:
    record = found_by_a_check()
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(ALL_PATHS))
        target = record
        try:
            for key in path[:-1]:
                target = target[key]
            if draw(st.booleans()) and isinstance(target, dict):
                target.pop(path[-1], None)
            else:
                target[path[-1]] = draw(json_values)
        except (KeyError, IndexError, TypeError):
            pass  # an earlier change already took this place away
    return record


@settings(max_examples=120, deadline=None, suppress_health_check=SLOW_AND_SHARED)
@given(bad=damaged_records())
def test_any_damage_leaves_doctor_list_and_export_standing(kb, bad):
    with tempfile.TemporaryDirectory(prefix="posdesk-records-") as folder:
        home = Path(folder)
        set_up(home)
        put_incidents(home, good_incident("20261125-001"), bad)
        try:
            Incident.from_dict(bad)
            readable = True
        except BadRecord:
            readable = False
        checkup = examine(Locations(home))
        assert len(checkup.problems) == (0 if readable else 1)
        desk = Desk(home, kb=kb)
        found = desk.incidents()
        assert len(found) == (2 if readable else 1)
        assert desk.unreadable_records() == (0 if readable else 1)
        for lang in ("en", "zh"):
            for fmt in ("md", "csv", "json"):
                render(found, fmt, lang)
            desk.insights(found)
            for key in SORT_KEYS:
                desk.find_incidents(desk_filter(), key)


def desk_filter():
    from posdesk.models import IncidentFilter
    return IncidentFilter(text="a")


terminal_records = st.fixed_dictionaries(
    {"id": st.sampled_from(["T1", "T2", "T10"]) | json_values,
     "name": st.just("Front") | json_values},
    optional={"serial": json_values, "location": st.text(max_size=5), "extra": json_values})
entry_records = st.fixed_dictionaries(
    {"routine_id": st.sampled_from(["sec.malware", "maint.interior_dust_weekly"]) | json_values,
     "at": st.sampled_from(["2026-11-20T09:00:00+08:00", "2027-11-20T09:00:00+08:00",
                            "9998-12-31T23:00:00-12:00", "0002-01-01T00:00:00+14:00",
                            "2026-11-20"]) | json_values,
     "who": st.just("Li") | json_values},
    optional={"checked": st.dictionaries(st.text(max_size=4), st.booleans() | json_values,
                                         max_size=2) | json_values,
              "terminal_id": st.sampled_from(["T1", None]) | json_values,
              "note": json_values, "incident_id": json_values})
settings_records = st.fixed_dictionaries(
    {}, optional={"language": st.sampled_from(["zh", "en", "fr"]) | json_values,
                  "hotline": st.just("95533") | json_values,
                  "cadences": st.dictionaries(st.sampled_from(["sec.malware", "x"]),
                                              st.sampled_from(["7d", "3m", "soon"]) | json_values,
                                              max_size=2) | json_values})


@settings(max_examples=80, deadline=None, suppress_health_check=SLOW_AND_SHARED)
@given(terminals=st.lists(terminal_records, max_size=3), log=st.lists(entry_records, max_size=4),
       chosen=settings_records)
def test_any_damage_to_terminals_log_or_settings_leaves_due_and_doctor_standing(
        kb, terminals, log, chosen):
    def readable(build, record):
        try:
            build(record)
            return True
        except BadRecord:
            return False

    with tempfile.TemporaryDirectory(prefix="posdesk-records-") as folder:
        home = Path(folder)
        set_up(home)
        edit_main(home, lambda tables: tables.update({
            "terminals": {str(n): r for n, r in enumerate(terminals, 1)},
            "routine_log": {str(n): r for n, r in enumerate(log, 1)},
            "settings": {"1": chosen}}))
        bad = sum(not readable(Terminal.from_dict, r) for r in terminals) + \
            sum(not readable(RoutineEntry.from_dict, r) for r in log)
        assert len(examine(Locations(home)).problems) == bad + len(Settings.problems(chosen))
        clock = FixedClock(datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI))
        desk = Desk(home, kb=kb, clock=clock)
        for state in desk.due():
            due_line(state, "zh")
            routine_text(TopicExtras(states=(state,)), "en")
        desk.routine_log()
        assert desk.unreadable_records() == bad
        desk.settings()


hostile_texts = st.sampled_from(("", "note", "kind", CARD, "4012888888881881", *ESCAPES,
                                 "\r\n", "\ud800", "打印机", "2026-11-25T14:00:00+08:00"))
hostile_values = st.recursive(
    st.none() | st.booleans() | st.integers() | hostile_texts
    | st.lists(hostile_texts, max_size=3).map("".join) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        hostile_texts | st.text(max_size=4), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(records=st.lists(hostile_values, max_size=5))
def test_cleaning_a_history_at_once_is_cleaning_each_record(records):
    """The desk cleans many records with one memory of the texts it has cleaned: the result
    must be exactly privacy.clean_stored's, record by record."""
    from posdesk import privacy

    texts: dict[str, str] = {}
    assert [privacy.clean_stored(record, texts) for record in records] == \
        [privacy.clean_stored(record) for record in records]


# --- 2. Text read back is cleaned on the way out -------------------------------------------------

def hostile_incident() -> dict:
    record = good_incident()
    record["topic_title"] = {"zh": "无法联网" + ESCAPES[0], "en": "Cannot connect" + ESCAPES[1]}
    record["terminal"] = "Front" + ESCAPES[2]
    record["events"][2]["text"] = f"card {CARD} {ESCAPES[3]}"
    record["events"][3]["note"] = "call" + ESCAPES[0]
    record["events"][4]["reference"] = "CCB" + ESCAPES[1]
    return record


def assert_clean(text: str) -> None:
    assert not any(c in text for c in "\x1b\x9b\x07"), repr(text)
    assert CARD not in text and "4111111111111111" not in text, text


@pytest.mark.parametrize("argv", [
    ("incidents", "list"), ("incidents", "list", "--json"),
    ("incidents", "show", "20261125-001"), ("incidents", "show", "20261125-001", "--json"),
    ("incidents", "export", "--format", "md"), ("incidents", "export", "--format", "csv"),
    ("incidents", "export", "--format", "json"),
])
def test_escapes_and_card_numbers_in_a_file_never_reach_the_command_line(capsys, store_home, argv):
    put_incidents(store_home, hostile_incident())
    code, out, err = run(capsys, *argv)
    assert code == 0
    assert "Cannot connect" in out or "20261125-001" in out
    assert_clean(out)
    assert_clean(err)


def test_every_kind_of_record_is_cleaned_as_it_is_read(store_home, kb):
    put_incidents(store_home, hostile_incident())

    def damage(tables):
        tables["terminals"] = {"1": {"id": "T1", "name": "Front" + ESCAPES[0], "serial": CARD}}
        tables["routine_log"] = {"1": {**GOOD_ENTRY, "who": "Li" + ESCAPES[1],
                                       "note": CARD, "checked": {"seals" + ESCAPES[2]: True}}}
        tables["settings"] = {"1": {"hotline": "95533" + ESCAPES[3]}}
    edit_main(store_home, damage)
    desk = Desk(store_home, kb=kb)
    shown = [json.dumps(i.to_dict(), ensure_ascii=False) for i in desk.incidents()]
    shown.append(json.dumps(desk.incident("20261125-001").to_dict(), ensure_ascii=False))
    shown += [json.dumps(i.to_dict(), ensure_ascii=False) for i in desk.unfinished_incidents()]
    shown += [json.dumps(t.to_dict(), ensure_ascii=False) for t in desk.terminals()]
    shown += [json.dumps(e.to_dict(), ensure_ascii=False) for e in desk.routine_log()]
    shown.append(desk.settings().hotline)
    shown += [due_line(s, "en") for s in desk.routine_states()]
    for text in shown:
        assert_clean(text)
    assert desk.settings().hotline == "95533" and desk.terminal("T1").name == "Front"


def test_a_change_keeps_the_stored_history_as_it_was(store_home, kb):
    """Cleaning is for what is shown: a note added to a hand-edited incident leaves the rest of
    its stored record exactly as it was, and what the change returns is clean."""
    put_incidents(store_home, hostile_incident())
    desk = Desk(store_home, kb=kb)
    saved = desk.add_note("20261125-001", "still down")
    assert_clean(json.dumps(saved.incident.to_dict(), ensure_ascii=False))
    stored = json.loads((store_home / OPEN_FILE).read_text())["incidents"]["1"]
    assert stored["events"][:7] == hostile_incident()["events"]


def test_the_quick_cleaning_of_a_history_is_the_privacy_modules_own(store_home, kb):
    from posdesk import privacy

    records = [hostile_incident(), good_incident("20261125-002"),
               {**good_incident("20261125-003"), "odd\x1b[31m": {"x\x9b": [CARD, 1, None]}}]
    put_incidents(store_home, *records)
    desk = Desk(store_home, kb=kb)
    expected = {r["id"]: Incident.from_dict(privacy.clean_stored(r)) for r in records}
    assert {i.id: i for i in desk.incidents()} == expected


# --- 5. The clock -------------------------------------------------------------------------------

def test_a_clock_behind_the_last_event_never_goes_back_in_time(home, kb):
    clock = FixedClock(datetime(2026, 11, 25, 14, 0, tzinfo=SHANGHAI))
    desk = Desk(home, kb=kb, clock=clock)
    incident = desk.start_incident("fault.network")
    steps = checks(kb.topic("fault.network"))
    clock.now = datetime(2026, 11, 25, 13, 0, tzinfo=SHANGHAI)  # someone set the clock back
    desk.record_attempt(incident.id, steps[0].id, "not_fixed")
    clock.now = datetime(2026, 11, 25, 5, 30, tzinfo=timezone.utc)  # 13:30 in Shanghai
    resolved = desk.record_attempt(incident.id, steps[1].id, "fixed").incident
    moments = [datetime.fromisoformat(e.at) for e in resolved.events]
    assert moments == sorted(moments)
    assert moments[0] == datetime(2026, 11, 25, 14, 0, tzinfo=SHANGHAI)
    assert resolved.minutes_to_resolve == 0
    assert duration_text(resolved.minutes_to_resolve, "en") == "0 min"


def test_an_old_record_with_times_out_of_order_shows_no_negative_duration(store_home, kb):
    record = good_incident()
    record["events"] = [record["events"][0],
                        {"kind": "resolved", "at": "2026-11-25T13:00:00+08:00",
                         "resolution": "self"}]
    put_incidents(store_home, record, name="incidents-2026-11.json")
    (incident,) = Desk(store_home, kb=kb).incidents()
    assert incident.minutes_to_resolve == 0
    assert duration_text(-90.0, "en") == "0 min" and duration_text(-90.0, "zh") == "0 分钟"
    assert "-" not in render([incident], "csv", "en").splitlines()[1].split(",")[7]


def test_lists_sort_by_the_instant_not_the_text(store_home, kb):
    shanghai_nine = good_incident("20261125-001", "2026-11-25T09:00:00+08:00")  # 01:00 UTC
    london_two = good_incident("20261125-002", "2026-11-25T02:00:00+00:00")  # 02:00 UTC: later
    for record in (shanghai_nine, london_two):
        record["events"] = record["events"][:1]
    put_incidents(store_home, shanghai_nine, london_two)
    desk = Desk(store_home, kb=kb)
    newest_first = ["20261125-002", "20261125-001"]
    assert [i.id for i in desk.incidents()] == newest_first
    assert [i.id for i in desk.unfinished_incidents()] == newest_first
    assert [i.id for i in desk.find_incidents(desk_filter_none(), "opened")] == newest_first
    assert [i.id for i in desk.find_incidents(desk_filter_none(), "opened", False)] == \
        newest_first[::-1]
    assert sorted(desk.incidents(), key=SORT_KEYS["opened"])[0].id == "20261125-001"

    edit_main(store_home, lambda tables: tables.__setitem__("routine_log", {
        "1": {**GOOD_ENTRY, "at": "2026-11-25T02:00:00+00:00", "who": "London"},
        "2": {**GOOD_ENTRY, "at": "2026-11-25T09:00:00+08:00", "who": "Shanghai"}}))
    assert [e.who for e in desk.routine_log()] == ["London", "Shanghai"]


def desk_filter_none():
    from posdesk.models import IncidentFilter
    return IncidentFilter()


def test_a_routine_marked_done_with_the_clock_a_year_ahead_is_not_silenced(home, kb):
    clock = FixedClock(datetime(2027, 11, 25, 9, 0, tzinfo=SHANGHAI))
    desk = Desk(home, kb=kb, clock=clock)
    desk.mark_done("sec.malware", "Li")  # the machine thought it was 2027
    clock.now = datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI)  # the clock is put right

    (state,) = desk.routine_states("sec.malware")
    assert state.last_done is None and state.due
    assert state.future_mark == "2027-11-25T09:00:00+08:00"
    assert "sec.malware" in [s.routine_id for s in desk.due()]
    for lang, words in (("en", ("future", "clock", "2027-11-25")),
                        ("zh", ("将来", "时钟", "2027-11-25"))):
        line = due_line(state, lang)
        assert "\n" not in line and all(word in line for word in words), line
        shown = routine_text(TopicExtras(states=(state,)), lang).plain
        assert all(word in shown for word in words), shown

    desk.mark_done("sec.malware", "Li")  # marked again, with the right clock
    (state,) = desk.routine_states("sec.malware")
    assert state.future_mark is None and state.last_done == "2026-11-25T09:00:00+08:00"
    assert not state.due


def test_a_mark_a_little_ahead_still_counts(home, kb):
    """A few hours ahead is a clock a little fast, or another time zone: it is the last done."""
    clock = FixedClock(datetime(2026, 11, 25, 20, 0, tzinfo=SHANGHAI))
    desk = Desk(home, kb=kb, clock=clock)
    desk.mark_done("sec.malware", "Li")
    clock.now = datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI)
    (state,) = desk.routine_states("sec.malware")
    assert state.last_done == "2026-11-25T20:00:00+08:00" and state.future_mark is None


def test_the_due_command_says_a_mark_is_in_the_future(capsys, home, kb):
    clock = FixedClock(datetime(2027, 11, 25, 9, 0, tzinfo=SHANGHAI))
    Desk(home, kb=kb, clock=clock).mark_done("sec.malware", "Li")
    code, out, _ = run(capsys, "--lang", "zh", "due")
    assert code == 0 and "2027-11-25" in out and "时钟" in out
    code, out, _ = run(capsys, "due", "--json")
    (malware,) = [s for s in json.loads(out) if s["routine_id"] == "sec.malware"]
    assert malware["future_mark"] == "2027-11-25T09:00:00+08:00"


# --- The screens ---------------------------------------------------------------------------------

async def test_the_incidents_tab_says_how_many_records_cannot_be_read(store_home, kb):
    from posdesk.ui.app import PosdeskApp

    three_incidents(store_home, _set(("events", 1, "at"), "soon"))
    app = PosdeskApp(Desk(store_home, kb=kb), "en")
    async with app.run_test(size=(120, 30)) as pilot:
        pane = await open_incidents_tab(pilot)
        status = str(pane.query_one("#incidents-status").render())
        assert "of 2" in status and "cannot be read: 1" in status and "posdesk doctor" in status
        assert "20261125-002" not in screen_text(app)


async def test_the_start_up_notice_says_a_routine_was_marked_in_the_future(home, kb):
    from posdesk.ui.app import PosdeskApp

    clock = FixedClock(datetime(2027, 11, 25, 9, 0, tzinfo=SHANGHAI))
    desk = Desk(home, kb=kb, clock=clock)
    desk.mark_done("sec.malware", "Li")
    clock.now = datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI)
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        notices = [n.message for n in app._notifications]
    assert any("future" in message and "clock" in message for message in notices), notices


async def test_a_record_damaged_while_the_flow_is_open_is_told_and_nothing_is_lost(desk, kb):
    """Another program spoils the incident's record between two marks: the mark is refused in
    one line, the app stays up, and the stored record is left exactly as it was."""
    from posdesk.ui.app import PosdeskApp
    from posdesk.ui.screens.troubleshoot import TroubleshootScreen

    app = PosdeskApp(desk, "en")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, TroubleshootScreen)
        await pilot.press("d")  # the first mark records the incident
        await settle(pilot)
        path = desk.home / OPEN_FILE
        tables = json.loads(path.read_text(encoding="utf-8"))
        tables["incidents"]["1"]["step_count"] = "five"
        write_tables(path, tables)
        spoiled = path.read_bytes()
        app.clear_notifications()
        await pilot.press("n")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, TroubleshootScreen)
        told = [n.message for n in app._notifications]
        assert len(told) == 1 and "step_count" in told[0] and "posdesk doctor" in told[0], told
    assert path.read_bytes() == spoiled


def test_new_strings_are_in_both_languages():
    for key in ("cli.unreadable", "cli.unreadable_incident", "list.unreadable", "due.future",
                "routine.future", "today.toast_future", "doctor.bad_record", "doctor.bad_record_at",
                "doctor.bad_setting"):
        assert set(STRINGS[key]) == {"zh", "en"}
