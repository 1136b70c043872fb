"""A backup is written file by file, never held whole in memory; what it writes is byte for byte
the JSON of the whole bundle (`bundle_of`), as posdesk has always written it, and a backup is
one moment's database even while a change lands as it is being written."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from kb_steps import check_ids
from posdesk.cli import main
from posdesk.desk import Desk
from posdesk.store.backup import backup_pieces, backups, daily_backup, make_backup
from posdesk.store.bundle import FORMAT, read_backup
from posdesk.store.durable import encode_json
from posdesk.store.layout import DATABASE_NAME
from tests.clocks import StepClock

SHANGHAI = timezone(timedelta(hours=8))


@pytest.fixture
def shop(home, kb):
    """A shop with Chinese notes, incidents closed in three months and one still open, and a
    month file written by hand (indented, key order its own), which a backup re-encodes."""
    for month in (9, 10, 11):
        desk = Desk(home, kb=kb, clock=StepClock(datetime(2026, month, 3, 9, 0, tzinfo=SHANGHAI)))
        steps = check_ids(desk.topic("fault.print"))
        for note in ("打印机卡纸，换了纸卷", "paper jam: 已修好"):
            incident = desk.start_incident("fault.print")
            desk.record_attempt(incident.id, steps[0], "fixed", note)
    desk.start_incident("fault.network")
    desk.set_hotline("95533 转 1（小王便利店）")
    september = home / "incidents-2026-09.json"
    tables = json.loads(september.read_text(encoding="utf-8"))
    september.write_text(json.dumps(tables, indent=2, ensure_ascii=True), encoding="utf-8")
    return desk


def expected_bytes(home, made: bytes) -> bytes:
    """The whole bundle of the files in `home` encoded at once, as backups were always made,
    with the time and reason the backup `made` was given."""
    shown = json.loads(made)
    names = [DATABASE_NAME, *sorted(p.name for p in home.glob("incidents-*.json"))]
    files = {name: json.loads((home / name).read_text(encoding="utf-8")) for name in names}
    return encode_json({"format": FORMAT, "schema": files[DATABASE_NAME]["_meta"]["1"]["schema"],
                        "made_at": shown["made_at"], "reason": shown["reason"], "files": files})


def test_a_backup_file_is_the_whole_bundle_byte_for_byte(shop, tmp_path):
    assert len(list(shop.home.glob("incidents-2026-*.json"))) == 3
    made = shop.backup(tmp_path / "backup.json").read_bytes()
    assert made == expected_bytes(shop.home, made)
    assert "小王便利店".encode() in made and b"\\u" not in made
    assert set(read_backup(tmp_path / "backup.json")) == {
        DATABASE_NAME, "incidents-open.json", "incidents-2026-09.json",
        "incidents-2026-10.json", "incidents-2026-11.json"}


def test_the_daily_backup_is_the_whole_bundle_byte_for_byte(shop):
    made = daily_backup(shop.store)
    assert made is not None and made.name.endswith("-daily.json")
    raw = made.read_bytes()
    assert raw == expected_bytes(shop.home, raw)
    assert json.loads(raw)["reason"] == "daily"


def test_a_backup_to_standard_output_is_the_same_bytes(shop, capsys):
    assert main(["--home", str(shop.home), "backup", "-o", "-"]) == 0
    printed = capsys.readouterr().out.encode("utf-8")
    assert printed == expected_bytes(shop.home, printed)


def test_a_missing_main_file_is_an_empty_one_first(shop, tmp_path):
    """A database whose posdesk.json is gone still backs up with one (empty) in front."""
    (shop.home / DATABASE_NAME).unlink()
    made = make_backup(shop.store, tmp_path / "backup.json").read_bytes()
    files = json.loads(made)["files"]
    assert list(files)[0] == DATABASE_NAME and list(files)[1] == "incidents-2026-09.json"
    assert files[DATABASE_NAME] == {"_meta": {"1": {"schema": json.loads(made)["schema"]}}}
    assert made.startswith(b'{"format":"posdesk-backup","schema":')
    assert b'"files":{"posdesk.json":{"_meta":{"1":{"schema":' in made


def test_a_backup_in_the_backups_folder_is_listed(shop):
    made = make_backup(shop.store)
    assert backups(shop.locations) == [made]


def test_a_change_made_while_a_backup_is_written_is_not_in_it(shop, tmp_path):
    """The files are opened under one hold of the lock and read afterwards: an incident
    recorded between the two is in neither the open file nor the month file of the backup."""
    before = {name: json.loads((shop.home / name).read_text(encoding="utf-8"))
              for name in ("incidents-open.json", "incidents-2026-11.json")}
    pieces = backup_pieces(shop.store)
    started = next(pieces)  # every file is open now, and the lock let go
    open_one = next(iter(read_backup_files(shop.home)["incidents-open.json"]["incidents"].values()))
    steps = check_ids(shop.topic("fault.network"))
    shop.record_attempt(open_one["id"], steps[0], "fixed", "后来修好的")
    shop.start_incident("fault.print")
    made = json.loads(started + b"".join(pieces))
    for name, tables in before.items():
        assert made["files"][name] == tables
    assert "后来修好的" not in json.dumps(made, ensure_ascii=False)


def read_backup_files(home) -> dict:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in home.glob("*.json")}
