"""The desk's guidance that learns: the shop's notes, flags and own topics, as typed text is
taken in (masked, cleaned, bounded), refused, changed, undone, and numbered across processes."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import textwrap

import pytest

from posdesk.desk import EmptyText, NotAllowed, UnknownId
from posdesk.kb import KnowledgeBase, default_path
from posdesk.models import CATEGORIES, Text, is_own_id
from posdesk.models.learning import (
    LONGEST_NAME, LONGEST_TEXT, OWN_STEP_ID, OWN_TOPIC_ID, SHIPPED_ID,
)

CARD = "4111 1111 1111 1111"
HOSTILE = f"pay {CARD} \x1b[31mred\x1b[0m \x1b]0;title\x07 \u202egnp.exe\u202c end"
STEP = "fault.network.cable"


def assert_clean(text: str) -> None:
    assert "1111 1111" not in text and "4111" not in text.replace("****1111", "")
    assert "\x1b" not in text and "\x07" not in text
    assert "\u202e" not in text and "\u202c" not in text
    assert "****1111" in text or text == ""


def one_step(title=HOSTILE):
    return [{"title": title, "how": HOSTILE, "why": HOSTILE}]


def test_every_typed_field_of_a_note_is_masked_and_cleaned(desk):
    note = desk.add_guidance_note(STEP, HOSTILE, HOSTILE[:LONGEST_NAME])
    stored = desk.guidance_notes(STEP)[0]
    for shown in (note, stored):
        assert_clean(shown.text)
        assert "\x1b" not in shown.who and "\u202e" not in shown.who
    edited = desk.edit_guidance_note(note.id, HOSTILE + " again", "Li")
    assert_clean(edited.text)
    assert_clean(edited.earlier[0]["text"])


def test_every_typed_field_of_a_flag_is_masked_and_cleaned(desk):
    flag = desk.flag_step(STEP, "wrong", HOSTILE, f"Li {CARD}")
    for shown in (flag, desk.step_flags(STEP)[0]):
        assert_clean(shown.why)
        assert_clean(shown.who)
    assert desk.flag_count(STEP).whys == (flag.why,)


def test_every_typed_field_of_a_topic_is_masked_and_cleaned(desk):
    topic = desk.add_own_topic("fault", Text(HOSTILE, HOSTILE), HOSTILE, one_step(), "Li",
                               keywords={"zh": [HOSTILE], "en": [HOSTILE]})
    for shown in (topic, desk.kb.topic(topic.id)):
        for text in (shown.title, shown.summary, *(t for s in shown.steps
                                                   for t in (s.title, s.how, s.why))):
            assert_clean(text.zh)
            assert_clean(text.en)
        assert all(map(assert_clean_or_none, (*shown.keywords_zh, *shown.keywords_en)))


def assert_clean_or_none(word: str) -> bool:
    assert_clean(word)
    return True


@pytest.mark.parametrize("blank", ["", "   ", "\x1b[0m", "\u202e\n\t"])
def test_empty_texts_are_refused_and_nothing_is_stored(desk, blank):
    with pytest.raises(EmptyText):
        desk.add_guidance_note(STEP, blank, "Li")
    with pytest.raises(EmptyText):
        desk.add_guidance_note(STEP, "text", blank)
    with pytest.raises(EmptyText):
        desk.add_own_topic("fault", blank, "", one_step("step"), "Li")
    with pytest.raises(EmptyText):
        desk.add_own_topic("fault", "title", "", one_step(blank), "Li")
    with pytest.raises(EmptyText):
        desk.add_own_topic("fault", "title", "", [], "Li")
    with pytest.raises(EmptyText):
        desk.add_own_topic("fault", "title", "", one_step("step"), blank)
    assert desk.guidance_notes(removed=True) == [] and desk.own_topics() == []


def test_one_language_only_is_shown_in_both(desk):
    topic = desk.add_own_topic("maintenance", "擦拭读卡槽", Text("", "wipe it"),
                               [{"title": Text("", "Wipe"), "how": "用干布"}], "Li")
    assert topic.title.zh == topic.title.en == "擦拭读卡槽"
    assert topic.summary.zh == topic.summary.en == "wipe it"
    assert topic.steps[0].title.zh == "Wipe" and topic.steps[0].how.en == "用干布"


def test_too_long_texts_are_refused(desk):
    with pytest.raises(NotAllowed) as caught:
        desk.add_guidance_note(STEP, "x" * (LONGEST_TEXT + 1), "Li")
    assert caught.value.reason == "too_long"
    with pytest.raises(NotAllowed):
        desk.add_guidance_note(STEP, "ok", "L" * (LONGEST_NAME + 1))
    with pytest.raises(NotAllowed):
        desk.flag_step(STEP, "wrong", "x" * (LONGEST_TEXT + 1))
    with pytest.raises(NotAllowed):
        desk.add_own_topic("fault", "t", "", [{"title": "s", "how": "x" * (LONGEST_TEXT + 1)}],
                           "Li")
    assert desk.add_guidance_note(STEP, "x" * LONGEST_TEXT, "L" * LONGEST_NAME).text


def test_unknown_ids_and_values_are_refused(desk):
    with pytest.raises(UnknownId):
        desk.add_guidance_note("fault.nowhere", "text", "Li")
    with pytest.raises(UnknownId):
        desk.flag_step("fault.network", "wrong")  # a topic, not a step
    with pytest.raises(UnknownId):
        desk.flag_step("fault.nowhere.step", "wrong")
    with pytest.raises(NotAllowed):
        desk.flag_step(STEP, "boring")
    for change in (lambda: desk.edit_guidance_note("N9", "x", "Li"),
                   lambda: desk.remove_guidance_note("N9"),
                   lambda: desk.restore_guidance_note("F1"),
                   lambda: desk.move_guidance_note("N9", STEP),
                   lambda: desk.withdraw_flag("F9"),
                   lambda: desk.withdraw_flag("N1"),
                   lambda: desk.change_own_topic("fault.shop-9", who="Li", title="x"),
                   lambda: desk.remove_own_topic("fault.nowhere"),
                   lambda: desk.restore_own_topic(None)):
        with pytest.raises(UnknownId):
            change()
    with pytest.raises(NotAllowed):
        desk.add_own_topic("kitchen", "t", "", one_step("s"), "Li")
    with pytest.raises(NotAllowed):
        desk.add_own_topic("fault", "t", "", [{"title": "s", "kind": "dance"}], "Li")
    note = desk.add_guidance_note(STEP, "text", "Li")
    with pytest.raises(UnknownId):
        desk.move_guidance_note(note.id, "fault.nowhere")
    assert desk.guidance_notes()[0].on == STEP


def test_a_shipped_topic_cannot_be_changed_or_removed(desk):
    for change in (lambda: desk.change_own_topic("fault.network", who="Li", title="mine"),
                   lambda: desk.remove_own_topic("fault.network"),
                   lambda: desk.restore_own_topic("fault.print")):
        with pytest.raises(NotAllowed) as caught:
            change()
        assert caught.value.reason == "shipped_topic_fixed"
    assert desk.kb.topic("fault.network").title == desk.shipped_kb.topic("fault.network").title


def test_editing_a_note_keeps_the_earlier_text(desk, clock):
    note = desk.add_guidance_note(STEP, "first", "Li")
    desk.edit_guidance_note(note.id, "second", "Wang")
    third = desk.edit_guidance_note(note.id, "third", "Ming")
    assert third.text == "third" and third.who == "Ming" and third.edited_at
    assert [(e["text"], e["who"]) for e in third.earlier] == [("first", "Li"), ("second", "Wang")]
    assert third.earlier[0]["at"] == note.at


def test_remove_and_restore_a_note(desk):
    note = desk.add_guidance_note(STEP, "text", "Li")
    removed = desk.remove_guidance_note(note.id)
    assert removed.removed and desk.notes_on(STEP) == []
    assert [n.id for n in desk.guidance_notes(removed=True)] == [note.id]
    with pytest.raises(NotAllowed):
        desk.edit_guidance_note(note.id, "changed", "Li")
    assert desk.remove_guidance_note(note.id).removed_at == removed.removed_at  # kept as first
    desk.restore_guidance_note(note.id)
    assert [n.text for n in desk.notes_on(STEP)] == ["text"]


def test_move_a_note(desk):
    note = desk.add_guidance_note(STEP, "text", "Li")
    moved = desk.move_guidance_note(note.id, "fault.print")
    assert moved.on == "fault.print" and moved.text == "text"
    assert desk.notes_on(STEP) == [] and [n.id for n in desk.notes_on("fault.print")] == [note.id]


def test_flags_are_counted_and_withdrawn(desk):
    desk.flag_step(STEP, "not_our_terminal", "no cable port")
    second = desk.flag_step(STEP, "not_our_terminal")
    desk.flag_step(STEP, "wrong")
    count = desk.flag_count(STEP)
    assert count.count == 3 and count.main_reason == "not_our_terminal"
    assert count.whys == ("no cable port",)
    desk.withdraw_flag(second.id)
    assert desk.flag_count(STEP).count == 2
    assert [f.id for f in desk.step_flags(withdrawn=True)] == ["F1", "F2", "F3"]
    assert desk.most_flagged()[0].step_id == STEP


def test_a_shop_topic_changes_keeping_its_step_ids_and_notes(desk):
    topic = desk.add_own_topic("fault", "Till freezes", "", [
        {"title": "Restart"}, {"title": "Call IT"}], "Li")
    first, second = (step.id for step in topic.steps)
    assert (first, second) == ("fault.shop-1.1", "fault.shop-1.2")
    note = desk.add_guidance_note(second, "IT is Ming", "Li")
    changed = desk.change_own_topic(topic.id, who="Wang", steps=[
        {"id": second, "title": "Call IT first"}, {"title": "Unplug it"}])
    assert [s.id for s in changed.steps] == [second, "fault.shop-1.3"]  # 1 is never given again
    assert [n.id for n in desk.notes_on(second)] == [note.id]
    assert desk.kb.step(second).title.en == "Call IT first"
    assert desk.orphaned_notes() == []


def test_remove_and_restore_a_shop_topic(desk):
    topic = desk.add_own_topic("security", "Strangers at the till", "", one_step("Ask"), "Li")
    desk.remove_own_topic(topic.id)
    assert desk.kb.topic(topic.id) is None and desk.own_topics() == []
    assert [t.id for t in desk.own_topics(removed=True)] == [topic.id]
    with pytest.raises(NotAllowed):
        desk.change_own_topic(topic.id, who="Li", title="x")
    desk.restore_own_topic(topic.id)
    assert desk.kb.topic(topic.id).title.en == "Strangers at the till"


def test_own_topics_take_the_next_number_in_their_category_space(desk):
    made = [desk.add_own_topic(category, "t", "", one_step("s"), "Li").id
            for category in CATEGORIES]
    assert made == ["fault.shop-1", "maint.shop-2", "sec.shop-3", "tx.shop-4"]
    assert all(is_own_id(topic_id) == "shop" for topic_id in made)
    assert desk.kb.topic("maint.shop-2").category == "maintenance"


ADD_MANY = textwrap.dedent("""
    import sys
    from posdesk.desk import Desk
    desk = Desk(sys.argv[1])
    sys.stdin.readline()  # both processes start together
    for n in range(int(sys.argv[2])):
        desk.add_guidance_note("fault.network.cable", f"{sys.argv[3]} {n}", "Li")
        desk.flag_step("fault.network.cable", "wrong", who=sys.argv[3])
        if n % 4 == 0:
            desk.add_own_topic("fault", f"{sys.argv[3]} {n}", "", [{"title": "s"}], "Li")
""")


def test_two_processes_adding_at_once_never_take_the_same_id(home, kb):
    home.mkdir(parents=True)
    runs = [subprocess.Popen([sys.executable, "-c", ADD_MANY, str(home), "12", name],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for name in ("A", "B")]
    for run in runs:
        run.stdin.write("go\n")
        run.stdin.flush()
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    from posdesk.desk import Desk

    desk = Desk(home, kb=kb)
    notes = desk.guidance_notes()
    assert len(notes) == 24 and len({n.id for n in notes}) == 24
    assert {n.text for n in notes} == {f"{who} {n}" for who in "AB" for n in range(12)}
    flags = desk.step_flags()
    assert len({f.id for f in flags}) == 24
    topics = desk.own_topics()
    assert len({t.id for t in topics}) == 6
    assert {t.title.en for t in topics} == {f"{who} {n}" for who in "AB" for n in (0, 4, 8)}


def test_no_shipped_id_is_in_the_own_id_spaces(kb):
    ids = [topic.id for topic in kb.topics()] + [s.id for t in kb.topics() for s in t.steps]
    for item_id in ids:
        assert SHIPPED_ID.fullmatch(item_id), item_id
        assert OWN_TOPIC_ID.fullmatch(item_id) is None and OWN_STEP_ID.fullmatch(item_id) is None
        assert is_own_id(item_id) is None


@pytest.mark.parametrize("bad_id", ["fault.shop-1", "fault.net-work", "fault.Network"])
def test_a_shipped_id_outside_a_z_0_9_underscore_dot_is_a_problem(tmp_path, bad_id):
    data = json.loads(default_path().read_text(encoding="utf-8"))
    changed = copy.deepcopy(data)
    for table in ("topics", "steps"):
        for record in changed[table].values():
            for key in ("id", "topic_id"):
                if record.get(key) == "fault.network":
                    record[key] = bad_id
    for step in changed["steps"].values():
        if step["id"].startswith("fault.network."):
            step["id"] = bad_id + step["id"][len("fault.network"):]
    for code in changed["codes"].values():
        if code.get("topic_id") == "fault.network":
            code["topic_id"] = bad_id
    path = tmp_path / "guidance.json"
    path.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    problems = KnowledgeBase.open(path).problems()
    assert f"id {bad_id} uses more than a-z, 0-9, _ and ." in problems


def test_the_chains_note_and_topic_are_refused_as_the_chains_not_as_unknown(desk):
    """The walk: `note edit C1` said there was no C1 though `note list` showed it."""
    from chain_link import pretend_joined

    pretend_joined(desk.locations)
    desk.keep_chain_guidance({"pulled_at": "2026-11-25T13:00:00+08:00", "notes": [
        {"id": "C1", "on": "fault.network.router", "text": "Huawei routers: reset at the back",
         "who": "HQ", "at": "2026-11-25T12:00:00+08:00"}], "topics": [{
        "id": "fault.chain-1", "category": "fault", "title": {"zh": "总部规定", "en": "HQ rule"},
        "summary": {"zh": "", "en": ""}, "keywords": {"zh": [], "en": []},
        "steps": [{"id": "fault.chain-1.1", "order": 1, "kind": "check",
                   "title": {"zh": "问总部", "en": "Ask HQ"}, "how": {"zh": "", "en": ""},
                   "why": {"zh": "", "en": ""}}],
        "who": "HQ", "at": "2026-11-25T12:00:00+08:00"}]})
    for change in (lambda: desk.edit_guidance_note("C1", "mine now", "Li"),
                   lambda: desk.remove_guidance_note("C1")):
        with pytest.raises(NotAllowed) as caught:
            change()
        assert caught.value.reason == "chain_note_fixed"
    with pytest.raises(NotAllowed) as caught:
        desk.remove_own_topic("fault.chain-1")
    assert caught.value.reason == "chain_topic_fixed"
    assert "head office" in str(caught.value)
