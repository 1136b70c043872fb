"""The shop's own topics on the guidance tabs, driven through keys as a shop owner would: written
in a form, listed and marked as the shop's, found, troubleshot and recorded like a shipped topic;
changed, removed and restored; and notes a newer knowledge base left without their step."""

from __future__ import annotations

import json

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, OptionList

from chain_link import pretend_joined
from pilot_helpers import (open_incidents_tab, open_topic, past_today, screen_text, settle,
                           start_flow, until, until_closed, until_main, until_marked,
                           until_screen, until_shown, until_tab)
from posdesk.desk import Desk
from posdesk.kb import KnowledgeBase
from posdesk.kb import default_path
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.confirm import Confirm
from posdesk.ui.dialogs.orphans import NotePlace, Orphans
from posdesk.ui.dialogs.removed_topics import RemovedTopics
from posdesk.ui.dialogs.topic_form import StepFields, TopicForm
from posdesk.ui.screens.incident import IncidentScreen
from posdesk.ui.screens.troubleshoot import TroubleshootScreen
from posdesk.ui.widgets.topic_view import StepCard

SIZE = (80, 24)

TILL = {"title": "收银机卡住", "summary": "收银机死机时先这样做",
        "steps": [{"title": "重启收银机", "how": "长按电源键十秒", "why": "多数卡住重启就好"},
                  {"title": "Call the bank", "how": "Ring the hotline", "why": "They can see it",
                   "kind": "contact_bank"}]}


def add_till_topic(desk: Desk):
    return desk.add_own_topic("fault", TILL["title"], TILL["summary"], TILL["steps"], "老王")


def option_texts(option_list: OptionList) -> list[str]:
    return [str(option_list.get_option_at_index(n).prompt)
            for n in range(option_list.option_count)]


async def show_topic(pilot, topic_id: str) -> None:
    """Past the start-up lookup (an open incident brings up its list), the topic on its tab."""
    await past_today(pilot)
    await open_topic(pilot, topic_id)


async def press_button(pilot, button) -> None:
    """Tab to a button and press enter, as at the keyboard (the form scrolls to it)."""
    button.focus()
    await pilot.pause()
    await pilot.press("enter")


async def leave_flow(pilot) -> None:
    """esc out of the flow (and the note for the bank it brought up at the bank step)."""
    while any(isinstance(s, TroubleshootScreen) for s in pilot.app.screen_stack):
        await pilot.press("escape")
        await pilot.pause()
    await until_main(pilot)


async def type_into(pilot, field: Input, text: str) -> None:
    field.focus()
    await pilot.pause()
    await pilot.press(*text)


async def test_a_topic_written_on_the_faults_tab_is_listed_as_the_shops_and_saved(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await pilot.press("t")
        form = await until_screen(pilot, TopicForm)
        assert "New topic of the shop's: Faults" in screen_text(app)
        # The title in Chinese, its summary in English: each as typed.
        await pilot.press(*"till frozen")  # the first field: the title, Chinese box
        await type_into(pilot, form.query_one(".pair-topic-summary .en", Input), "When it hangs")
        step = form.query_one(StepFields)
        await type_into(pilot, step.query_one(".title.en", Input), "Restart the till")
        await type_into(pilot, step.query_one(".how.en", Input), "Hold the power key")
        await pilot.press("ctrl+n")  # a second step
        await until(pilot, lambda: len(form.query(StepFields)) == 2, what="a second step")
        assert isinstance(form.focused, Input) and "Step 2" in screen_text(app)
        await pilot.press(*"Call the bank")
        form.query_one("#calls-bank").value = True
        await type_into(pilot, form.query_one("#topic-who", Input), "Wang")
        await pilot.press("ctrl+s")
        await until_closed(pilot, TopicForm)
        pane = app.default_screen.pane("fault")
        await until(pilot, lambda: pane.view.topic and pane.view.topic.id == "fault.shop-1",
                    what="the new topic shown")
        listed = option_texts(pane.topic_list)
        assert listed[-1] == "[shop] till frozen"
        assert not any(text.startswith("[") for text in listed[:-1])  # shipped: no badge
        assert "Restart the till" in screen_text(app)
    (topic,) = desk.own_topics()
    assert topic.title.zh == topic.title.en == "till frozen"
    assert [(s.title.en, s.kind) for s in topic.steps] == [
        ("Restart the till", "check"), ("Call the bank", "contact_bank")]
    assert topic.who == "Wang"


async def test_an_empty_title_or_no_step_is_said_in_one_line_and_nothing_typed_is_lost(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await pilot.press("t")
        form = await until_screen(pilot, TopicForm)
        await type_into(pilot, form.query_one(".pair-topic-summary .zh", Input), "先看看")
        await type_into(pilot, form.query_one("#topic-who", Input), "Wang")
        await pilot.press("ctrl+s")
        await until_shown(pilot, "Give the topic a title.")
        assert form.query_one(".pair-topic-title .zh", Input).has_focus
        # Its one step taken out: the form says so, and saving says a step is wanted.
        await pilot.press(*"卡纸")
        await press_button(pilot, form.query_one(".step-remove"))
        await until(pilot, lambda: not form.query(StepFields), what="the step removed")
        assert "No steps yet" in screen_text(app)
        await pilot.press("ctrl+s")
        await until_shown(pilot, "A topic needs at least one step.")
        assert app.screen is form
        assert form.query_one(".pair-topic-summary .zh", Input).value == "先看看"
        assert form.query_one(".pair-topic-title .zh", Input).value == "卡纸"
        # esc once warns; nothing is saved.
        await pilot.press("escape")
        await until_shown(pilot, "Not saved yet")
        assert app.screen is form
    assert desk.own_topics() == []


async def test_steps_are_moved_and_a_step_with_text_is_removed_only_when_asked_twice(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await pilot.press("4")
        await until_tab(pilot, "transaction")
        await pilot.press("t")
        form = await until_screen(pilot, TopicForm)
        await pilot.press(*"Refund rules")
        for n, title in enumerate(("first", "second", "third")):
            if n:
                await pilot.press("ctrl+n")
                await until(pilot, lambda: len(form.query(StepFields)) == n + 1, what="a step")
            await type_into(pilot, form.query(StepFields)[n].query_one(".title.en", Input), title)
        await pilot.press("ctrl+up")  # "third" goes above "second"
        await press_button(pilot, form.query(StepFields)[0].query_one(".step-down"))
        await pilot.pause()
        order = [s.query_one(".title.en", Input).value for s in form.query(StepFields)]
        assert order == ["third", "first", "second"]
        remove = form.query(StepFields)[1].query_one(".step-remove")
        await press_button(pilot, remove)
        await until_shown(pilot, "Step 2 has text in it: press again to remove it.")
        assert len(form.query(StepFields)) == 3
        await until(pilot, lambda: not remove.has_class("-active"), what="the press over")
        await pilot.press("enter")
        await until(pilot, lambda: len(form.query(StepFields)) == 2, what="the step removed")
        await type_into(pilot, form.query_one("#topic-who", Input), "Li")
        await pilot.press("ctrl+s")
        await until_closed(pilot, TopicForm)
    (topic,) = desk.own_topics()
    assert topic.id == "tx.shop-1" and topic.category == "transaction"
    assert [s.title.en for s in topic.steps] == ["third", "second"]


async def test_a_shop_topic_is_found_troubleshot_and_recorded_like_a_shipped_one(desk):
    topic = add_till_topic(desk)
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        # Found with the main screen's search, and opened on its tab.
        await pilot.press("ctrl+p")
        palette = await until_screen(pilot, CommandPalette)
        await pilot.press(*"收银机卡住")
        await until(pilot, lambda: any("收银机卡住" in str(o.prompt) for o in
                                       palette.query_one("CommandList").options),
                    what="the palette to find the shop's topic")
        found = next(o for o in palette.query_one("CommandList").options
                     if "收银机卡住" in str(o.prompt))
        assert "Faults (the shop's)" in str(found.prompt)  # told apart from a shipped topic
        await pilot.press("enter")
        await until_main(pilot)
        pane = app.default_screen.pane("fault")
        await until(pilot, lambda: pane.view.topic and pane.view.topic.id == topic.id,
                    what="the topic shown")
        assert len(pane.view.query(StepCard)) == 2
        # Troubleshot: its steps marked in the flow, the bank step last.
        flow = await start_flow(pilot)
        assert flow.incident.topic_id == topic.id
        assert "重启收银机" in screen_text(app)
        await pilot.press("n")
        await until_marked(pilot, flow, 1)
        await leave_flow(pilot)
        incident_id = flow.incident.id
        # Recorded: the Incidents tab lists it, its page has the step's text.
        incidents = await open_incidents_tab(pilot)
        await until_shown(pilot, "收银机卡住")
        await pilot.press("enter")
        await until_screen(pilot, IncidentScreen)
        assert incident_id in screen_text(app) and "重启收银机" in screen_text(app)
    stored = desk.incident(incident_id)
    assert stored.attempts[0].step_id == topic.steps[0].id
    del incidents


async def test_editing_keeps_step_ids_and_the_records_text(desk):
    topic = add_till_topic(desk)
    incident = desk.start_incident(topic.id)
    desk.record_attempt(incident.id, topic.steps[0].id, "not_fixed")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await show_topic(pilot, topic.id)
        await pilot.press("E")
        form = await until_screen(pilot, TopicForm)
        first = form.query(StepFields)[0]
        assert first.query_one(".title.zh", Input).value == "重启收银机"
        assert first.query_one(".title.en", Input).value == ""  # typed in one language
        assert form.query_one("#calls-bank").value  # its last step calls the bank
        field = first.query_one(".title.zh", Input)
        field.value = "先重启收银机"
        who = form.query_one("#topic-who", Input)
        assert who.value == ""  # whoever changes it says so; the author stays on record
        who.value = "Li"
        await pilot.press("ctrl+s")
        await until_closed(pilot, TopicForm)
        await until_shown(pilot, "先重启收银机")
    changed = desk.kb.topic(topic.id)
    assert [s.id for s in changed.steps] == [s.id for s in topic.steps]
    assert changed.steps[0].title.zh == changed.steps[0].title.en == "先重启收银机"
    assert changed.steps[1].contacts_bank
    attempt = desk.incident(incident.id).attempts[0]
    assert attempt.step_title.zh == "重启收银机"  # as it was when tried


async def test_a_shipped_topic_cannot_be_changed_and_the_key_says_so(desk, kb):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await pilot.press("E")
        await until(pilot, lambda: any("cannot change it" in n.message
                                       for n in app._notifications), what="the refusal told")
        (notice,) = [n for n in app._notifications if "cannot change it" in n.message]
        assert f"“{kb.topics('fault')[0].title.en}”" in notice.message
        assert "cannot change it" in notice.message
        assert app.screen is app.default_screen  # no form opened
        await pilot.press("D")
        await settle(pilot)
        assert not isinstance(app.screen, Confirm)


async def test_removing_asks_first_and_removed_topics_brings_it_back(desk):
    topic = add_till_topic(desk)
    incident = desk.start_incident(topic.id)
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await show_topic(pilot, topic.id)
        pane = app.default_screen.pane("fault")
        assert pane.topic_list.border_subtitle == "E edit · D remove"
        await pilot.press("D")
        await until_screen(pilot, Confirm)
        assert "Remove the shop's topic “收银机卡住”?" in screen_text(app)
        await pilot.press("escape")  # not this time
        await until_closed(pilot, Confirm)
        assert desk.own_topics()
        await pilot.press("D")
        await until_screen(pilot, Confirm)
        await pilot.press("enter")
        await until_closed(pilot, Confirm)
        await until(pilot, lambda: topic.id not in [t.id for t in pane.topics],
                    what="the topic off the list")
        assert "[shop]" not in " ".join(option_texts(pane.topic_list))
        assert pane.view.topic is not None and pane.view.topic.id != topic.id
        assert desk.incident(incident.id).topic_title.zh == "收银机卡住"  # the record keeps it
        await pilot.press("R")
        removed = await until_screen(pilot, RemovedTopics)
        assert option_texts(removed.query_one(OptionList)) == ["收银机卡住 (by 老王)"]
        await pilot.press("enter")
        await until_closed(pilot, RemovedTopics)
        await until(pilot, lambda: pane.view.topic and pane.view.topic.id == topic.id,
                    what="the restored topic shown")
        assert option_texts(pane.topic_list)[-1] == "[shop] 收银机卡住"
    assert [t.id for t in desk.own_topics()] == [topic.id]


async def test_chain_and_shop_badges_follow_the_language(desk):
    add_till_topic(desk)
    app = PosdeskApp(desk, "zh")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        pane = app.default_screen.pane("fault")
        assert option_texts(pane.topic_list)[-1] == "[本店] 收银机卡住"
        await pilot.press("l")
        await until(pilot, lambda: option_texts(pane.topic_list)[-1] == "[shop] 收银机卡住",
                    what="the badge in English")


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_form_scrolls_to_every_field_in_a_small_window(desk, size):
    app = PosdeskApp(desk, "zh")
    async with app.run_test(size=size) as pilot:
        await past_today(pilot)
        await pilot.press("2")
        await until_tab(pilot, "maintenance")
        await pilot.press("t")
        form = await until_screen(pilot, TopicForm)
        await pilot.press(*"清洁")
        for _ in range(2):
            await pilot.press("ctrl+n")
        await until(pilot, lambda: len(form.query(StepFields)) == 3, what="three steps")
        await pilot.press(*"擦屏幕")
        who = form.query_one("#topic-who", Input)
        who.focus()
        await pilot.pause()
        assert who.region.height and form.screen.find_widget(who)  # scrolled into sight
        await pilot.press(*"小李")
        await pilot.press("ctrl+s")
        await until_shown(pilot, "每个步骤都要有标题。")  # the first two steps have none
        assert form.query(StepFields)[0].query_one(".title.zh", Input).has_focus
        message = form.query_one("#topic-message")
        assert 0 <= message.region.y < size[1]  # the line is on screen
        save = form.query_one("#topic-save")
        assert 0 <= save.region.y < size[1]


def changed_base(tmp_path, kb: KnowledgeBase) -> KnowledgeBase:
    """A newer knowledge base: the network fault's second step dropped, the print fault's
    first step renamed (a new id), the rest as shipped."""
    raw = json.loads(default_path().read_text(encoding="utf-8"))
    dropped = kb.topic("fault.network").steps[1].id
    renamed = kb.topic("fault.print").steps[0].id
    for table in raw.values():
        for key, doc in list(table.items()):
            if doc.get("id") == dropped:
                del table[key]
            elif doc.get("id") == renamed:
                doc["id"] = renamed + "_new"
            elif isinstance(doc.get("steps"), list):
                doc["steps"] = [s for s in doc["steps"] if s != dropped]
    path = tmp_path / "guidance-newer.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return KnowledgeBase.open(path)


async def test_notes_left_orphaned_by_a_newer_base_are_listed_and_one_is_moved(
        desk, kb, home, clock, tmp_path):
    dropped = kb.topic("fault.network").steps[1]
    renamed = kb.topic("fault.print").steps[0]
    kept = kb.topic("fault.network").steps[0]
    on_dropped = desk.add_guidance_note(dropped.id, "路由器在后面的柜子里", "老王")
    on_renamed = desk.add_guidance_note(renamed.id, "paper door opens from the top", "Li")
    desk.add_guidance_note(kept.id, "still here", "Li")
    flag = desk.flag_step(dropped.id, "out_of_date", "no such light", "Li")
    newer = Desk(home, kb=changed_base(tmp_path, kb), clock=clock)
    assert newer.kb.step(dropped.id) is None and newer.kb.step(renamed.id) is None
    app = PosdeskApp(newer, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await until_shown(pilot, "3 of the shop's notes or flags are on guidance this version")
        await pilot.press("o")
        dialog = await until_screen(pilot, Orphans)
        shown = screen_text(app) + "\n".join(option_texts(dialog.query_one(OptionList)))
        for text in ("路由器在后面的柜子里", dropped.id, "老王", "paper door opens from the top",
                     renamed.id, f"Flag {flag.id}", "out of date", "no such light"):
            assert text in shown, text
        assert "still here" not in shown
        await pilot.press("down", "enter")  # the second note: attach it elsewhere
        place = await until_screen(pilot, NotePlace)
        await pilot.press(*"sale went through")
        target = renamed.id + "_new"
        listing = place.query_one(OptionList)
        await until(pilot, lambda: any(listing.get_option_at_index(n).id == target
                                       for n in range(listing.option_count)),
                    what="the renamed step found")
        listing.highlighted = next(n for n in range(listing.option_count)
                                   if listing.get_option_at_index(n).id == target)
        listing.focus()
        await pilot.press("enter")
        await until_closed(pilot, NotePlace)
        await until(pilot, lambda: any(f"Note {on_renamed.id} is now on" in n.message
                                       for n in app._notifications), what="the move told")
        assert [o.id for o in newer.orphaned_notes()] == [on_dropped.id]
        assert dialog.query_one(OptionList).option_count == 2  # one note, one flag left
        await pilot.press("escape")
        await until_closed(pilot, Orphans)
        await until_shown(pilot, "2 of the shop's notes or flags")
    # Nothing dropped: every note and flag is still there.
    assert {n.id for n in newer.guidance_notes()} == {on_dropped.id, on_renamed.id, "N3"}
    assert newer.guidance_notes(renamed.id + "_new")[0].text == "paper door opens from the top"
    assert [f.id for f in newer.step_flags()] == [flag.id]


async def test_no_orphans_no_line_and_the_key_is_not_offered(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        pane = app.default_screen.pane("fault")
        assert not pane.orphans_line.display or not pane.orphans_line.has_class("-shown")
        await pilot.press("o")
        await settle(pilot)
        assert app.screen is app.default_screen


async def test_a_chain_topic_is_marked_as_the_chains_and_cannot_be_changed(desk):
    pretend_joined(desk.locations)
    desk.keep_chain_guidance({"pulled_at": "2026-11-25T13:00:00+08:00", "notes": [], "topics": [{
        "id": "fault.chain-1", "category": "fault", "title": {"zh": "总部的收银规定", "en": "Head office till rule"},
        "summary": {"zh": "", "en": ""}, "keywords": {"zh": [], "en": []},
        "steps": [{"id": "fault.chain-1.1", "order": 1, "kind": "check",
                   "title": {"zh": "先问店长", "en": "Ask the manager"},
                   "how": {"zh": "", "en": ""}, "why": {"zh": "", "en": ""}}],
        "who": "Head office", "at": "2026-11-20T09:00:00+08:00"}]})
    add_till_topic(desk)
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await show_topic(pilot, "fault.chain-1")
        pane = app.default_screen.pane("fault")
        assert option_texts(pane.topic_list)[-2:] == ["[chain] Head office till rule",
                                                      "[shop] 收银机卡住"]
        assert pane.topic_list.border_subtitle is None  # no keys to change it offered
        await pilot.press("E")
        await until(pilot, lambda: any("“Head office till rule” is published by the chain's "
                                       "head office" in n.message for n in app._notifications),
                    what="the refusal told")
        assert app.screen is app.default_screen


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_cheat_sheet_lists_the_keys_for_the_shops_topics(desk, size):
    from posdesk.ui.dialogs.help import HelpScreen

    add_till_topic(desk)
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=size) as pilot:
        await past_today(pilot)
        await pilot.press("question_mark")
        await until_screen(pilot, HelpScreen)
        sheet = screen_text(app)
        for key, words in (("t", "New topic"), ("E", "Edit topic"), ("D", "Remove topic")):
            assert words in sheet, words
