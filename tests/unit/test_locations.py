"""The data directory is resolved once, where a Desk is made, and every path comes from there."""

from __future__ import annotations

from posdesk.desk import Desk
from posdesk.store.layout import BACKUP_FOLDER, DATABASE_NAME, LOCK_NAME, REPORTS_FOLDER


def files_under(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) \
        if folder.exists() else []


def write_everything(desk: Desk) -> None:
    desk.save_terminal(name="柜台一号")
    desk.backup()
    desk.write_report("a report", "report.txt")


def test_changing_posdesk_home_after_a_desk_is_made_does_not_move_its_writes(
        tmp_path, monkeypatch, kb):
    first, second = tmp_path / "first", tmp_path / "second"
    monkeypatch.setenv("POSDESK_HOME", str(first))
    desk = Desk(kb=kb)
    monkeypatch.setenv("POSDESK_HOME", str(second))
    write_everything(desk)
    assert files_under(second) == []
    written = files_under(first)
    assert DATABASE_NAME in written and LOCK_NAME in written
    assert f"{REPORTS_FOLDER}/report.txt" in written
    assert any(name.startswith(f"{BACKUP_FOLDER}/posdesk-") for name in written)


def test_a_relative_home_stays_where_it_was_when_the_working_folder_changes(
        tmp_path, monkeypatch, kb):
    shop, elsewhere = tmp_path / "shop", tmp_path / "elsewhere"
    shop.mkdir()
    elsewhere.mkdir()
    monkeypatch.chdir(shop)
    desk = Desk("records", kb=kb)
    monkeypatch.chdir(elsewhere)
    write_everything(desk)
    assert files_under(elsewhere) == []
    assert DATABASE_NAME in files_under(shop / "records")
    assert desk.home == shop / "records"
