"""The streaming reader of one incident file gives exactly what TinyDB's reading gives, and a
damaged file is refused in exactly the same words."""

from __future__ import annotations

import json
import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tinydb import TinyDB

from posdesk.models import IncidentFilter
from posdesk.store import DamagedDatabase
from posdesk.store import stream
from posdesk.store.durable import DurableStorage
from posdesk.store.layout import INCIDENTS
from posdesk.store.stream import IncidentFileReader

texts = st.text(alphabet=st.sampled_from(
    list("abc xyz\"\\/\n\t\r\x00\x1b\u2028é") + list("网线打印很淡顾客在等，。") + ["😀"]),
    max_size=12)
leaves = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(
    allow_nan=False, allow_infinity=False) | texts
values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(texts, inner, max_size=3), max_leaves=8)
documents = st.dictionaries(texts, values, max_size=4)
tables = st.dictionaries(st.integers(1, 10**6).map(str), documents, max_size=6)
other_names = st.sampled_from(["_meta", "_moves", "settings", "网"])


def reading_by_tinydb(path):
    db = TinyDB(path, storage=DurableStorage)
    try:
        return [dict(document) for document in db.table(INCIDENTS).all()]
    finally:
        db.close()


def reading_by_stream(path):
    with IncidentFileReader(path) as reader:
        reader.note(lambda record: None)
        return list(reader.records())


def written(data, rng: random.Random) -> str:
    """`data` as JSON with whitespace of any kind wherever JSON allows it."""
    text = json.dumps(data, ensure_ascii=rng.random() < 0.3,
                      indent=rng.choice([None, 0, 2, "\t"]),
                      separators=rng.choice([(",", ":"), (", ", ": "), (" ,\r\n", " :\t")]))
    return rng.choice(["", " ", "\n\t\r "]) + text + rng.choice(["", "\n", "  \r\n"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(incidents=tables, others=st.dictionaries(other_names, tables, max_size=2),
       first=st.booleans(), seed=st.integers(0, 2**32), chunk=st.sampled_from([1, 7, 64, 4096]))
def test_the_stream_reads_what_tinydb_reads(tmp_path_factory, incidents, others, first, seed,
                                            chunk, monkeypatch_module):
    monkeypatch_module.setattr(stream, "CHUNK", chunk)  # values cut at every place
    data = {INCIDENTS: incidents, **others} if first else {**others, INCIDENTS: incidents}
    path = tmp_path_factory.mktemp("s") / "incidents-2026-01.json"
    path.write_text(written(data, random.Random(seed)), encoding="utf-8")
    assert reading_by_stream(path) == reading_by_tinydb(path) == list(incidents.values())


@settings(max_examples=300, deadline=None)
@given(incidents=tables, seed=st.integers(0, 2**32))
def test_a_damaged_file_is_refused_in_the_same_words(tmp_path_factory, incidents, seed):
    rng = random.Random(seed)
    raw = bytearray(written({INCIDENTS: incidents, "_meta": {"1": {"a": 1}}}, rng).encode())
    for _ in range(rng.randint(1, 3)):  # cut, drop, change or add a byte
        at = rng.randrange(len(raw) + 1)
        how = rng.choice(["cut", "drop", "change", "add"])
        if how == "cut":
            del raw[at:]
        elif how == "drop" and at < len(raw):
            del raw[at]
        elif how == "change" and at < len(raw):
            raw[at] = rng.choice(b'{}[]",:0a \xff\xc3')
        else:
            raw[at:at] = bytes([rng.choice(b'{}[]",:0a \xff\xc3')])
    path = tmp_path_factory.mktemp("d") / "incidents-2026-01.json"
    path.write_bytes(bytes(raw))
    results = []
    for read in (reading_by_tinydb, reading_by_stream):
        try:
            results.append(read(path))
        except DamagedDatabase as error:
            results.append(str(error))
    assert results[0] == results[1]


@pytest.mark.parametrize("text, said", [
    ("", "empty"), ("  \n", "empty"), ('{"incidents": {"1": {"a": 1}}', "not_json"),
    ('{"incidents": {"1": 5}}', "not_posdesk"), ('{"incidents": {"x": {}}}', "bad_key"),
    ('[1]', "not_posdesk"), ('{"incidents": {}} x', "not_json"),
])
def test_the_words_for_each_kind_of_damage(tmp_path, text, said):
    path = tmp_path / "incidents-2026-01.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DamagedDatabase) as caught:
        reading_by_stream(path)
    assert caught.value.reason.key == f"store.reason.{said}"


def test_a_key_given_twice_keeps_the_last_value_as_tinydb_does(tmp_path):
    path = tmp_path / "incidents-2026-01.json"
    path.write_text('{"incidents": {"1": {"a": 1}, "2": {"b": 2}, "1": {"a": 3}}}')
    assert reading_by_stream(path) == reading_by_tinydb(path) == [{"a": 3}, {"b": 2}]


def test_a_missing_file_has_no_records(tmp_path):
    assert reading_by_stream(tmp_path / "incidents-2026-01.json") == []


def test_a_pipe_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "incidents-2026-01.json"
    os.mkfifo(path)
    with pytest.raises(DamagedDatabase) as caught:
        reading_by_stream(path)
    assert caught.value.reason.key == "store.reason.not_regular"


def test_the_records_are_read_from_the_file_as_it_was_opened(tmp_path):
    """The store replaces a file whole: a reader goes on reading what it opened."""
    path = tmp_path / "incidents-2026-01.json"
    path.write_text(json.dumps({INCIDENTS: {"1": {"n": 1}, "2": {"n": 2}}}))
    with IncidentFileReader(path) as reader:
        replacement = tmp_path / "new"
        replacement.write_text(json.dumps({INCIDENTS: {"1": {"n": 9}}}))
        replacement.replace(path)
        assert [light for light, _ in reader.note(lambda record: record["n"])] == [1, 2]
        assert list(reader.records()) == [{"n": 1}, {"n": 2}]


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_a_listing_holds_one_record_at_a_time_not_a_month(home, kb):
    """1,200 resolved incidents of one month, 5 KB of notes each (a 6 MB file), listed newest
    first: what is held at once is their places and one incident, not the month's records."""
    import tracemalloc

    from benchmarks.generate import make_incidents

    from posdesk.desk import Desk
    from posdesk.store import Store

    records = []
    for n, incident in enumerate(make_incidents(1200, kb, seed=3)):
        record = {**incident.to_record(), "closed": True}
        record["id"] = f"20261001-{n:03d}" if n < 1000 else f"20261002-{n - 1000:03d}"
        for event in record["events"]:
            event["at"] = "2026-10-0" + ("1" if n < 1000 else "2") + event["at"][10:]
        record["events"][0]["note"] = f"{n} " + "长" * 1700  # 5 KB in UTF-8
        records.append(record)
    Store(home).add_incidents(records)
    desk = Desk(home, kb=kb)
    expected = [row.id for row in desk.find_incidents(IncidentFilter())]
    tracemalloc.start()
    try:
        listed = [incident.id for incident in desk.each_incident()]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert listed == expected and len(listed) == 1200
    assert peak < 3_000_000, f"{peak / 1e6:.1f} MB held at once"


def test_a_key_that_cleaning_changes_still_sorts_as_its_model(home, kb):
    """A hand-edited record whose time is under "a\\x07t" is read (cleaned) as "at": the
    listing orders it by that time, as the screen's list does."""
    from benchmarks.generate import make_incidents

    from posdesk.desk import Desk
    from posdesk.store import Store

    records = []
    for n, incident in enumerate(make_incidents(3, kb, seed=4)):
        record = {**incident.to_record(), "closed": False, "id": f"20261001-{n + 1:03d}"}
        for event in record["events"]:
            event["at"] = f"2026-10-01T1{n}:00:00+08:00"
        records.append(record)
    first = records[0]["events"][0]
    first["a\x07t"] = "2026-10-01T23:00:00+08:00"  # the latest, under a key cleaning mends
    del first["at"]
    Store(home).add_incidents(records)
    desk = Desk(home, kb=kb)
    listed = [incident.id for incident in desk.each_incident()]
    assert listed == [row.id for row in desk.find_incidents(IncidentFilter())]
    assert listed[0] == "20261001-001"
