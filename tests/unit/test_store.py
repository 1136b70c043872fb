"""The storage rules: atomic fsynced writes, a cross-process lock, 0600 files, a schema version,
and a database that cannot be read is never written over."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat

import pytest

from posdesk.models import Settings
from posdesk.store import SCHEMA_VERSION, DamagedDatabase, SchemaTooNew, Store, data_dir
from posdesk.store import durable
from posdesk.store.durable import atomic_write_json
from posdesk.store.errors import CannotWrite


def mode_of(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_data_dir_prefers_home_option_then_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("POSDESK_HOME", str(tmp_path / "from-env"))
    assert data_dir(tmp_path / "from-option") == tmp_path / "from-option"
    assert data_dir() == tmp_path / "from-env"
    monkeypatch.delenv("POSDESK_HOME")
    assert data_dir().name == "posdesk"  # the platform's user data folder


def choose(**fields):
    """A change of settings that sets these fields."""
    def change(settings: Settings) -> None:
        for name, value in fields.items():
            setattr(settings, name, value)
    return change


def test_new_store_records_schema_version_and_is_owner_only(home):
    store = Store(home)
    assert not home.exists()  # opening writes nothing; the first change makes the folder
    store.change_settings(choose(language="en"))
    assert store.schema_version == SCHEMA_VERSION
    saved = json.loads(store.path.read_text(encoding="utf-8"))
    assert saved["_meta"]["1"]["schema"] == SCHEMA_VERSION
    assert mode_of(store.path) == 0o600
    assert mode_of(home) == 0o700


def test_settings_round_trip_and_chinese_is_written_as_chinese(home):
    store = Store(home)
    store.change_settings(choose(language="zh", hotline="95533 转 1", shop="小王便利店",
                                 extra={"till": "一号收银台"}))
    reopened = Store(home).settings()
    assert reopened.language == "zh"
    assert reopened.hotline == "95533 转 1"
    assert reopened.shop == "小王便利店" and reopened.extra == {"till": "一号收银台"}
    text = store.path.read_text(encoding="utf-8")
    assert "小王便利店" in text and "一号收银台" in text and "\\u" not in text


def test_write_interrupted_between_temp_file_and_replace_keeps_old_file(home, monkeypatch):
    store = Store(home)
    store.change_settings(choose(language="en"))
    before = store.path.read_bytes()

    def crash(*_args):
        raise OSError("power cut")

    monkeypatch.setattr(durable.os, "replace", crash)
    with pytest.raises(CannotWrite, match="power cut"):
        store.change_settings(choose(language="zh"))
    monkeypatch.undo()

    assert store.path.read_bytes() == before
    assert not list(home.glob("*.tmp")) and not list(home.glob(".*.tmp"))
    assert Store(home).settings().language == "en"


def test_temp_file_left_by_a_killed_process_is_ignored_and_cleared_by_the_next_change(home):
    store = Store(home)
    store.change_settings(choose(language="zh"))
    leftover = home / f".posdesk.json.99999{durable.TEMP_SUFFIX}"
    leftover.write_text('{"half": ', encoding="utf-8")
    reopened = Store(home)
    assert reopened.settings().language == "zh"
    assert leftover.exists()  # reading writes nothing
    reopened.change_settings(choose(language="en"))
    assert not leftover.exists()


def test_atomic_write_fsyncs_file_and_folder(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(durable.os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    atomic_write_json(tmp_path / "x.json", {"a": "一"})
    assert len(synced) == 2  # the temp file, then the folder holding the rename
    assert json.loads((tmp_path / "x.json").read_text(encoding="utf-8")) == {"a": "一"}


def test_atomic_write_never_reuses_a_temp_file_it_finds(tmp_path):
    target = tmp_path / "x.json"
    stale = tmp_path / f".x.json.{os.getpid()}{durable.TEMP_SUFFIX}"
    stale.write_text("old")
    stale.chmod(0o644)
    atomic_write_json(target, {})
    assert mode_of(target) == 0o600
    assert stale.read_text() == "old"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b'{"_meta": {"1": {"schema": 1}}, "settings": {"1": {"lang', "not valid JSON"),
        (b"\xff\xfe not text", "not UTF-8"),
        (b"[1, 2, 3]", "not a posdesk database"),
        (b'{"settings": {"1": 5}}', "not a posdesk database"),
        (b'{"other": {"1": {"x": 1}}}', "no posdesk schema version"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_damaged_database_is_explained_and_left_exactly_as_it_was(home, content, reason):
    home.mkdir(parents=True)
    path = home / "posdesk.json"
    path.write_bytes(content)
    with pytest.raises(DamagedDatabase) as caught:
        Store(home)
    message = str(caught.value)
    assert reason in message and str(path) in message and "\n" not in message
    assert path.read_bytes() == content


def test_newer_schema_is_refused_and_left_as_it_was(home):
    home.mkdir(parents=True)
    path = home / "posdesk.json"
    content = json.dumps({"_meta": {"1": {"schema": SCHEMA_VERSION + 1}}}).encode()
    path.write_bytes(content)
    with pytest.raises(SchemaTooNew, match="newer posdesk"):
        Store(home)
    assert path.read_bytes() == content


def _insert_rows(home: str, worker: int, count: int) -> None:
    store = Store(home)
    for n in range(count):
        with store.transaction() as db:
            db.table("rows").insert({"worker": worker, "n": n})


def test_two_processes_never_lose_each_others_writes(home):
    Store(home)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_insert_rows, args=(str(home), w, 300)) for w in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    with Store(home).transaction() as db:
        rows = {(row["worker"], row["n"]) for row in db.table("rows").all()}
    assert rows == {(w, n) for w in (1, 2) for n in range(300)}


def test_what_a_storage_wrote_is_read_back_without_parsing_the_file_again(tmp_path, monkeypatch):
    storage = durable.DurableStorage(tmp_path / "db.json")
    data = {"incidents": {"1": {"id": "20261125-001"}}}
    storage.write(data)
    monkeypatch.setattr(durable, "parse_tables", lambda path, raw: pytest.fail("parsed again"))
    assert storage.read() is data  # handed over once: TinyDB changes what it reads
    monkeypatch.undo()
    assert storage.read() == data and storage.read() is not data


def test_a_file_another_process_replaced_is_read_from_disk(tmp_path):
    mine, theirs = (durable.DurableStorage(tmp_path / "db.json") for _ in range(2))
    mine.write({"incidents": {"1": {"note": "ours"}}})
    theirs.write({"incidents": {"1": {"note": "them"}}})  # the same size, another file
    assert mine.read() == {"incidents": {"1": {"note": "them"}}}


def test_a_file_changed_in_place_to_the_same_size_is_read_from_disk(tmp_path):
    # Not a new file, so inode and size match: only the content tells it from what was written.
    path = tmp_path / "db.json"
    storage = durable.DurableStorage(path)
    storage.write({"incidents": {"1": {"note": "ours"}}})
    before = path.stat()
    path.write_bytes(path.read_bytes().replace(b"ours", b"them"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert storage.read() == {"incidents": {"1": {"note": "them"}}}
