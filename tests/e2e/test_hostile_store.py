"""The store under hostile conditions: full and read-only disks, links planted where posdesk
writes, a crafted move journal, restores that must work when they are needed, modes others could
read, many processes at once, and `-o` pointed anywhere.

Full and read-only disks are real: a small tmpfs, remounted read-only (root only, as CI runs)."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import shutil
import signal
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import fill_up, read_only
from kb_steps import checks
from posdesk.cli import main
from posdesk.desk import Desk
from posdesk.i18n import told
from posdesk.store import Store, StoreError
from posdesk.store.backup import BadBackup, backups, make_backup, read_backup
from posdesk.store.doctor import examine
from posdesk.store.locations import Locations

SHANGHAI = timezone(timedelta(hours=8))
CARD = "4111 1111 1111 1111"
DATABASE_FILES = ("posdesk.json", "incidents-open.json")


class Clock:
    """A minute later each time it is read, from `start`."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def at(year: int, month: int, day: int) -> Clock:
    return Clock(datetime(year, month, day, 9, 0, tzinfo=SHANGHAI))


def snapshot(folder: Path, times: bool = True) -> dict[str, tuple]:
    """Every name under `folder` with its mode, bytes and (when `times`) its mtime."""
    found = {}
    for path in [folder, *sorted(folder.rglob("*"))]:
        info = path.lstat()
        content = path.read_bytes() if stat.S_ISREG(info.st_mode) else None
        found[str(path.relative_to(folder))] = (
            info.st_mode, content, info.st_mtime_ns if times else None)
    return found


def database_bytes(home: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(home.glob("*.json"))}


def one_line(text: str) -> bool:
    return text.count("\n") == 1 and "Traceback" not in text


def fill_shop(desk: Desk) -> tuple[str, str]:
    """A resolved and an open incident, a terminal, a routine done, a hotline, a backup."""
    network = checks(desk.topic("fault.network"))
    fixed = desk.start_incident("fault.network", note="router lights off")
    desk.record_attempt(fixed.id, network[0].id, "fixed")
    still_open = desk.start_incident("fault.print")
    desk.save_terminal(name="Counter", terminal_no="12345678")
    desk.mark_done("maint.exterior_daily", "Wang")
    desk.set_hotline("95533")
    desk.backup()
    return fixed.id, still_open.id


# 1. Temporary and lock files: never through a planted link


def test_a_link_planted_where_a_temp_file_would_go_is_never_followed(home, kb, clock, tmp_path):
    desk = Desk(home, kb=kb, clock=clock)
    desk.set_hotline("95533")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (home / f".posdesk.json.{os.getpid()}.tmp").symlink_to(victim)
    desk.set_hotline("95566")
    assert victim.read_text() == "keep me"
    assert not (home / "posdesk.json").is_symlink()
    assert Desk(home, kb=kb).settings().hotline == "95566"


def test_temp_files_are_new_each_time_owner_only(tmp_path):
    from posdesk.store.durable import atomic_write_json

    made = []
    real_replace = os.replace

    def record(source, target):  # the stdlib's rename, watched, not replaced
        made.append((Path(source).name, stat.S_IMODE(os.stat(source).st_mode)))
        return real_replace(source, target)

    os.replace = record
    try:
        for _ in range(3):
            atomic_write_json(tmp_path / "x.json", {"a": 1})
    finally:
        os.replace = real_replace
    names = [name for name, _ in made]
    assert len(set(names)) == 3 and all(name.startswith(".x.json.") for name in names)
    assert {mode for _, mode in made} == {0o600}


def test_a_link_planted_as_the_lock_file_is_never_followed(home, kb, clock, tmp_path, capsys):
    desk = Desk(home, kb=kb, clock=clock)
    desk.set_hotline("95533")
    lock = home / ".posdesk.lock"
    lock.unlink()
    victim = tmp_path / "made-through-the-link"
    lock.symlink_to(victim)
    for argv in (["incidents", "list"], ["backup"]):
        assert main(["--home", str(home), *argv]) == 1
        err = capsys.readouterr().err
        assert one_line(err) and "symbolic link" in err and str(lock) in err, err
    assert not victim.exists()


# 2. Operating-system errors: one line, in plain words, the old file kept


@pytest.mark.parametrize(("number", "en", "zh"), [
    (errno.ENOSPC, "the disk is full", "磁盘已满"),
    (errno.EDQUOT, "disk quota", "磁盘配额"),
    (errno.EACCES, "no permission", "没有权限"),
    (errno.EPERM, "no permission", "没有权限"),
    (errno.EROFS, "read-only", "只读"),
    (errno.EIO, "input/output error", "读写出错"),
    (errno.ELOOP, "symbolic link", "符号链接"),
    (errno.EISDIR, "is a folder", "文件夹"),
    (errno.EEXIST, "already there", "已经存在"),
    (errno.EFBIG, "larger than the file system allows", "文件系统允许的大小"),
    (errno.EXDEV, "another disk", "另一块磁盘"),
    (errno.ENOTEMPTY, "not empty", "不是空的"),
    (errno.ENXIO, "device", "设备"),
    (errno.ENODEV, "device", "设备"),
    (errno.ENOLCK, "cannot lock", "加锁"),
    (errno.EOPNOTSUPP, "does not support", "不支持"),
    (errno.ESTALE, "network drive", "网络盘"),
    (errno.ENOTCONN, "network drive", "网络盘"),
    (errno.ETIMEDOUT, "network drive", "网络盘"),
    (errno.EILSEQ, "characters", "字符"),
    (errno.EINVAL, "refused", "不接受"),
    (errno.ETXTBSY, "in use", "占用"),
    (errno.ENOMEM, "memory", "内存"),
    (errno.EAGAIN, "try again", "再试"),
])
def test_each_operating_system_error_is_told_in_plain_words(number, en, zh):
    from posdesk.store.errors import CannotWrite

    error = CannotWrite(Path("/shop/posdesk.json"), OSError(number, os.strerror(number)))
    assert isinstance(error, StoreError)
    for lang, words in (("en", en), ("zh", zh)):
        said = told(error, lang)
        assert words in said and "/shop/posdesk.json" in said and "\n" not in said, said


def test_an_error_posdesk_has_no_words_for_is_told_in_the_systems_words():
    from posdesk.store.errors import CannotWrite

    error = CannotWrite(Path("/shop/x.json"), OSError(errno.ECHILD, os.strerror(errno.ECHILD)))
    assert os.strerror(errno.ECHILD) in told(error, "zh")


def test_a_full_disk_is_one_line_and_the_file_stays_as_it_was(tmpfs, kb, clock, capsys):
    from posdesk.store.errors import CannotWrite

    home = tmpfs("160k") / "home"
    desk = Desk(home, kb=kb, clock=clock)
    incident = desk.start_incident("fault.print")
    with pytest.raises(CannotWrite) as caught:
        for n in range(200):
            before = database_bytes(home)
            desk.add_note(incident.id, f"{n} " + "paper jam again " * 300)
    assert database_bytes(home) == before
    assert not [p for p in home.iterdir() if p.name.endswith(".tmp")]
    for lang, words in (("en", "the disk is full"), ("zh", "磁盘已满")):
        said = told(caught.value, lang)
        assert words in said and "incidents-open.json" in said and "\n" not in said
    assert main(["--home", str(home), "--lang", "zh", "backup"]) == 1
    err = capsys.readouterr().err
    assert one_line(err) and "磁盘已满" in err, err
    assert Desk(home, kb=kb).incident(incident.id).notes  # what was kept still reads


def test_a_report_onto_a_full_disk_is_one_line(tmpfs, tmp_path, desk, capsys):
    desk.start_incident("fault.print")
    full = tmpfs("64k")
    fill_up(full)
    for argv in (["backup", "-o", str(full / "b.json")],
                 ["incidents", "export", "--format", "md", "-o", str(full / "r.md")]):
        assert main(["--home", str(desk.home), *argv]) == 1
        err = capsys.readouterr().err
        assert one_line(err) and "disk is full" in err and str(full) in err, err
    assert sorted(p.name for p in full.iterdir()) == ["filler"]


def test_writing_where_there_is_no_folder_is_one_line(desk, tmp_path, capsys):
    desk.start_incident("fault.print")
    for argv in (["backup", "-o", str(tmp_path / "nowhere" / "b.json")],
                 ["incidents", "export", "--format", "md", "-o", str(tmp_path / "nowhere/r.md")]):
        assert main(["--home", str(desk.home), *argv]) == 1
        err = capsys.readouterr().err
        assert one_line(err) and "nowhere" in err, err


# 3. Reading never writes


READING_COMMANDS = [
    ["incidents", "list"], ["incidents", "list", "--json"], ["due"], ["due", "--json"],
    ["incidents", "export", "--format", "md"], ["incidents", "export", "--format", "json"],
    ["doctor"], ["guidance", "list"], ["guidance", "show", "fault.network"], ["code", "51"],
]


def reading_commands(shown: str, out: Path) -> list[list[str]]:
    return [*READING_COMMANDS, ["incidents", "show", shown],
            ["incidents", "export", "--format", "csv", "-o", str(out / "x.csv")],
            ["backup", "-o", str(out / "b.json")]]


def test_reading_a_read_only_data_directory_changes_nothing(tmpfs, kb, clock, tmp_path, capsys):
    home = tmpfs() / "home"
    desk = Desk(home, kb=kb, clock=clock)
    fixed, _ = fill_shop(desk)
    read_only(home.parent)
    before = snapshot(home)
    out = tmp_path / "out"
    out.mkdir()
    for argv in reading_commands(fixed, out):
        code = main(["--home", str(home), *argv])
        captured = capsys.readouterr()
        assert code == 0, (argv, captured.err)
    assert snapshot(home) == before
    assert set(read_backup(out / "b.json")) == {"posdesk.json", "incidents-open.json",
                                                "incidents-2026-11.json"}
    assert fixed in (out / "x.csv").read_text(encoding="utf-8")


def test_reading_a_writable_data_directory_changes_nothing_either(desk, tmp_path, capsys):
    fixed, _ = fill_shop(desk)
    before = snapshot(desk.home)
    out = tmp_path / "out"
    out.mkdir()
    for argv in reading_commands(fixed, out):
        assert main(["--home", str(desk.home), *argv]) == 0, argv
    capsys.readouterr()
    assert snapshot(desk.home) == before


def test_reading_a_data_directory_that_does_not_exist_does_not_make_it(home, kb, tmp_path, capsys):
    for argv in [*READING_COMMANDS, ["backup", "-o", str(tmp_path / "b.json")]]:
        assert main(["--home", str(home), *argv]) == 0, argv
    assert "No incidents yet" in capsys.readouterr().out
    assert not home.exists()
    desk = Desk(home, kb=kb)
    assert desk.incidents() == [] and desk.terminals() == [] and desk.daily_backup() is None
    assert not home.exists()
    assert read_backup(tmp_path / "b.json")["posdesk.json"]["_meta"]["1"]["schema"] >= 2


def test_a_read_only_directory_without_a_lock_file_is_read_without_one(tmpfs, kb, clock, capsys):
    home = tmpfs() / "home"
    fill_shop(Desk(home, kb=kb, clock=clock))
    (home / ".posdesk.lock").unlink()
    read_only(home.parent)
    assert main(["--home", str(home), "incidents", "list"]) == 0
    assert "20261125-001" in capsys.readouterr().out


def test_a_change_on_a_read_only_directory_is_one_line_in_the_persons_language(
        tmpfs, kb, clock, tmp_path, capsys):
    home = tmpfs() / "home"
    fixed, _ = fill_shop(Desk(home, kb=kb, clock=clock))
    read_only(home.parent)
    before = snapshot(home)
    desk = Desk(home, kb=kb, clock=clock)
    for change in (lambda: desk.set_hotline("95566"), lambda: desk.start_incident("fault.print"),
                   lambda: desk.add_note(fixed, "more"), lambda: desk.save_terminal(name="B"),
                   lambda: desk.write_report("text", "r.txt"), desk.backup):
        with pytest.raises(StoreError) as caught:
            change()
        assert "read-only" in told(caught.value, "en") and "只读" in told(caught.value, "zh")
        assert "\n" not in told(caught.value, "zh")
    target = tmp_path / "b.json"
    Desk(tmp_path / "elsewhere", kb=kb, clock=clock).backup(target)
    for argv in (["backup"], ["restore", str(target)]):
        assert main(["--home", str(home), "--lang", "zh", *argv]) == 1
        err = capsys.readouterr().err
        assert one_line(err) and "只读" in err, err
    assert snapshot(home) == before


def test_a_migration_on_a_read_only_directory_is_one_clear_line(tmpfs, capsys):
    home = tmpfs() / "home"
    home.mkdir()
    old = {"_meta": {"1": {"schema": 1}}, "settings": {"1": {"hotline": "95533"}}}
    (home / "posdesk.json").write_text(json.dumps(old))
    read_only(home.parent)
    assert main(["--home", str(home), "incidents", "list"]) == 1
    err = capsys.readouterr().err
    assert one_line(err) and "read-only" in err and str(home) in err, err


# 4. The move journal is not trusted

INCIDENT = "20261125-001"
HOSTILE_MOVES = {
    "writes outside": {"id": INCIDENT, "from": "../outside.json", "to": "incidents-open.json"},
    "absolute path": {"id": INCIDENT, "from": "{outside}", "to": "incidents-open.json"},
    "from is to": {"id": INCIDENT, "from": "incidents-open.json", "to": "incidents-open.json"},
    "into the lock": {"id": INCIDENT, "from": "incidents-open.json", "to": ".posdesk.lock"},
    "into the main file": {"id": INCIDENT, "from": "posdesk.json", "to": "incidents-open.json"},
    "no target": {"id": INCIDENT, "from": "incidents-open.json"},
    "not an incident id": {"id": "../x", "from": "incidents-open.json",
                           "to": "incidents-2026-11.json"},
    "a number for a name": {"id": INCIDENT, "from": 7, "to": "incidents-open.json"},
    "another month's file": {"id": INCIDENT, "from": "incidents-2025-01.json",
                             "to": "incidents-open.json"},
}


def with_journal(home: Path, *entries: dict) -> None:
    main_file = home / "posdesk.json"
    data = json.loads(main_file.read_text(encoding="utf-8"))
    data["_moving"] = {str(n): entry for n, entry in enumerate(entries, 1)}
    main_file.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("kind", HOSTILE_MOVES)
def test_a_move_journal_entry_posdesk_does_not_trust_is_never_acted_on(
        desk, kb, tmp_path, capsys, kind):
    incident = desk.start_incident("fault.print")
    assert incident.id == INCIDENT
    outside = tmp_path / "abs-outside.json"
    entry = {k: (v.format(outside=outside) if isinstance(v, str) else v)
             for k, v in HOSTILE_MOVES[kind].items()}
    home = desk.home
    with_journal(home, entry)
    before = snapshot(home)

    reopened = Desk(home, kb=kb)
    assert [i.id for i in reopened.incidents()] == [INCIDENT]
    assert snapshot(home) == before  # opened without acting on it
    assert not (tmp_path / "outside.json").exists() and not outside.exists()
    assert main(["--home", str(home), "doctor"]) == 1
    out = capsys.readouterr().out
    journal_lines = [line for line in out.splitlines() if "journal" in line]
    assert len(journal_lines) == 1 and "posdesk.json" in journal_lines[0], out
    reopened.add_note(INCIDENT, "the store is not locked for good")
    assert Desk(home, kb=kb).incident(INCIDENT).notes
    assert not (tmp_path / "outside.json").exists() and not outside.exists()


def test_a_trusted_entry_beside_a_hostile_one_is_still_finished(desk, kb, tmp_path):
    incident = desk.start_incident("fault.print")
    step = checks(kb.topic("fault.print"))[0]
    desk.record_attempt(incident.id, step.id, "fixed")
    home = desk.home
    record = json.loads((home / "incidents-2026-11.json").read_text())["incidents"]["1"]
    (home / "incidents-open.json").write_text(json.dumps({"incidents": {"1": {
        **record, "events": record["events"][:1], "closed": False}}}))
    with_journal(home, HOSTILE_MOVES["writes outside"],
                 {"id": incident.id, "from": "incidents-open.json", "to": "incidents-2026-11.json"})
    reopened = Desk(home, kb=kb)
    assert [(i.id, i.status) for i in reopened.incidents()] == [(incident.id, "resolved")]
    assert not (tmp_path / "outside.json").exists()


# 5. Restore


def make_backup_file(desk: Desk, target: Path) -> dict:
    desk.backup(target)
    return json.loads(target.read_text(encoding="utf-8"))


@pytest.mark.parametrize("damaged", ["posdesk.json", "incidents-open.json"])
def test_restore_works_on_a_damaged_database_and_moves_the_damage_aside(
        desk, kb, tmp_path, capsys, damaged):
    first = desk.start_incident("fault.network")
    target = tmp_path / "shop-backup.json"
    desk.backup(target)
    desk.start_incident("fault.print")
    garbage = b'{"incidents": {"1": {"id": "2026'
    (desk.home / damaged).write_bytes(garbage)
    assert main(["--home", str(desk.home), "incidents", "list"]) == 1
    capsys.readouterr()

    assert main(["--home", str(desk.home), "restore", str(target)]) == 0
    out = capsys.readouterr().out
    (moved,) = (desk.home / "backups").glob(f"damaged-*-{damaged}")
    assert moved.read_bytes() == garbage and str(moved) in out
    assert [i.id for i in Desk(desk.home, kb=kb).incidents()] == [first.id]
    assert examine(desk.locations).healthy


def test_desk_restore_needs_no_healthy_store(home, kb, clock, tmp_path):
    desk = Desk(home, kb=kb, clock=clock)
    desk.start_incident("fault.network")
    target = tmp_path / "b.json"
    desk.backup(target)
    (home / "posdesk.json").write_bytes(b"\x00\x01")
    fresh = Desk(home, kb=kb, clock=clock)
    restored = fresh.restore(target)
    assert restored.kept is not None and restored.kept.exists()  # the readable open incidents
    assert [p.read_bytes() for p in restored.damaged] == [b"\x00\x01"]
    assert len(fresh.incidents()) == 1


def first(files, name, table="incidents"):
    return next(iter(files[name][table].values()))


def _drop_topic(files):
    del first(files, "incidents-open.json")["topic_id"]


def _events_not_a_list(files):
    first(files, "incidents-open.json")["events"] = "opened"


def _no_events(files):
    first(files, "incidents-open.json")["events"] = []


def _id_not_an_id(files):
    first(files, "incidents-open.json")["id"] = "../../etc"


def _duplicate(files):
    files["incidents-open.json"]["incidents"]["9"] = dict(first(files, "incidents-open.json"))


def _resolved_among_open(files):
    files["incidents-open.json"]["incidents"]["9"] = first(files, "incidents-2026-11.json")
    files["incidents-2026-11.json"]["incidents"] = {}


def _open_among_resolved(files):
    files["incidents-2026-11.json"]["incidents"]["9"] = first(files, "incidents-open.json")
    files["incidents-open.json"]["incidents"] = {}


def _terminal_without_id(files):
    del first(files, "posdesk.json", "terminals")["id"]


def _routine_without_routine(files):
    del first(files, "posdesk.json", "routine_log")["routine_id"]


def _hostile_journal(files):
    files["posdesk.json"]["_moving"] = {"1": HOSTILE_MOVES["writes outside"]}


def _schema_text(files):
    files["posdesk.json"]["_meta"]["1"]["schema"] = "2"


def _schema_true(files):
    files["posdesk.json"]["_meta"]["1"]["schema"] = True


def _unknown_file(files):
    files["../evil.json"] = {"incidents": {}}


BAD_BACKUPS = {  # what is wrong: (how to make it, what the refusal names)
    "an incident without its fault": (_drop_topic, ["incidents-open.json", "20261125-002"]),
    "events that are not a list": (_events_not_a_list, ["incidents-open.json", "20261125-002"]),
    "an incident without events": (_no_events, ["incidents-open.json", "20261125-002"]),
    "an id that is not an incident id": (_id_not_an_id, ["incidents-open.json", "../../etc"]),
    "the same incident twice": (_duplicate, ["incidents-open.json", "20261125-002"]),
    "a resolved incident among open ones": (_resolved_among_open,
                                            ["incidents-open.json", "20261125-001"]),
    "an open incident among resolved ones": (_open_among_resolved,
                                             ["incidents-2026-11.json", "20261125-002"]),
    "a terminal without an id": (_terminal_without_id, ["posdesk.json", "terminals #1"]),
    "a routine entry without its routine": (_routine_without_routine,
                                            ["posdesk.json", "routine_log #1"]),
    "a move journal entry not to trust": (_hostile_journal, ["posdesk.json", "_moving #1"]),
    "a schema that is text": (_schema_text, []),
    "a schema that is true": (_schema_true, []),
    "a file posdesk does not know": (_unknown_file, ["evil.json"]),
}


@pytest.mark.parametrize("kind", BAD_BACKUPS)
def test_restore_validates_every_record_and_path_before_replacing_anything(
        desk, tmp_path, capsys, kind):
    fill_shop(desk)
    target = tmp_path / "crafted.json"
    bundle = make_backup_file(desk, target)
    make, named = BAD_BACKUPS[kind]
    make(bundle["files"])
    target.write_text(json.dumps(bundle), encoding="utf-8")
    before = snapshot(desk.home)
    for lang in ("en", "zh"):
        assert main(["--home", str(desk.home), "--lang", lang, "restore", str(target)]) == 1
        err = capsys.readouterr().err
        assert one_line(err) and str(target) in err and all(n in err for n in named), err
    assert snapshot(desk.home) == before
    with pytest.raises(BadBackup):
        read_backup(target)


@pytest.mark.parametrize(("content", "words"), [
    (None, "folder"), (b"", "empty"), (b"not json at all", "JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "deep"), (b'{"_meta": "\xff\xfe"}', "UTF-8"),
])
def test_restore_refuses_a_file_that_is_no_backup_in_one_line(desk, tmp_path, capsys, content,
                                                              words):
    desk.start_incident("fault.print")
    target = tmp_path / "not-a-backup"
    if content is None:
        target.mkdir()
    else:
        target.write_bytes(content)
    before = snapshot(desk.home)
    assert main(["--home", str(desk.home), "restore", str(target)]) == 1
    err = capsys.readouterr().err
    assert one_line(err) and str(target) in err and words in err, err
    assert snapshot(desk.home) == before


def test_restored_text_is_cleaned_before_it_is_written(desk, kb, tmp_path):
    fill_shop(desk)
    target = tmp_path / "hostile.json"
    bundle = make_backup_file(desk, target)
    files = bundle["files"]
    incident = first(files, "incidents-open.json")
    incident["events"][0]["note"] = f"\x1b]52;c;SGVsbG8=\x07card {CARD}\x1b[2J\x9b31m"
    first(files, "posdesk.json", "terminals")["name"] = f"\x1b[31mCounter {CARD.replace(' ', '')}"
    first(files, "posdesk.json", "settings")["hotline"] = "95533\x1b]0;owned\x07"
    target.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    desk.restore(target)
    for path in desk.home.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            assert b"\x1b" not in raw and "\x9b".encode() not in raw, path
            assert CARD.encode() not in raw and CARD.replace(" ", "").encode() not in raw, path
    restored = Desk(desk.home, kb=kb)
    assert restored.settings().hotline.startswith("95533")
    assert "1111" in restored.terminals()[0].name


def test_a_restore_that_fills_the_disk_leaves_the_old_database_whole(tmpfs, kb, tmp_path):
    big = Desk(tmp_path / "big", kb=kb, clock=at(2026, 11, 25))
    network = checks(big.topic("fault.network"))
    for n in range(50):
        incident = big.start_incident("fault.network", note=f"{n} " + "the router again " * 500)
        if n % 2:
            big.record_attempt(incident.id, network[0].id, "fixed")
    target = tmp_path / "big-backup.json"
    big.backup(target)
    assert target.stat().st_size > 400_000

    home = tmpfs("320k") / "home"
    desk = Desk(home, kb=kb, clock=at(2026, 10, 1))
    fill_shop(desk)
    before = snapshot(home, times=False)
    with pytest.raises(StoreError) as caught:
        Desk(home, kb=kb).restore(target)
    assert "disk is full" in told(caught.value, "en")
    assert snapshot(home, times=False) == before
    assert examine(Locations(home)).healthy and len(Desk(home, kb=kb).incidents()) == 2


RESTORE_THAT_DIES = """
import os, signal, sys
from pathlib import Path
home, source, after = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
calls = 0
def dying(real):
    def call(*args, **kwargs):
        global calls
        calls += 1
        if calls == after:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return call
for name in ("replace", "rename", "unlink", "rmdir"):
    setattr(os, name, dying(getattr(os, name)))
from posdesk.desk import Desk
Desk(home).restore(source)
print("done", calls)
"""


def test_a_restore_killed_at_any_moment_is_all_old_or_all_new_after_the_next_start(kb, tmp_path):
    old = tmp_path / "old"
    in_september = Desk(old, kb=kb, clock=at(2026, 9, 3))
    september = in_september.start_incident("fault.print")
    in_september.record_attempt(september.id, checks(kb.topic("fault.print"))[0].id, "fixed")
    old_desk = Desk(old, kb=kb, clock=at(2026, 11, 25))
    old_desk.start_incident("fault.network")
    old_desk.save_terminal(name="Old counter")
    (old / "incidents-2026-10.json").write_bytes(b"damaged beyond reading")
    old_files = database_bytes(old)
    assert set(old_files) == {"posdesk.json", "incidents-open.json", "incidents-2026-09.json",
                              "incidents-2026-10.json"}

    new = Desk(tmp_path / "new", kb=kb, clock=at(2026, 11, 26))
    resolved = new.start_incident("fault.print")
    new.record_attempt(resolved.id, checks(kb.topic("fault.print"))[0].id, "fixed")
    new.save_terminal(name="New counter")
    source = tmp_path / "new-backup.json"
    new.backup(source)
    new_tables = read_backup(source)

    outcomes = []
    for after in range(1, 40):
        home = tmp_path / f"run{after}"
        shutil.copytree(old, home)
        child = subprocess.run([sys.executable, "-c", RESTORE_THAT_DIES, str(home), str(source),
                                str(after)], capture_output=True, text=True, timeout=60)
        cut_short = (home / ".restore-journal.json").exists()
        Store(home)  # the next start
        found = database_bytes(home)
        if found == old_files:
            outcomes.append("old")
            assert child.returncode == -signal.SIGKILL and not cut_short
        else:
            outcomes.append("finished" if cut_short else "new")
            assert {n: json.loads(b) for n, b in found.items()} == new_tables, after
            (aside,) = (home / "backups").glob("damaged-*-incidents-2026-10.json")
            assert aside.read_bytes() == b"damaged beyond reading"
            (kept,) = [p for p in backups(Locations(home)) if "before-restore" in p.name]
            assert september.id in kept.read_text(encoding="utf-8")
            assert examine(Locations(home)).healthy, examine(Locations(home)).problems
        Desk(home, kb=kb).set_hotline("95566")  # the next change clears what a kill left
        assert not list(home.glob(".restoring-*"))
        if child.returncode == 0:
            break
    assert child.returncode == 0 and "done" in child.stdout
    assert outcomes.count("finished") >= 3 and "old" in outcomes, outcomes


def test_the_copy_made_before_a_restore_outlives_the_daily_rotation(desk, tmp_path, capsys):
    desk.start_incident("fault.print")
    target = tmp_path / "b.json"
    desk.backup(target)
    assert main(["--home", str(desk.home), "restore", str(target)]) == 0
    out = capsys.readouterr().out
    (kept,) = [p for p in backups(desk.locations) if "before-restore" in p.name]
    assert str(kept) in out
    store = Store(desk.home)
    for _ in range(12):
        make_backup(store, reason="daily")
    assert kept.exists()
    assert len([p for p in backups(desk.locations) if p.name.endswith("-daily.json")]) == 7


def test_a_clock_behind_prunes_no_daily_backup(desk, capsys):
    """Daily backups named later than the one just made were made with the clock ahead, or
    this one with the clock behind: which are old cannot be told, so none goes."""
    desk.start_incident("fault.print")
    folder = desk.home / "backups"
    folder.mkdir()
    for day in range(1, 10):
        (folder / f"posdesk-209901{day:02d}-080000-000000-daily.json").write_text("{}")
    made = make_backup(desk.store, reason="daily")
    assert made.exists()
    assert len(list(folder.glob("*-daily.json"))) == 10
    for lang, words in (("en", "clock may be behind"), ("zh", "时钟可能慢了")):
        assert main(["--home", str(desk.home), "--lang", lang, "doctor"]) == 1
        lines = [line for line in capsys.readouterr().out.splitlines() if words in line]
        assert len(lines) == 1 and str(folder) in lines[0] and "20990109" in lines[0], lines


# 6. Modes


def test_opening_narrows_modes_others_could_read_and_doctor_names_them(desk, capsys):
    fill_shop(desk)
    desk.write_report("a report", "report.txt")
    home = desk.home
    wide = [home, home / "backups", home / "reports"]
    for folder in wide:
        folder.chmod(0o755)
    files = [p for p in home.rglob("*") if p.is_file()]
    for path in files:
        path.chmod(0o644)
    assert main(["--home", str(home), "doctor"]) == 1
    out = capsys.readouterr().out
    for path in (home, home / "posdesk.json", home / ".posdesk.lock"):
        assert any(line.startswith(f"{path}:") and "others" in line
                   for line in out.splitlines()), out

    Store(home)
    assert {stat.S_IMODE(p.stat().st_mode) for p in wide} == {0o700}
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o600}
    assert main(["--home", str(home), "doctor"]) == 0


def test_wide_modes_on_a_read_only_disk_are_no_error(tmpfs, kb, clock, capsys):
    home = tmpfs() / "home"
    fill_shop(Desk(home, kb=kb, clock=clock))
    home.chmod(0o755)
    (home / "posdesk.json").chmod(0o644)
    read_only(home.parent)
    assert main(["--home", str(home), "incidents", "list"]) == 0
    assert main(["--home", str(home), "--lang", "zh", "doctor"]) == 1
    assert "posdesk.json" in capsys.readouterr().out


# 7. Many processes at once


def _add_terminals(home: str, worker: int, count: int, start) -> None:
    desk = Desk(home)
    start.wait()
    for n in range(count):
        desk.save_terminal(name=f"w{worker}-{n}")


def _set_cadences(home: str, mine: str, everyone: list[str], rounds: int, start) -> None:
    """Each round all four change the settings at once, then check none was lost; the exit
    code is the number of rounds that lost a change."""
    desk = Desk(home)
    desk.topic(mine)  # the knowledge base loaded before the start
    lost = 0
    for n in range(1, rounds + 1):
        start.wait()
        desk.set_cadence(mine, f"{n}d")
        start.wait()
        cadences = desk.settings().extra["cadences"]
        lost += any(cadences.get(routine) != f"{n}d" for routine in everyone)
    sys.exit(lost)


def run_processes(target, arguments) -> None:
    """Real processes, started together once each is ready."""
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(len(arguments))
    workers = [context.Process(target=target, args=(*args, start)) for args in arguments]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
        assert worker.exitcode == 0


def test_four_processes_adding_thirty_terminals_each_keep_all_120(home, kb):
    run_processes(_add_terminals, [(str(home), w, 30) for w in range(4)])
    terminals = Desk(home, kb=kb).terminals()
    assert sorted(t.name for t in terminals) == sorted(f"w{w}-{n}" for w in range(4)
                                                      for n in range(30))
    assert sorted(t.id for t in terminals) == sorted(f"T{n}" for n in range(1, 121))


def test_settings_changed_by_four_processes_at_once_keep_every_change(home, kb):
    routines = [topic.id for topic in kb.routines()][:4]
    run_processes(_set_cadences, [(str(home), routine, routines, 20) for routine in routines])
    assert Desk(home, kb=kb).settings().extra["cadences"] == {r: "20d" for r in routines}


# 8. Where -o writes


@pytest.mark.parametrize("argv", [["backup"], ["incidents", "export", "--format", "md"]])
def test_an_empty_output_name_is_a_usage_error(desk, capsys, argv):
    desk.start_incident("fault.print")
    before = snapshot(desk.home)
    assert main(["--home", str(desk.home), *argv, "-o", ""]) == 2
    assert one_line(capsys.readouterr().err)
    assert snapshot(desk.home) == before


def test_a_dash_writes_to_standard_output(desk, tmp_path, capsys, monkeypatch):
    incident = desk.start_incident("fault.print")
    monkeypatch.chdir(tmp_path)
    assert main(["--home", str(desk.home), "backup", "-o", "-"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["format"] == "posdesk-backup" and "incidents-open.json" in printed["files"]
    export = ["incidents", "export", "--format", "csv", "-o", "-"]
    assert main(["--home", str(desk.home), *export]) == 0
    assert incident.id in capsys.readouterr().out
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("argv", [["backup"], ["incidents", "export", "--format", "md"]])
def test_a_folder_as_output_is_one_clear_line(desk, tmp_path, capsys, monkeypatch, argv):
    desk.start_incident("fault.print")
    monkeypatch.chdir(tmp_path)
    for folder in (".", str(tmp_path), str(desk.home)):
        before = snapshot(tmp_path)
        assert main(["--home", str(desk.home), *argv, "-o", folder]) == 1
        err = capsys.readouterr().err
        assert one_line(err) and "folder" in err, err
        assert snapshot(tmp_path) == before


@pytest.mark.parametrize("argv", [["backup"], ["incidents", "export", "--format", "json"]])
def test_a_database_file_as_output_is_refused(desk, tmp_path, capsys, monkeypatch, argv):
    fill_shop(desk)
    home = desk.home
    link = tmp_path / "innocent.json"
    link.symlink_to(home / "posdesk.json")
    before = snapshot(home)
    monkeypatch.chdir(home)
    for target in (home / "posdesk.json", home / "incidents-open.json", home / ".posdesk.lock",
                   home / "incidents-2027-01.json", link, "posdesk.json",
                   f"{home}/backups/../incidents-2026-11.json"):
        assert main(["--home", str(home), *argv, "-o", str(target)]) == 1, target
        err = capsys.readouterr().err
        assert one_line(err) and "own" in err, err
    assert snapshot(home) == before


def test_a_restore_says_which_newer_incidents_the_backup_does_not_have(desk, kb, tmp_path, capsys):
    kept = desk.start_incident("fault.network")
    target = tmp_path / "older.json"
    desk.backup(target)
    newer = [desk.start_incident("fault.print").id, desk.start_incident("fault.power_battery").id]
    (desk.home / "posdesk.json").write_bytes(b"{broken")  # as a new user did, then restored
    assert main(["--home", str(desk.home), "--lang", "zh", "restore", str(target)]) == 0
    told = capsys.readouterr()
    assert all(incident_id in told.err for incident_id in newer)
    (copy,) = (desk.home / "backups").glob("posdesk-*-before-restore.json")
    assert "2 条记录不在这个备份中" in told.err and str(copy) in told.err
    assert [i.id for i in Desk(desk.home, kb=kb).incidents()] == [kept.id]
    kept_copy = json.loads(copy.read_text(encoding="utf-8"))["files"]["incidents-open.json"]
    assert {r["id"] for r in kept_copy["incidents"].values()} >= set(newer)


# 9. What an adversarial probe found: journals, keys, numbers, devices, clocks, links, leftovers


JOURNAL = ".restore-journal.json"
COPY = "backups/posdesk-20261125-140000-000000-before-restore.json"


def plant_journal(home: Path, **plan) -> None:
    """A restore journal written by hand, in the shape posdesk writes one."""
    full = {"staging": ".restoring-x", "kept": None, "place": [], "aside": {}, "remove": [],
            **plan}
    (home / JOURNAL).write_text(json.dumps(full), encoding="utf-8")


def _removes_without_a_copy(home, outside):
    plant_journal(home, kept=COPY, remove=["incidents-open.json", "incidents-2026-11.json"])


def _removes_naming_no_copy(home, outside):
    plant_journal(home, remove=["incidents-open.json", "incidents-2026-11.json"])


def _staging_a_link_to_outside(home, outside):
    (home / COPY).write_text("{}")
    (outside / "posdesk.json").write_text('{"_meta":{"1":{"schema":2}}}')
    (home / ".restoring-x").symlink_to(outside)
    plant_journal(home, kept=COPY, place=["posdesk.json"])


def _a_staged_link(home, outside):
    (home / COPY).write_text("{}")
    (outside / "posdesk.json").write_text('{"_meta":{"1":{"schema":2}}}')
    (home / ".restoring-x").mkdir()
    (home / ".restoring-x" / "posdesk.json").symlink_to(outside / "posdesk.json")
    plant_journal(home, kept=COPY, place=["posdesk.json"])


def _a_readable_file_put_aside(home, outside):
    plant_journal(home, aside={"posdesk.json": "backups/damaged-20261125-140000-posdesk.json"})


def _a_copy_outside(home, outside):
    (outside / "copy.json").write_text("{}")
    plant_journal(home, kept=str(outside / "copy.json"), remove=["incidents-2026-11.json"])


def _backups_a_link_to_outside(home, outside):
    shutil.rmtree(home / "backups")
    (home / "backups").symlink_to(outside)
    (home / "incidents-2026-10.json").write_bytes(b"damaged")
    plant_journal(home, aside={
        "incidents-2026-10.json": "backups/damaged-20261125-140000-incidents-2026-10.json"})


PLANTED_JOURNALS = {
    "removes, naming a copy that is not there": _removes_without_a_copy,
    "removes, naming no copy": _removes_naming_no_copy,
    "staging is a link out of the data directory": _staging_a_link_to_outside,
    "a staged file is a link": _a_staged_link,
    "a readable file put aside": _a_readable_file_put_aside,
    "the copy outside the backups folder": _a_copy_outside,
    "backups is a link out of the data directory": _backups_a_link_to_outside,
}


@pytest.mark.parametrize("kind", PLANTED_JOURNALS)
def test_a_planted_restore_journal_never_removes_replaces_or_moves_out_a_file(
        desk, kb, tmp_path, capsys, kind):
    fixed, still_open = fill_shop(desk)
    home = desk.home
    outside = tmp_path / "outside"
    outside.mkdir()
    PLANTED_JOURNALS[kind](home, outside)
    database = database_bytes(home)
    outside_before = snapshot(outside)

    reopened = Desk(home, kb=kb)
    reopened.set_hotline("95566")  # a change: the store gets ready for writing
    assert snapshot(outside) == outside_before
    assert not any(p.is_symlink() for p in home.glob("*.json"))
    after = database_bytes(home)

    def incident_files(files: dict[str, bytes]) -> dict[str, bytes]:
        return {name: raw for name, raw in files.items() if name.startswith("incidents-")}

    assert incident_files(after) == incident_files(database)
    if kind != "backups is a link out of the data directory":  # that one holds a damaged file
        assert {i.id for i in Desk(home, kb=kb).incidents()} == {fixed, still_open}
        assert Desk(home, kb=kb).terminals()[0].name == "Counter"
    for lang in ("en", "zh"):
        assert main(["--home", str(home), "--lang", lang, "doctor"]) == 1
        out = capsys.readouterr().out
        lines = [line for line in out.splitlines() if "restore-journal" in line]
        assert len(lines) == 1, lines


def test_a_restore_cut_short_whose_backups_were_removed_is_left_and_told(kb, tmp_path, capsys):
    """The copy made before the restore is gone: nothing it held is removed or replaced, the
    records open, doctor says what was left, and a new restore clears it all."""
    old = tmp_path / "old"
    in_september = Desk(old, kb=kb, clock=at(2026, 9, 3))
    september = in_september.start_incident("fault.print")
    in_september.record_attempt(september.id, checks(kb.topic("fault.print"))[0].id, "fixed")
    Desk(old, kb=kb, clock=at(2026, 11, 25)).start_incident("fault.network")
    new = Desk(tmp_path / "new", kb=kb, clock=at(2026, 11, 26))
    new.start_incident("fault.card_read")
    source = tmp_path / "new-backup.json"
    new.backup(source)

    for after in range(1, 40):
        home = tmp_path / f"run{after}"
        shutil.copytree(old, home)
        subprocess.run([sys.executable, "-c", RESTORE_THAT_DIES, str(home), str(source),
                        str(after)], capture_output=True, timeout=60)
        if (home / JOURNAL).exists():
            break
    else:
        pytest.fail("no kill left a restore journal")
    shutil.rmtree(home / "backups")  # to make room on a full disk

    for _ in range(2):  # and again: what was left stays left
        reopened = Desk(home, kb=kb)
        assert september.id in {i.id for i in reopened.incidents()}
        assert (home / "incidents-2026-09.json").exists()
    reopened.set_hotline("95566")
    for lang in ("en", "zh"):
        assert main(["--home", str(home), "--lang", lang, "doctor"]) == 1
        out = capsys.readouterr().out
        lines = [line for line in out.splitlines() if "restore-journal" in line]
        assert len(lines) == 1 and "incidents-2026-09.json" in lines[0], lines

    Desk(home, kb=kb).restore(source)
    assert examine(Locations(home)).healthy, examine(Locations(home)).problems
    assert not (home / JOURNAL).exists() and not list(home.glob(".restoring-*"))


@pytest.mark.parametrize("key", ["1\x00", "01", " 1", "1 ", "\u0661", "1_0", "0", "-1", "+1",
                                 "x", "9" * 30, "4111111111111111"])
def test_a_record_key_that_is_not_a_plain_whole_number_is_refused(desk, tmp_path, capsys, key):
    """TinyDB reads a document's key as a number: "01", " 1" and "1\\x00" (once cleaned) are
    all 1, and a card number as a key would be masked into no number at all."""
    fill_shop(desk)
    target = tmp_path / "crafted.json"
    bundle = make_backup_file(desk, target)
    held = bundle["files"]["incidents-open.json"]["incidents"]
    held[key] = held.pop(next(iter(held)))
    target.write_text(json.dumps(bundle), encoding="utf-8")
    before = snapshot(desk.home)
    for lang in ("en", "zh"):
        assert main(["--home", str(desk.home), "--lang", lang, "restore", str(target)]) == 1
        err = capsys.readouterr().err
        assert one_line(err) and "incidents-open.json" in err, err
    assert snapshot(desk.home) == before

    (desk.home / "incidents-open.json").write_text(json.dumps({"incidents": held}))
    for argv in (["incidents", "list"], ["backup"]):
        assert main(["--home", str(desk.home), *argv]) == 1
        err = capsys.readouterr().err
        assert one_line(err) and "incidents-open.json" in err, err
    assert main(["--home", str(desk.home), "doctor"]) == 1
    assert "incidents-open.json" in capsys.readouterr().out


@pytest.mark.parametrize("where", ["a table's name", "a record's field", "a nested field"])
def test_keys_that_become_one_when_cleaned_are_refused(desk, tmp_path, capsys, where):
    fill_shop(desk)
    target = tmp_path / "crafted.json"
    bundle = make_backup_file(desk, target)
    files = bundle["files"]
    if where == "a table's name":
        files["posdesk.json"]["terminals\x07"] = {"1": {"id": "T9", "name": "Planted"}}
    elif where == "a record's field":
        record = first(files, "incidents-open.json")
        record["topic_id\x1b"] = "fault.network"
    else:
        first(files, "incidents-open.json")["events"][0]["extra"] = {"a": 1, "a\x00": 2}
    target.write_text(json.dumps(bundle), encoding="utf-8")
    assert main(["--home", str(desk.home), "restore", str(target)]) == 1
    assert one_line(capsys.readouterr().err)


def schema_1(home: Path, incidents: dict, open_file: dict | None = None) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "posdesk.json").write_text(json.dumps(
        {"_meta": {"1": {"schema": 1}}, "incidents": incidents}), encoding="utf-8")
    if open_file is not None:
        (home / "incidents-open.json").write_text(json.dumps({"incidents": open_file}))


def test_a_schema_1_database_whose_record_does_not_read_is_one_damaged_line(home, capsys):
    schema_1(home, {"1": {"id": "20261125-001", "events": "opened"}})
    before = database_bytes(home)
    for lang in ("en", "zh"):
        for argv in (["incidents", "list"], ["due"], ["backup"]):
            assert main(["--home", str(home), "--lang", lang, *argv]) == 1
            err = capsys.readouterr().err
            assert one_line(err) and "posdesk.json" in err and "20261125-001" in err, err
    assert database_bytes(home) == before
    assert not list(home.glob("backups/*before-schema*"))  # no copy made at each try


def test_migrating_schema_1_never_overwrites_an_incident(desk, kb, tmp_path, capsys):
    first_one = desk.start_incident("fault.print").to_record()
    changed = {**first_one, "events": [*first_one["events"], {
        "kind": "note", "at": "2026-11-25T15:00:00+08:00", "text": "said elsewhere"}]}
    home = tmp_path / "other"
    schema_1(home, {"1": first_one}, {"1": {**changed, "closed": False}})
    before = database_bytes(home)
    assert main(["--home", str(home), "incidents", "list"]) == 1
    err = capsys.readouterr().err
    assert one_line(err) and first_one["id"] in err, err
    assert database_bytes(home) == before

    # The same incident in both, as a migration cut short leaves it: filed once.
    again = tmp_path / "again"
    schema_1(again, {"1": first_one}, {"1": {**first_one, "closed": False}})
    assert [i.id for i in Desk(again, kb=kb).incidents()] == [first_one["id"]]
    assert "incidents" not in json.loads((again / "posdesk.json").read_text())


HUGE = "1" + "0" * 5000  # beyond the 4,300 digits Python turns into a number


@pytest.mark.parametrize("name", DATABASE_FILES)
def test_a_number_too_long_to_read_makes_a_file_damaged_in_one_line(desk, kb, tmp_path, capsys,
                                                                    name):
    fill_shop(desk)
    good = tmp_path / "good.json"
    desk.backup(good)
    path = desk.home / name
    path.write_text('{"huge":{"1":{"n":' + HUGE + "}}," + path.read_text()[1:])
    for lang in ("en", "zh"):
        for argv in (["incidents", "list"], ["backup"]):
            assert main(["--home", str(desk.home), "--lang", lang, *argv]) == 1
            err = capsys.readouterr().err
            assert one_line(err) and name in err, err
        assert main(["--home", str(desk.home), "--lang", lang, "doctor"]) == 1
        out = capsys.readouterr().out
        assert len([line for line in out.splitlines() if name in line]) == 1, out
    assert main(["--home", str(desk.home), "restore", str(good)]) == 0
    assert len(Desk(desk.home, kb=kb).incidents()) == 2

    crafted = tmp_path / "huge.json"
    crafted.write_text(good.read_text().replace('"schema":', '"n":' + HUGE + ',"schema":', 1))
    assert main(["--home", str(desk.home), "restore", str(crafted)]) == 1
    err = capsys.readouterr().err
    assert one_line(err) and str(crafted) in err and "number" in err, err


def test_ids_have_a_bounded_number_of_ascii_digits():
    from posdesk.models import IncidentId, is_terminal_id

    assert all(is_terminal_id(v) for v in ("T1", "T123456789"))
    assert not any(is_terminal_id(v) for v in ("T", "T1234567890", "T\u0661", "T1\n", "t1", 1))
    assert all(IncidentId.is_valid(v) for v in ("20261125-001", "20261125-123456789"))
    assert not any(IncidentId.is_valid(v) for v in (
        "20261125-01", "20261125-1234567890", "2026112-001", "20261125-00\u0661", "x"))


@pytest.mark.parametrize("terminal_id", ["T" + "9" * 5000, "T1234567890", "T\u0661"])
def test_a_terminal_id_out_of_bounds_is_refused_and_never_breaks_adding_one(
        desk, kb, tmp_path, capsys, terminal_id):
    fill_shop(desk)
    target = tmp_path / "crafted.json"
    bundle = make_backup_file(desk, target)
    first(bundle["files"], "posdesk.json", "terminals")["id"] = terminal_id
    target.write_text(json.dumps(bundle), encoding="utf-8")
    assert main(["--home", str(desk.home), "restore", str(target)]) == 1
    err = capsys.readouterr().err
    assert one_line(err) and "terminals #1" in err, err

    main_file = desk.home / "posdesk.json"  # the same, written by hand
    data = json.loads(main_file.read_text())
    first({"f": data}, "f", "terminals")["id"] = terminal_id
    main_file.write_text(json.dumps(data))
    reopened = Desk(desk.home, kb=kb)
    assert reopened.save_terminal(name="Second").id == "T1"
    assert [t.name for t in reopened.terminals()] == ["Second"]
    reopened.due()


def run_isolated(*argv: str) -> subprocess.CompletedProcess:
    """posdesk in a process of its own, with its memory capped (reading without end fails
    there, not on this machine) and a time limit (a hang fails the test)."""
    import resource

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 << 29, 3 << 29))

    return subprocess.run([sys.executable, "-m", "posdesk", *argv], capture_output=True,
                          text=True, timeout=60, preexec_fn=cap)


def test_restore_reads_only_a_regular_file_of_sane_size(desk, tmp_path):
    fill_shop(desk)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    big = tmp_path / "big.json"
    with open(big, "wb") as handle:
        handle.truncate((1 << 30) + 1)  # sparse: takes no room
    before = snapshot(desk.home)
    for source, words in (("/dev/zero", "regular file"), (fifo, "regular file"),
                          (big, "1 GiB")):
        run = run_isolated("--home", str(desk.home), "restore", str(source))
        assert run.returncode == 1 and one_line(run.stderr), run.stderr
        assert words in run.stderr and str(source) in run.stderr, run.stderr
    assert snapshot(desk.home) == before


def test_a_pipe_or_device_in_place_of_a_database_file_is_a_damaged_file(desk):
    fill_shop(desk)
    path = desk.home / "incidents-open.json"
    path.unlink()
    os.mkfifo(path)
    for argv in (["incidents", "list"], ["doctor"]):
        run = run_isolated("--home", str(desk.home), *argv)
        assert run.returncode == 1 and "incidents-open.json" in run.stdout + run.stderr, run


@pytest.mark.parametrize("kind", ["a link", "a link to nowhere", "a folder"])
def test_doctor_names_a_lock_file_that_stops_every_change(desk, kb, tmp_path, capsys, kind):
    fill_shop(desk)
    lock = desk.home / ".posdesk.lock"
    lock.unlink()
    if kind == "a folder":
        lock.mkdir()
    else:
        target = tmp_path / "elsewhere"
        if kind == "a link":
            target.write_text("")
        lock.symlink_to(target)
    with pytest.raises(StoreError):
        Desk(desk.home, kb=kb).set_hotline("95566")
    for lang, words in (("en", "lock"), ("zh", "锁")):
        assert main(["--home", str(desk.home), "--lang", lang, "doctor"]) == 1
        lines = [line for line in capsys.readouterr().out.splitlines() if str(lock) in line]
        assert len(lines) == 1 and words in lines[0], lines


def test_temp_files_a_killed_backup_or_report_left_are_cleared_by_the_next_change(desk, kb):
    fill_shop(desk)
    desk.write_report("a report", "report.txt")
    home = desk.home
    stale = [home / "backups" / ".posdesk-20261125-140000-000000-manual.json.k2j4.tmp",
             home / "reports" / ".report.txt.a8x1.tmp"]
    in_progress = [home / "backups" / ".posdesk-20261125-150000-000000-manual.json.q9z.tmp",
                   home / "reports" / ".report.txt.b7y2.tmp"]
    for path in stale + in_progress:
        path.write_text("half a")
    hours_ago = datetime.now().timestamp() - 2 * 3600
    for path in stale:
        os.utime(path, (hours_ago, hours_ago))
    Desk(home, kb=kb).set_hotline("95566")
    assert not any(path.exists() for path in stale)
    assert all(path.exists() for path in in_progress)  # another process may be writing them


def _edit_terminal(home: str, field: str, rounds: int, start) -> None:
    desk = Desk(home)
    start.wait()
    for n in range(rounds):
        desk.save_terminal("T1", **{field: f"{field}-{n}"})


def test_four_processes_editing_one_terminal_keep_every_change(home, kb):
    Desk(home, kb=kb).save_terminal(name="Front")
    fields = ("location", "serial", "bank", "model")
    run_processes(_edit_terminal, [(str(home), field, 100) for field in fields])
    terminal = Desk(home, kb=kb).terminal("T1")
    assert [getattr(terminal, field) for field in fields] == [f"{f}-99" for f in fields]
    assert terminal.name == "Front"
