"""What an adversarial probe of issue 10's changes found: output onto devices, what was typed into
a one-line prompt, markup in terminal names, two writes told as one, planted restore journals,
backups that lose records, huge numbers, card numbers in more forms, concurrent edits of one
terminal, the clock set back, the command line. Each test failed before the change it covers."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import Input, Select

from conftest import fill_up
from pilot_helpers import past_today, until, until_opened, until_screen, until_tab
from posdesk import cli
from posdesk.cli import main
from posdesk import privacy
from posdesk.privacy import luhn_valid
from posdesk.desk import Desk
from posdesk.store import backup as backup_module
from posdesk.store.backup import daily_backup, backups
from posdesk.store.layout import RESTORE_JOURNAL
from posdesk.ui.app import PosdeskApp
from kb_steps import checks

SIZE = (100, 30)
ROOT = pytest.mark.skipif(os.geteuid() != 0, reason="mknod and tmpfs need root (CI runs as root)")


# -o onto something that is not a regular file ------------------------------------------------

@ROOT
@pytest.mark.parametrize("kind", ["device", "fifo", "symlink to /proc/self/fd/1"])
def test_output_never_replaces_a_device_fifo_or_link(desk, tmp_path, kind, capsys):
    """`-o /dev/null`, `-o /dev/stdout` or a FIFO: posdesk renames a temp file over the target,
    so as root it replaces the device node (this probe clobbered the machine's /dev/null)."""
    desk.start_incident("fault.print")
    target = tmp_path / "target"
    if kind == "device":
        os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/proc/self/fd/1")
    before = os.lstat(target)
    cli.main(["--home", str(desk.home), "incidents", "export", "--format", "csv",
              "-o", str(target)])
    after = os.lstat(target)
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode), "replaced by a plain file"


# What a person typed into a one-line prompt --------------------------------------------------

async def test_a_follow_up_note_refused_by_a_full_disk_is_still_there_to_save(tmpfs, kb, clock):
    """The message says "what you typed is still here" but TextPrompt was dismissed before the
    change ran: pressing `a` again shows an empty field (same for `!`, `r`, `b`, `o`)."""
    disk = tmpfs("1m")
    desk = Desk(disk / "home", kb=kb, clock=clock)
    incident = desk.start_incident("fault.print")
    app = PosdeskApp(desk, "zh")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await pilot.press("5")
        await until_tab(pilot, "incidents")  # built, its loading started
        await app.workers.wait_for_complete()
        await pilot.pause()  # the finished loading is queued as a message by now: this runs it
        await pilot.press("enter")
        await until_opened(pilot)  # the incident's page
        filler = fill_up(disk)
        await pilot.press("a", *"顾客说昨天也坏过", "enter")
        await until(pilot, lambda: str(app.screen.query_one("#prompt-message").render()),
                    what="the prompt to say the note was not saved")
        assert app.is_running
        shown = [field.value for field in app.screen.query(Input)]
        if "顾客说昨天也坏过" not in shown:  # maybe it comes back when the note is asked again
            await pilot.press("a")
            await until_screen(pilot, having="#answer")
            shown = [field.value for field in app.screen.query(Input)]
        filler.unlink()
        assert "顾客说昨天也坏过" in shown
    assert desk.incident(incident.id).notes == []


# Markup in text a person typed ----------------------------------------------------------------

async def test_a_terminal_name_with_brackets_does_not_end_the_app(desk):
    """Terminal labels go into a Select (mark done) and a notification as markup: "[/]" raises
    MarkupError and the TUI ends with a traceback; "POS [backup]" is shown as "POS "."""
    desk.save_terminal(name="Counter 1")
    desk.save_terminal(name="Till [/]")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await pilot.press("2", "d")
        await until_screen(pilot, having="#done-who")
        app.screen.query_one(Select).focus()
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.query_one(Select).expanded, what="the list open")
        await pilot.press("down", "enter")
        await until(pilot, lambda: not app.screen.query_one(Select).expanded,
                    what="a terminal chosen")
        assert app.is_running
    assert app.return_code in (None, 0)


# Two writes told as one ------------------------------------------------------------------------

@ROOT
def test_a_security_check_refused_by_a_full_disk_opens_no_incident(tmpfs, kb, clock):
    """mark_done opens the finding's incident, then fails writing the log entry: the person is
    told "Nothing was changed", yet an incident is left, and each retry opens another."""
    disk = tmpfs("400k")
    desk = Desk(disk / "home", kb=kb, clock=clock)
    desk.save_terminal(name="Front", serial="SN1")
    entry = {"routine_id": "maint.ventilation", "terminal_id": None,
             "at": "2026-11-01T10:00:00+08:00", "who": "x" * 100, "note": "", "checked": {},
             "incident_id": None, "serial": None}
    for _ in range(700):
        desk.store.add_record("routine_log", entry)
    size = (disk / "home" / "posdesk.json").stat().st_size
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_bsize
    (disk / "filler").write_bytes(b"\0" * (free - size // 2))  # room for the small file only
    for _ in range(2):
        with pytest.raises(Exception):
            desk.mark_done("sec.tamper_inspection", who="Li", terminal_id="T1", checked={},
                           serial_seen="SN2")
    assert desk.unfinished_incidents() == []


# A restore journal or backup that should not be trusted ---------------------------------------

def _seeded(desk: Desk) -> None:
    desk.start_incident("fault.print")
    incident = desk.start_incident("fault.network")
    desk.record_attempt(incident.id, checks(desk.kb.topic("fault.network"))[0].id, "fixed")


def test_a_planted_restore_journal_does_not_delete_the_incident_files(desk):
    _seeded(desk)
    (desk.home / "backups").mkdir()
    (desk.home / RESTORE_JOURNAL).write_text(json.dumps(
        {"staging": ".restoring-x", "place": [], "aside": {},
         "remove": ["incidents-open.json", "incidents-2026-11.json"]}))
    assert len(Desk(desk.home, kb=desk.kb).incidents()) == 2


def test_a_planted_journal_never_moves_files_from_outside_the_data_directory(desk, tmp_path):
    _seeded(desk)
    (desk.home / "backups").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "posdesk.json").write_text('{"_meta":{"1":{"schema":2}}}')
    (desk.home / ".restoring-x").symlink_to(outside)
    (desk.home / RESTORE_JOURNAL).write_text(json.dumps(
        {"staging": ".restoring-x", "place": ["posdesk.json"], "aside": {}, "remove": []}))
    Desk(desk.home, kb=desk.kb).incidents()
    assert (outside / "posdesk.json").exists()


def test_a_cut_short_restore_without_a_backups_folder_does_not_lock_the_shop_out(desk):
    """A restore cut short, then backups/ removed (to free a full disk): every start fails with
    "posdesk finishes it the next time it starts", for good."""
    _seeded(desk)
    (desk.home / RESTORE_JOURNAL).write_text(json.dumps(
        {"staging": ".restoring-x", "place": [], "aside": {}, "remove": []}))
    assert len(Desk(desk.home, kb=desk.kb).incidents()) == 2


def test_a_restored_backup_keeps_every_incident_it_holds(desk, tmp_path):
    """Doc keys "1" and "1\\x00" are cleaned into one key: a backup with 3 incidents restores 2."""
    _seeded(desk)
    desk.start_incident("fault.card_read")
    made = json.loads(desk.backup(tmp_path / "b.json").read_text())
    held = made["files"]["incidents-open.json"]["incidents"]
    held["1\x00"] = held.pop("2")
    (tmp_path / "b.json").write_text(json.dumps(made))
    try:
        desk.restore(tmp_path / "b.json")
    except Exception as error:  # refusing it (and so keeping the shop's 3) is fine
        assert "BadBackup" in type(error).__name__
    assert len(Desk(desk.home, kb=desk.kb).incidents()) == 3


def test_a_schema_1_backup_with_incident_files_loses_nothing(desk, tmp_path):
    """The migration upserts by doc id into incidents-open.json and overwrites another incident."""
    _seeded(desk)
    opened = [i.to_record() for i in desk.unfinished_incidents()]
    second = desk.start_incident("fault.card_read").to_record()
    bundle = {"format": "posdesk-backup", "schema": 1, "made_at": "2026-11-25T10:00:00+08:00",
              "reason": "manual",
              "files": {"posdesk.json": {"_meta": {"1": {"schema": 1}},
                                         "incidents": {"1": opened[0]}},
                        "incidents-open.json": {"incidents": {"1": {**second,
                                                                    "closed": False}}}}}
    (tmp_path / "s1.json").write_text(json.dumps(bundle))
    desk.restore(tmp_path / "s1.json")
    ids = {i.id for i in Desk(desk.home, kb=desk.kb).incidents()}
    assert ids == {opened[0]["id"], second["id"]}


def test_a_huge_number_in_a_file_is_a_damaged_file_not_a_traceback(desk, capsys):
    _seeded(desk)
    path = desk.home / "incidents-open.json"
    path.write_text(path.read_text().replace('"step_count":', '"step_count":1' + "0" * 5000
                                             + ',"x":', 1))
    for command in (["doctor"], ["incidents", "list"]):
        assert cli.main(["--home", str(desk.home), "--lang", "zh", *command]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_restore_over_a_file_with_a_huge_number_works(desk, tmp_path):
    _seeded(desk)
    good = desk.backup(tmp_path / "good.json")
    path = desk.home / "incidents-open.json"
    path.write_text(path.read_text().replace('"step_count":', '"step_count":1' + "0" * 5000
                                             + ',"x":', 1))
    desk.restore(good)  # ValueError: Exceeds the limit (4300 digits)


def test_a_terminal_id_with_thousands_of_digits_is_refused_or_read(desk, tmp_path):
    """read_backup accepts "T" + 5000 digits; then `due`, `T` and adding a terminal crash."""
    desk.save_terminal(name="Front")
    made = json.loads(desk.backup(tmp_path / "b.json").read_text())
    made["files"]["posdesk.json"]["terminals"]["1"]["id"] = "T" + "9" * 5000
    (tmp_path / "b.json").write_text(json.dumps(made))
    try:
        desk.restore(tmp_path / "b.json")
    except Exception as error:  # refusing it is fine
        assert "BadBackup" in type(error).__name__
        return
    Desk(desk.home, kb=desk.kb).due()


# Card numbers -----------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", [
    "54111 1111 1111 1111",  # a stray digit in front of a grouped number (README promises it)
    "4111 1111 1111 11117",  # …and after
    "4111  1111  1111  1111",  # two spaces between groups
    "4111 - 1111 - 1111 - 1111",  # spaced dashes
    "4111\u200e1111\u200e1111\u200e1111",  # left-to-right marks from a paste
    "\u202d4111\u202c 1111 1111 1111",  # bidi embedding, as iOS puts around copied numbers
    "4111\u20131111\u20131111\u20131111",  # en dash (autocorrect)
])
def test_every_form_of_a_card_number_is_masked(typed):
    assert "1111 1111" not in privacy.clean(typed).text.replace("\u200e", " ")
    digits = "".join(c for c in privacy.clean(typed).text if c.isdigit())
    assert "41111111" not in digits


def test_the_desk_cleans_the_response_code_it_stores(desk):
    desk.start_incident("fault.network", code="\x1b]52;c;SGk=\x07 4111 1111 1111 1111")
    raw = (desk.home / "incidents-open.json").read_text()
    assert "4111 1111 1111 1111" not in raw and "\\u001b" not in raw


def test_bidi_overrides_do_not_reach_the_terminal(desk, capsys):
    desk.add_note(desk.start_incident("fault.print").id, "ref \u202e1234-REF")
    cli.main(["--home", str(desk.home), "incidents", "export", "--format", "md"])
    assert "\u202e" not in capsys.readouterr().out


# Two processes at once --------------------------------------------------------------------------

def _edit(home: str, field: str) -> None:
    desk = Desk(home)
    for n in range(30):
        desk.save_terminal("T1", **{field: f"{field}-{n}"})


def test_two_processes_editing_one_terminal_keep_both_changes(desk):
    desk.save_terminal(name="Front")
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_edit, args=(str(desk.home), field))
               for field in ("location", "serial", "bank", "model")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    terminal = Desk(desk.home, kb=desk.kb).terminal("T1")
    assert (terminal.location, terminal.serial, terminal.bank, terminal.model) == (
        "location-29", "serial-29", "bank-29", "model-29")


# The clock --------------------------------------------------------------------------------------

def test_daily_backups_after_the_clock_was_set_back_are_kept(desk, monkeypatch):
    _seeded(desk)
    now = [datetime(2026, 11, 1, 9)]

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return now[0]

    monkeypatch.setattr(backup_module, "datetime", Clock)
    for day in range(1, 9):
        now[0] = datetime(2026, 11, day, 9)
        daily_backup(desk.store)
    for day in (1, 2, 3):  # the clock battery died: a year and more behind
        now[0] = datetime(2025, 6, day, 9)
        daily_backup(desk.store)
    names = [path.name for path in backups(desk.locations)]
    assert any(name.startswith("posdesk-20250602") for name in names), names


# The command line -------------------------------------------------------------------------------

def test_a_listing_cut_short_by_head_is_not_an_error(desk):
    for _ in range(300):
        desk.start_incident("fault.print")
    run = subprocess.run(
        f"{sys.executable} -m posdesk --home {desk.home} --lang zh incidents list | head -1",
        shell=True, capture_output=True, text=True)
    assert "Broken pipe" not in run.stderr and "无法使用" not in run.stderr, run.stderr


def test_output_named_like_the_backups_folder_is_refused(desk, capsys):
    """`backup -o <home>/backups` before the first backup writes a FILE there: every later
    backup and restore fails ("File exists", in English on a Chinese screen) and doctor says
    all is well."""
    _seeded(desk)
    cli.main(["--home", str(desk.home), "backup", "-o", str(desk.home / "backups")])
    capsys.readouterr()
    assert cli.main(["--home", str(desk.home), "--lang", "zh", "backup"]) == 0, \
        capsys.readouterr().err


async def test_a_terminal_name_in_brackets_is_shown_as_typed(desk):
    desk.save_terminal(name="Counter 1")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await pilot.press("T", "a", *"POS [backup]", "ctrl+s")
        await until(pilot, lambda: any("POS" in n.message for n in app._notifications),
                    what="the terminal saved")
        (saved,) = [n for n in app._notifications if "POS" in n.message]
        assert saved.message == "Saved terminal \"POS [backup]\"." and not saved.markup
        await pilot.press("escape", "2", "d")
        await until_screen(pilot, having="#done-who")
        chooser = app.screen.query_one(Select)
        chooser.value = "T2"
        label = chooser.query_one("SelectCurrent #label")
        await until(pilot, lambda: "POS [backup]" in str(label.render()),
                    what="the chosen terminal shown")
        assert "POS [backup]" in str(chooser.query_one("SelectCurrent #label").render())


def test_restoring_the_database_in_use_is_refused_in_one_line(desk, capsys):
    _seeded(desk)
    before = {p.name: p.read_bytes() for p in desk.home.glob("*.json")}
    assert cli.main(["--home", str(desk.home), "--lang", "zh", "restore",
                     str(desk.home / "posdesk.json")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "不是备份" in err
    assert {p.name: p.read_bytes() for p in desk.home.glob("*.json")} == before


def _restore_back_and_forth(home: str, first: str, second: str, rounds: int) -> None:
    desk = Desk(home)
    for _ in range(rounds):
        desk.restore(Path(first))
        desk.restore(Path(second))


def test_a_listing_during_restores_is_wholly_one_backup_or_the_other(home, kb, tmp_path):
    """Each file was read under its own hold of the lock: a listing during a restore could mix
    the old history with the new."""
    ids = {}
    for name, faults in (("a", ("fault.print", "fault.network")), ("b", ("fault.power_battery",))):
        shop = tmp_path / f"shop-{name}"
        desk = Desk(shop, kb=kb)
        for n in range(12):
            incident = desk.start_incident(faults[n % len(faults)])
            if n % 3 == 0:  # some resolved, so more than one file is read
                desk.record_attempt(incident.id, checks(kb.topic(incident.topic_id))[0].id, "fixed")
        ids[name] = sorted(i.id + i.topic_id for i in desk.incidents())
        desk.backup(tmp_path / f"{name}.json")
    Desk(home, kb=kb).restore(tmp_path / "a.json")
    context = multiprocessing.get_context("fork")
    restorer = context.Process(target=_restore_back_and_forth,
                               args=(str(home), str(tmp_path / "b.json"), str(tmp_path / "a.json"), 40))
    restorer.start()
    try:
        while restorer.is_alive():
            listed = sorted(i.id + i.topic_id for i in Desk(home, kb=kb).incidents())
            assert listed in (ids["a"], ids["b"]), "a mix of two backups"
    finally:
        restorer.join()
    assert restorer.exitcode == 0


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_due_on_the_edge_of_the_calendar_is_a_usage_error(day, capsys):
    assert cli.main(["due", "--on", day]) == 2
    assert capsys.readouterr().err.count("\n") == 1


@ROOT
def test_printing_onto_a_full_disk_is_told_as_such(desk):
    desk.start_incident("fault.print")
    run = subprocess.run(f"{sys.executable} -m posdesk --home {desk.home} incidents list > /dev/full",
                         shell=True, capture_output=True, text=True)
    assert run.returncode == 1 and run.stderr.count("\n") == 1
    assert "Could not print the output: the disk is full" in run.stderr, run.stderr


def test_date_filters_use_the_shops_local_day(desk, monkeypatch):
    """--since and --until are local days: an incident written at 23:30 UTC on the 25th was
    opened on the 26th in Shanghai."""
    import time

    from posdesk.models import IncidentFilter

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        late = desk.start_incident("fault.print").to_record()
        late["id"], late["events"][0]["at"] = "20261125-009", "2026-11-25T23:30:00+00:00"
        desk.store.add_incidents([late])
        found = desk.find_incidents(IncidentFilter(since="2026-11-26", until="2026-11-26"))
        assert [i.id for i in found] == ["20261125-009"]
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


# A second probe, of the fixes ---------------------------------------------------------------

CARD = "4111111111111111"  # the second probe's


def _with_check_digit(body: str) -> str:
    return next(body + c for c in "0123456789" if luhn_valid(body + c))


def test_a_planted_journal_with_a_fake_kept_copy_does_not_delete_the_database(desk, home):
    """A journal no restore could have written (nothing to place, the database files to
    remove) and a `kept` file that is no backup at all: acting on it deletes every record."""
    incident = desk.start_incident("fault.print", note="keep me")
    (home / "backups").mkdir(mode=0o700, exist_ok=True)
    (home / "backups" / "posdesk-20200101-000000-000000-before-restore.json").write_text("{}")
    (home / ".restore-journal.json").write_text(json.dumps({
        "staging": ".restoring-x",
        "kept": "backups/posdesk-20200101-000000-000000-before-restore.json",
        "place": [], "aside": {}, "remove": ["posdesk.json", "incidents-open.json"]}))

    later = Desk(home, kb=desk.kb)
    assert [i.id for i in later.incidents()] == [incident.id]


def test_export_o_never_replaces_the_copy_made_before_a_restore(desk, home, tmp_path, capsys):
    """The copy a restore makes is the only home of records the backup lacked; `-o` pointed at
    it (a slip of tab completion) replaces it with a CSV."""
    desk.start_incident("fault.print", note="only in the kept copy")
    backup = desk.backup(tmp_path / "empty.json")
    desk.start_incident("fault.network", note="made after the backup")
    restored = desk.restore(backup)
    kept = restored.kept
    before = kept.read_bytes()
    code = main(["--home", str(home), "incidents", "export", "--format", "csv",
                 "-o", str(kept)])
    assert code != 0
    assert kept.read_bytes() == before


def test_a_card_number_on_separate_lines_or_tab_separated_is_masked():
    """The escalation note is a multi-line field: a number typed a group a line, or pasted from
    a spreadsheet with tabs, is stored whole."""
    for sep in ("\n", "\t"):
        typed = sep.join(CARD[i:i + 4] for i in range(0, 16, 4))
        assert privacy.clean(typed).masked == 1, repr(typed)


def test_a_serial_number_that_passes_luhn_is_compared_whole(desk):
    """A numeric serial that happens to pass the Luhn check is masked to its last four on the
    terminal's record; a different device whose serial ends alike then 'matches'."""
    on_record = _with_check_digit("860000123456789")
    other = next(s for mid in range(10**6)
                 if luhn_valid(s := f"86{mid:09d}{on_record[-5:]}") and s != on_record)
    terminal = desk.save_terminal(None, name="counter", serial=on_record)
    checklist = desk.kb.checklist("sec.tamper_inspection")
    entry = desk.mark_done("sec.tamper_inspection", "me", terminal_id=terminal.id,
                           checked={item.id: True for item in checklist.items},
                           serial_seen=other)
    assert entry.checked["serial"] is False
    assert entry.incident_id is not None


def test_restore_that_replaced_the_database_does_not_say_it_failed(desk, home, tmp_path, capsys):
    """A folder where the set-aside journal goes: the switch is made, then the command fails
    with a line about that folder and never says where the copy of the old records is."""
    desk.start_incident("fault.print")
    backup = desk.backup(tmp_path / "b.json")
    desk.start_incident("fault.network")
    (home / ".restore-journal-left.json").mkdir()
    code = main(["--home", str(home), "restore", str(backup)])
    out = capsys.readouterr()
    records_now = len(Desk(home, kb=desk.kb).incidents())
    assert (code == 0) == (records_now == 1), out
    if records_now == 1:
        assert "before-restore" in out.out + out.err


def test_a_serial_that_could_not_be_compared_is_told_so_in_either_language(desk):
    from posdesk.export import incident_markdown

    terminal = desk.save_terminal(None, name="counter", serial=_with_check_digit("860000123456789"))
    entry = desk.mark_done("sec.tamper_inspection", "me", terminal_id=terminal.id,
                           serial_seen=_with_check_digit("860000000076789"))
    incident = desk.incident(entry.incident_id)
    assert "Serial number could not be compared" in incident_markdown(incident, "en")
    assert "序列号无法核对" in incident_markdown(incident, "zh")


def test_an_output_name_ending_in_a_slash_is_a_folder_not_a_file(desk, tmp_path, capsys):
    desk.start_incident("fault.print")
    target = tmp_path / "reports-to-send"
    assert main(["--home", str(desk.home), "incidents", "export", "--format", "csv",
                 "-o", f"{target}/"]) == 1
    assert "is a folder" in capsys.readouterr().err and not target.exists()
