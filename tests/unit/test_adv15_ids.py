"""Adversary at issue 15's ids: records numbered past the end of their id space, a topic's
steps past theirs, and ids written twice in posdesk.json (by hand, or by a crafted backup)."""

from __future__ import annotations

import copy
import json

import pytest

from posdesk.desk import Desk
from posdesk.i18n import ToldError
from posdesk.kb import KnowledgeBase
from posdesk.store.backup import BadBackup


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.open()


def _edit_database(desk: Desk, edit) -> Desk:
    path = desk.locations.database
    tables = json.loads(path.read_text(encoding="utf-8"))
    edit(tables)
    path.write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")
    return Desk(desk.home, kb=desk.shipped_kb)


def _step(kb: KnowledgeBase) -> str:
    return kb.topics()[0].steps[0].id


def test_a_note_after_the_highest_note_id_is_refused_in_one_line_and_nothing_is_written(
        tmp_path, kb):
    desk = Desk(tmp_path / "home", kb=kb)
    desk.add_guidance_note(_step(kb), "first", "王芳")

    def highest(tables):
        [record] = tables["guidance_notes"].values()
        record["id"] = "N999999999"  # a valid id: restore and doctor take it

    desk = _edit_database(desk, highest)
    with pytest.raises(ToldError):
        desk.add_guidance_note(_step(kb), "second", "王芳")
    # Nothing unreadable was written: the one note there is still reads, alone.
    assert [note.id for note in desk.guidance_notes()] == ["N999999999"]
    assert len(desk.store.records("guidance_notes")) == 1


def test_a_flag_after_the_highest_flag_id_is_refused_in_one_line(tmp_path, kb):
    desk = Desk(tmp_path / "home", kb=kb)
    desk.flag_step(_step(kb), "wrong")
    desk = _edit_database(desk, lambda tables: next(iter(
        tables["guidance_flags"].values())).update(id="F999999999"))
    with pytest.raises(ToldError):
        desk.flag_step(_step(kb), "wrong")
    assert len(desk.store.records("guidance_flags")) == 1


def test_a_topic_of_more_steps_than_step_ids_is_refused_in_one_line_and_not_stored(
        tmp_path, kb):
    desk = Desk(tmp_path / "home", kb=kb)
    steps = [{"title": f"step {n}"} for n in range(10_001)]
    with pytest.raises(ToldError):
        desk.add_own_topic("fault", "Router", "", steps, "王芳")
    assert desk._records("guidance_topics") == []


def test_a_topic_whose_steps_made_was_crafted_is_changed_or_refused_in_one_line(tmp_path, kb):
    desk = Desk(tmp_path / "home", kb=kb)
    topic = desk.add_own_topic("fault", "Router", "", [{"title": "restart"}], "王芳")
    for crafted in (9999, 10**12, "7", True, -5):
        changed = _edit_database(desk, lambda tables: next(iter(
            tables["guidance_topics"].values())).update(steps_made=crafted))
        try:
            after = changed.change_own_topic(topic.id, who="王芳", steps=[
                {"id": topic.steps[0].id, "title": "restart"}, {"title": "call"}])
        except ToldError:
            continue
        assert [step.id for step in after.steps][0] == topic.steps[0].id
        assert len({step.id for step in after.steps}) == 2


def test_the_own_topic_number_after_the_highest_is_refused_in_one_line(tmp_path, kb):
    desk = Desk(tmp_path / "home", kb=kb)
    desk.add_own_topic("fault", "Router", "", [{"title": "restart"}], "王芳")

    def highest(tables):
        [record] = tables["guidance_topics"].values()
        record["id"] = "fault.shop-999999999"
        for step in record["steps"]:
            step["id"] = "fault.shop-999999999." + step["id"].rsplit(".", 1)[1]

    desk = _edit_database(desk, highest)
    assert [topic.id for topic in desk.own_topics()] == ["fault.shop-999999999"]
    with pytest.raises(ToldError):
        desk.add_own_topic("transaction", "Refund", "", [{"title": "look"}], "王芳")
    assert len(desk.store.records("guidance_topics")) == 1


def _twice(table: str):
    def edit(tables):
        [record] = tables[table].values()
        second = copy.deepcopy(record)
        if table == "guidance_topics":
            second["title"] = {"zh": "另一个", "en": "Another"}
        else:
            second["text" if table == "guidance_notes" else "why"] = "another"
        tables[table]["2"] = second
    return edit


@pytest.mark.parametrize("table", ["guidance_notes", "guidance_flags", "guidance_topics"])
def test_an_id_twice_in_a_guidance_table_is_named_by_restore_and_read_once(tmp_path, kb, table):
    desk = Desk(tmp_path / "home", kb=kb)
    desk.add_guidance_note(_step(kb), "first", "王芳")
    desk.flag_step(_step(kb), "wrong", "first")
    desk.add_own_topic("fault", "Router", "", [{"title": "restart"}], "王芳")
    backup = desk.backup()
    # A backup carrying the id twice is refused in one line, the data directory kept.
    bundle = json.loads(backup.read_text(encoding="utf-8"))
    _twice(table)(bundle["files"]["posdesk.json"])
    crafted = tmp_path / "crafted.json"
    crafted.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(BadBackup) as refused:
        desk.restore(crafted)
    assert "\n" not in str(refused.value)
    # The same by hand in posdesk.json: read once (the first, which a change would change).
    desk = _edit_database(desk, _twice(table))
    if table == "guidance_notes":
        assert [note.text for note in desk.guidance_notes()] == ["first"]
    elif table == "guidance_flags":
        assert [flag.why for flag in desk.step_flags()] == ["first"]
        assert desk.flag_count(_step(kb)).count == 1
    else:
        assert [t.title.en for t in desk.kb.topics() if t.origin == "shop"] == ["Router"]
        assert [t.title.en for t in desk.own_topics()] == ["Router"]
