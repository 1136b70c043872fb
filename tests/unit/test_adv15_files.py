"""Adversary at the files issue 15 reads: posdesk.json's guidance tables and
chain-guidance.json, written by hand with records nested deep enough that cleaning them
recurses past Python's limit. The desk must leave such a record out (counted as unreadable),
not stop every screen that reads the guidance."""

from __future__ import annotations

import json

import pytest

from posdesk.desk import Desk
from posdesk.kb import KnowledgeBase


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.open()


def _nested(depth: int) -> str:
    return "[" * depth + '"x"' + "]" * depth


@pytest.mark.parametrize("depth", [500, 900])
def test_a_deep_record_in_posdesk_json_is_left_out_and_the_rest_read(tmp_path, kb, depth):
    desk = Desk(tmp_path / "home", kb=kb)
    step = kb.topics()[0].steps[0].id
    desk.add_guidance_note(step, "keep", "王芳")
    desk.flag_step(step, "wrong")
    desk.add_own_topic("fault", "Router", "", [{"title": "restart"}], "王芳")
    path = desk.locations.database
    tables = json.loads(path.read_text(encoding="utf-8"))
    for table in ("guidance_notes", "guidance_flags", "guidance_topics"):
        second = dict(next(iter(tables[table].values())))
        second["id"] = {"guidance_notes": "N2", "guidance_flags": "F2",
                        "guidance_topics": "fault.shop-2"}[table]
        if table == "guidance_topics":
            second["steps"] = [{**second["steps"][0], "id": "fault.shop-2.1"}]
        second["extra"] = "@DEEP@"
        tables[table]["2"] = second
    text = json.dumps(tables, ensure_ascii=False).replace('"@DEEP@"', _nested(depth))
    path.write_text(text, encoding="utf-8")
    again = Desk(desk.home, kb=kb)
    assert [note.id for note in again.guidance_notes()] == ["N1"]
    assert [flag.id for flag in again.step_flags()] == ["F1"]
    assert [topic.id for topic in again.own_topics()] == ["fault.shop-1"]
    assert again.kb.topic("fault.shop-1") is not None


@pytest.mark.parametrize("depth", [500, 900])
def test_a_deep_topic_in_chain_guidance_json_is_left_out(tmp_path, kb, depth):
    desk = Desk(tmp_path / "home", kb=kb)
    desk.add_guidance_note(kb.topics()[0].id, "keep", "王芳")
    desk.locations.chain_link.write_text("{}", encoding="utf-8")
    good = {"id": "fault.chain-1", "category": "fault", "title": {"zh": "好", "en": "Good"},
            "steps": [{"id": "fault.chain-1.1", "order": 1, "title": {"zh": "看", "en": "Look"}}],
            "who": "总部", "at": "2026-11-25T09:00:00+08:00"}
    deep = {**good, "id": "fault.chain-2", "steps": [{**good["steps"][0], "id": "fault.chain-2.1"}],
            "extra": "@DEEP@"}
    text = json.dumps({"pulled_at": None, "topics": [good, deep], "notes": [
        {"id": "C1", "on": kb.topics()[0].id, "text": "t", "who": "w",
         "at": "2026-11-25T09:00:00+08:00", "extra": "@DEEP@"}]})
    desk.locations.chain_guidance.write_text(text.replace('"@DEEP@"', _nested(depth)),
                                             encoding="utf-8")
    again = Desk(desk.home, kb=kb)
    assert [topic.id for topic in again.chain_topics()] == ["fault.chain-1"]
    assert [note.id for note in again.notes_on(kb.topics()[0].id)] == ["N1"]


def test_a_ten_megabyte_paste_is_refused_at_once(tmp_path, kb):
    import time

    from posdesk.desk import NotAllowed

    desk = Desk(tmp_path / "home", kb=kb)
    pasted = "4111 1111 1111 1111 路由器 " * 400_000  # ~10 MB of what a clipboard may hold
    started = time.monotonic()
    for add in (lambda: desk.add_guidance_note(kb.topics()[0].id, pasted, "王芳"),
                lambda: desk.flag_step(kb.topics()[0].steps[0].id, "wrong", pasted),
                lambda: desk.add_own_topic("fault", "T", "", [{"title": "s", "how": pasted}],
                                           "王芳")):
        with pytest.raises(NotAllowed):
            add()
    assert time.monotonic() - started < 3  # cleaning 10 MB three times took ~25 s
    assert desk.guidance_notes() == [] and desk.step_flags() == []
