"""Nothing is lost: writers killed at random moments, two processes at once, damaged files,
backups and restores."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kb_steps import checks
from posdesk.cli import main
from posdesk.desk import Desk
from posdesk.i18n import told
from posdesk.store import SCHEMA_VERSION, SchemaTooNew, Store
from posdesk.store.backup import BadBackup, backups, make_backup, read_backup
from posdesk.store.doctor import examine
from posdesk.store.locations import Locations

WRITER = Path(__file__).parent / "crash_writer.py"
KILLS = 200


def texts_in(desk: Desk) -> set[tuple[str, str]]:
    """(incident id, text) for every note, attempt note and reopening stored."""
    found = set()
    for incident in desk.incidents():
        for event in incident.events:
            for key in ("note", "text"):
                if event.get(key):
                    found.add((incident.id, event.get(key)))
    return found


def kill_writers(home: Path, kb, lane: int, kills: int) -> int:
    """Start a writer on `home` and kill it at a random moment, `kills` times; after every
    kill the database must be healthy and hold everything the writer reported done. Returns
    how many writes were reported."""
    rng = random.Random(20261125 + lane)
    reported: set[tuple[str, str]] = set()
    for run in range(kills):
        writer = subprocess.Popen([sys.executable, str(WRITER), str(home), f"l{lane}r{run}"],
                                  stdout=subprocess.PIPE, text=True)
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0, 0.04))
        writer.send_signal(signal.SIGKILL)
        output, _ = writer.communicate(timeout=30)
        # Only whole lines were reported: a kill in the middle of printing one leaves a piece
        # after the last line break, which reported nothing.
        for line in output.split("\n")[:-1]:
            _, incident_id, _, text = line.split(" ", 3)
            reported.add((incident_id, text))

        Store(home)  # opening finishes any move a kill cut short, as posdesk's start does
        checkup = examine(Locations(home))
        assert checkup.healthy, (lane, run, checkup.problems)
        missing = reported - texts_in(Desk(home, kb=kb))
        assert not missing, (lane, run, sorted(missing)[:5])
    return len(reported)


def test_writer_killed_at_random_moments_loses_nothing_it_reported(tmp_path, kb):
    # Two data directories killed in turn at once: the same 200 kills, on both cores.
    lanes = 2
    with ThreadPoolExecutor(lanes) as pool:
        done = pool.map(lambda lane: kill_writers(tmp_path / f"lane{lane}", kb, lane,
                                                  KILLS // lanes), range(lanes))
        reported = sum(done)
    assert reported > KILLS  # the kills did land in the middle of real work


def test_two_processes_writing_at_once_keep_all_1000_changes(home, kb):
    Store(home)
    writers = [subprocess.Popen([sys.executable, str(WRITER), str(home), tag, "500"],
                                stdout=subprocess.PIPE, text=True) for tag in ("a", "b")]
    reported = set()
    for writer in writers:
        output, _ = writer.communicate(timeout=600)
        assert writer.returncode == 0
        reported |= {tuple(line.split(" ", 3)[1::2]) for line in output.splitlines()[1:]}
    assert len([r for r in reported if not r[1].endswith("-reopen")]) == 1000
    assert reported <= texts_in(Desk(home, kb=kb))
    assert examine(Locations(home)).healthy


DAMAGED = {
    "empty": b"",
    "truncated": b'{"_meta": {"1": {"schema": 2}}, "settings": {"1": {"hot',
    "not JSON": b"this is not a database\n",
    "another shape": b'{"users": [1, 2, 3]}',
    "newer schema": json.dumps({"_meta": {"1": {"schema": SCHEMA_VERSION + 1}}}).encode(),
}


@pytest.mark.parametrize("kind", DAMAGED)
def test_damaged_database_is_explained_in_one_line_and_left_as_it_was(home, capsys, kind):
    home.mkdir(parents=True)
    path = home / "posdesk.json"
    path.write_bytes(DAMAGED[kind])
    for argv in ([], ["incidents", "list"], ["due"], ["backup"]):
        code = main(["--home", str(home), *argv])
        err = capsys.readouterr().err
        assert code == 1, (kind, argv)
        assert err.count("\n") == 1 and str(path) in err, (kind, argv, err)
        assert "restore" in err or "upgrade" in err
    assert path.read_bytes() == DAMAGED[kind]
    assert main(["--home", str(home), "doctor"]) == 1
    out = capsys.readouterr().out
    assert str(path) in out
    assert path.read_bytes() == DAMAGED[kind]


@pytest.mark.parametrize("kind", DAMAGED)
def test_a_chinese_shop_is_told_what_is_wrong_in_chinese(home, capsys, kind):
    home.mkdir(parents=True)
    path = home / "posdesk.json"
    path.write_bytes(DAMAGED[kind])
    assert main(["--home", str(home), "--lang", "zh", "incidents", "list"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err
    assert "文件没有被改动" in err and ("无法读取" in err or "请升级 posdesk" in err), err
    assert main(["--home", str(home), "--lang", "zh", "doctor"]) == 1
    out = capsys.readouterr().out
    assert str(path) in out and ("无法读取" in out or "较新版本" in out), out
    assert path.read_bytes() == DAMAGED[kind]


def test_a_damaged_incident_file_is_named_by_doctor(desk, capsys):
    desk.start_incident("fault.print")
    open_file = desk.store.home / "incidents-open.json"
    open_file.write_text('{"incidents": {"1": ', encoding="utf-8")
    assert main(["--home", str(desk.store.home), "doctor"]) == 1
    assert "incidents-open.json" in capsys.readouterr().out
    assert main(["--home", str(desk.store.home), "incidents", "list"]) == 1
    assert "incidents-open.json" in capsys.readouterr().err


def test_doctor_says_all_is_well(desk, capsys):
    desk.start_incident("fault.print")
    assert main(["--home", str(desk.store.home), "doctor"]) == 0
    assert "All is well" in capsys.readouterr().out


def test_backup_and_restore_keep_a_copy_of_what_they_replace(desk, kb, tmp_path, capsys):
    first = desk.start_incident("fault.network")
    target = tmp_path / "shop-backup.json"
    assert main(["--home", str(desk.store.home), "backup", "-o", str(target)]) == 0
    assert set(read_backup(target)) == {"posdesk.json", "incidents-open.json"}
    second = desk.start_incident("fault.print")

    assert main(["--home", str(desk.store.home), "restore", str(target)]) == 0
    assert "kept in" in capsys.readouterr().out
    restored = Desk(desk.store.home, kb=kb)
    assert [i.id for i in restored.incidents()] == [first.id]
    kept = [p for p in backups(desk.locations) if "before-restore" in p.name]
    assert len(kept) == 1 and second.id in kept[0].read_text(encoding="utf-8")


@pytest.mark.parametrize("content", [b"", b"{}", b"[1]", b'{"format": "posdesk-backup", "files": 3}',
                                     b'{"_meta": {"1": {"schema": 99}}}'])
def test_restore_refuses_what_is_not_a_posdesk_database(desk, tmp_path, capsys, content):
    desk.start_incident("fault.network")
    before = {p.name: p.read_bytes() for p in desk.store.files()}
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    assert main(["--home", str(desk.store.home), "restore", str(bad)]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    assert {p.name: p.read_bytes() for p in desk.store.files()} == before
    with pytest.raises(BadBackup):
        read_backup(bad)


def test_daily_backup_once_a_day_keeping_the_last_few(desk):
    assert desk.daily_backup() is None  # nothing to back up yet
    desk.start_incident("fault.print")
    assert desk.daily_backup() is not None
    assert desk.daily_backup() is None  # already done today
    folder = desk.store.home / "backups"
    for day in range(1, 12):
        (folder / f"posdesk-202601{day:02d}-080000-000000-daily.json").write_text("{}")
    desk.backup()  # a manual one is never pruned
    make_backup(desk.store, reason="daily")
    names = [p.name for p in backups(desk.locations)]
    assert len([n for n in names if not n.endswith("-manual.json")]) == 7
    assert any(n.endswith("-manual.json") for n in names)


def test_schema_1_is_migrated_after_a_backup(home, kb):
    home.mkdir(parents=True)
    old = {
        "_meta": {"1": {"schema": 1}},
        "settings": {"1": {"language": "zh", "hotline": "95533"}},
        "incidents": {
            "1": {"id": "20260105-001", "topic_id": "fault.print", "kb_version": "old",
                  "topic_title": {"zh": "无法打印", "en": "Cannot print"}, "step_count": 5,
                  "events": [{"kind": "opened", "at": "2026-01-05T10:00:00+08:00"},
                             {"kind": "resolved", "at": "2026-01-05T10:05:00+08:00",
                              "resolution": "self"}]},
            "2": {"id": "20260106-001", "topic_id": "fault.network", "kb_version": "old",
                  "topic_title": {"zh": "无法联网", "en": "Cannot connect"}, "step_count": 5,
                  "events": [{"kind": "opened", "at": "2026-01-06T10:00:00+08:00"}]},
        },
    }
    (home / "posdesk.json").write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    desk = Desk(home, kb=kb)
    assert desk.store.schema_version == SCHEMA_VERSION
    assert {i.id: i.status for i in desk.incidents()} == {"20260105-001": "resolved",
                                                          "20260106-001": "open"}
    assert (home / "incidents-2026-01.json").exists() and (home / "incidents-open.json").exists()
    (backup,) = [p for p in backups(Locations(home)) if "before-schema" in p.name]
    assert read_backup(backup)["posdesk.json"]["_meta"]["1"]["schema"] == 1
    assert examine(Locations(home)).healthy
    with pytest.raises(SchemaTooNew):
        (home / "posdesk.json").write_text(json.dumps({"_meta": {"1": {"schema": 9}}}))
        Store(home)


def test_a_move_cut_short_is_finished_on_the_next_start(desk, kb):
    incident = desk.start_incident("fault.print")
    step = checks(kb.topic("fault.print"))[0]
    resolved = desk.record_attempt(incident.id, step.id, "fixed").incident
    # Put the machine back to the moment after the closed file got it and before the open file
    # lost it, with the journal still naming the move.
    home = desk.store.home
    record = json.loads((home / "incidents-2026-11.json").read_text())["incidents"]["1"]
    (home / "incidents-open.json").write_text(json.dumps({"incidents": {"1": {
        **record, "events": record["events"][:1], "closed": False}}}))
    main_db = json.loads((home / "posdesk.json").read_text())
    main_db["_moving"] = {"1": {"id": incident.id, "from": "incidents-open.json",
                                "to": "incidents-2026-11.json"}}
    (home / "posdesk.json").write_text(json.dumps(main_db))
    assert not examine(Locations(home)).healthy

    reopened = Desk(home, kb=kb)
    assert [i.id for i in reopened.incidents()] == [incident.id]
    assert reopened.incident(incident.id).status == "resolved" == resolved.status
    assert examine(Locations(home)).healthy


async def test_the_screen_explains_a_database_it_cannot_open(home):
    from textual.widgets import Static

    from posdesk.store import DamagedDatabase
    from posdesk.ui.problem import ProblemApp

    home.mkdir(parents=True)
    (home / "posdesk.json").write_bytes(b"")
    with pytest.raises(DamagedDatabase) as caught:
        Store(home)
    app = ProblemApp(told(caught.value, "zh"), "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        shown = "\n".join(str(w.render()) for w in app.screen.query(Static))
        assert "posdesk 无法打开数据" in shown and "posdesk.json" in shown and "restore" in shown
        assert "文件是空的" in shown and "文件没有被改动" in shown
        await pilot.press("q")
    assert (home / "posdesk.json").read_bytes() == b""


async def test_the_app_makes_its_daily_backup_after_the_first_screen(desk):
    from posdesk.ui.app import PosdeskApp
    from ui.pilot_helpers import until

    desk.start_incident("fault.print")
    async with PosdeskApp(desk, "en").run_test() as pilot:
        await until(pilot, lambda: any(p.name.endswith("-daily.json")
                                       for p in backups(desk.locations)),
                    what="the daily backup")
        await pilot.app.workers.wait_for_complete()
    assert [p for p in backups(desk.locations) if p.name.endswith("-daily.json")]
