"""The shop's notes and flags beside the guidance, driven by keys as a clerk would: added in the
flow or on the guidance tabs, shown to the next person, counted in the insights, changed,
removed and brought back, and never translated."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList, Select

from conftest import fill_up
from pilot_helpers import (open_topic, past_today, screen_text, settle, start_flow, until,
                           until_closed, until_main, until_marked, until_screen, until_shown,
                           until_told)
from posdesk.desk import Desk
from posdesk.models import FlagCount, GuidanceNote
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.confirm import Confirm
from posdesk.ui.dialogs.flag_step import FlagForm
from posdesk.ui.dialogs.guidance_note import NoteForm
from posdesk.ui.dialogs.help import HelpScreen
from posdesk.ui.dialogs.pick import Pick
from posdesk.ui.screens.troubleshoot import TroubleshootScreen
from posdesk.ui.widgets.insights_view import flagged_text
from posdesk.ui.widgets.learned import notes_text

SIZE = (80, 24)
CARD = "4111111111111111"  # passes the Luhn check: a card number


def notices(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def type_in(pilot, text: str) -> None:
    await pilot.press(*text)


async def write_note(pilot, text: str, who: str) -> None:
    """In the note dialog: the note, enter to the next field, who, enter saves."""
    await until_screen(pilot, NoteForm)
    await type_in(pilot, text)
    await pilot.press("enter")
    await type_in(pilot, who)
    await pilot.press("enter")
    await until_closed(pilot, NoteForm)


async def flag_with(pilot, reason_index: int, why: str, who: str = "") -> None:
    """In the flag dialog opened from the flow: the reason (the list's n-th, after the prompt),
    why, who, then save."""
    dialog = await until_screen(pilot, FlagForm)
    assert isinstance(dialog.focused, Select)  # the reason is asked first: the step is known
    await pilot.press("enter", *["down"] * reason_index, "enter")
    await until(pilot, lambda: dialog.query_one("#flag-reason", Select).value is not Select.NULL,
                what="a reason chosen")
    await pilot.press("tab")
    await type_in(pilot, why)
    await pilot.press("enter")
    await type_in(pilot, who)
    await pilot.press("ctrl+s")
    await until_closed(pilot, FlagForm)


async def test_a_note_added_in_the_flow_shows_on_the_topic_and_in_the_next_flow(desk, kb):
    first = kb.topic("fault.network").steps[0]
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        flow = await start_flow(pilot)
        assert "a: a note on this step" in screen_text(app)
        await pilot.press("a")
        await write_note(pilot, "router is in the back cupboard", "Wang")
        await until_shown(pilot, "router is in the back cupboard")
        assert "The shop's note (Wang" in str(flow.query_one("#flow-learned").render())
        assert "Note saved" in notices(app)
        await pilot.press("escape")
        await until_main(pilot)
        await until_shown(pilot, "router is in the back cupboard")  # on the topic, at its step
        view = app.default_screen.pane("fault").view
        card = view.query_one(f"#step-{first.order}")
        assert "router is in the back cupboard" in str(card.render())
        await start_flow(pilot)  # the next person's flow
        await until_shown(pilot, "router is in the back cupboard")
    [note] = desk.notes_on(first.id)
    assert (note.text, note.who, note.origin) == ("router is in the back cupboard", "Wang", "shop")


async def test_a_flag_shows_to_the_next_person_and_in_the_insights(desk, kb):
    first = kb.topic("fault.network").steps[0]
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        flow = await start_flow(pilot)
        await pilot.press("left")  # still step 1
        await pilot.press("x")
        await flag_with(pilot, 3, "the ME31 has no such light", "Li")
        assert "Step flagged" in notices(app)
        await until_shown(pilot, "Flagged once here: does not apply to our terminal")
        await pilot.press("d")  # the flow goes on: recorded now
        await until_marked(pilot, flow, 1)
        await pilot.press("left", "x")
        await flag_with(pilot, 3, "still no light")
        incident_id = flow.incident.id
        await pilot.press("escape")
        await until_main(pilot)
        await until_shown(pilot, "Flagged twice here: does not apply to our terminal. "
                                 "Latest reason: still no light")
        await start_flow(pilot)  # the next person, carrying on after step 1: back to it
        await pilot.press("left")
        await until_shown(pilot, "Flagged twice here")
        await pilot.press("escape")
        await until_main(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("t")  # the Incidents tab's insights
        await until_shown(pilot, "Most flagged steps")
        assert f"{first.title('en')}: flagged 2×, mostly: does not apply to our terminal" in screen_text(app)
    flags = desk.step_flags(first.id)
    assert [(f.reason, f.why, f.who) for f in flags] == [
        ("not_our_terminal", "the ME31 has no such light", "Li"),
        ("not_our_terminal", "still no light", "")]
    assert flags[0].incident_id is None  # nothing was recorded in that flow yet
    assert flags[1].incident_id == incident_id


async def test_a_flag_needs_a_reason_and_keeps_what_was_typed(desk, kb):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, "fault.print")
        await pilot.press("x")
        dialog = await until_screen(pilot, FlagForm)
        dialog.query_one("#flag-why", Input).value = "paper door opens from the top"
        await pilot.press("ctrl+s")
        await until_shown(pilot, "Choose what is wrong with the step")
        assert app.screen is dialog
        assert dialog.query_one("#flag-why", Input).value == "paper door opens from the top"
    assert desk.step_flags() == []


async def test_switching_language_translates_the_guidance_but_not_the_shops_note(desk, kb):
    first = kb.topic("fault.network").steps[0]
    desk.add_guidance_note(first.id, "路由器在后面的柜子里", "王")
    desk.add_guidance_note("fault.network", "ask for Ms Li at the bank", "Sam")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=(100, 40)) as pilot:
        await open_topic(pilot, "fault.network")
        await until_shown(pilot, "路由器在后面的柜子里")
        shown = screen_text(app)
        assert first.title("en") in shown and "The shop's note (王" in shown
        assert "The shop's note (Sam" in shown and "ask for Ms Li at the bank" in shown
        await pilot.press("l")
        await until_shown(pilot, "本店备注（王")
        shown = screen_text(app)
        assert first.title("zh") in shown and first.title("en") not in shown
        assert "路由器在后面的柜子里" in shown and "ask for Ms Li at the bank" in shown


async def test_a_note_is_changed_removed_after_asking_and_brought_back(desk, kb):
    desk.add_guidance_note("fault.print", "paper roll 57mm", "Wang")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, "fault.print")
        await until_shown(pilot, "paper roll 57mm")
        await pilot.press("m")
        await until_screen(pilot, Pick)
        await pilot.press("enter")
        form = await until_screen(pilot, NoteForm)
        assert form.query_one("#note-text", Input).value == "paper roll 57mm"
        await pilot.press("end", *" (thermal)", "ctrl+s")
        await until_closed(pilot, NoteForm)
        await until_shown(pilot, "paper roll 57mm (thermal)")
        assert "edited" in screen_text(app) and "Note changed" in notices(app)

        await pilot.press("m")
        await until_screen(pilot, Pick)
        await pilot.press("enter")
        await until_screen(pilot, NoteForm)
        await pilot.press("ctrl+r")
        await until_screen(pilot, Confirm)
        await pilot.press("escape")  # asked first: no, and nothing is removed
        await until_closed(pilot, Confirm)
        assert desk.notes_on("fault.print")
        await pilot.press("ctrl+r")
        await until_screen(pilot, Confirm)
        await pilot.press("y")
        await until_main(pilot)
        await until(pilot, lambda: "paper roll" not in screen_text(app), what="the note gone")
        assert "Press u to bring it back" in notices(app)
        assert desk.notes_on("fault.print") == []

        await pilot.press("u")
        await until_shown(pilot, "paper roll 57mm (thermal)")
        assert "Note brought back" in notices(app)
    [note] = desk.notes_on("fault.print")
    assert note.text == "paper roll 57mm (thermal)" and note.earlier[0]["text"] == "paper roll 57mm"


async def test_a_removed_note_can_be_brought_back_from_the_list_later(desk, kb):
    note = desk.add_guidance_note("fault.print", "spare rolls under the till", "Wang")
    desk.remove_guidance_note(note.id)
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, "fault.print")
        await pilot.press("m")
        pick = await until_screen(pilot, Pick)
        listed = str(pick.query_one(OptionList).get_option_at_index(0).prompt)
        assert "spare rolls under the till" in listed and "removed: enter brings it back" in listed
        await pilot.press("enter")
        await until_closed(pilot, Pick)
        await until_shown(pilot, "spare rolls under the till")
    assert [n.id for n in desk.notes_on("fault.print")] == [note.id]


async def test_keys_with_nothing_to_act_on_say_so(desk, kb):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, "fault.print")
        await pilot.press("m")
        await until(pilot, lambda: "no notes on this topic yet: press a" in notices(app),
                    what="told there are no notes")
        await pilot.press("u")
        await until(pilot, lambda: "No removed note" in notices(app), what="told none removed")
        await pilot.press("X")
        await until(pilot, lambda: "No step of this topic is flagged" in notices(app),
                    what="told there is no flag")
        assert app.screen is app.default_screen


async def test_a_flag_withdrawn_on_the_topic_is_no_longer_shown(desk, kb):
    step = kb.topic("fault.print").steps[1]
    desk.flag_step(step.id, "out_of_date", "new model", "Wang")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, "fault.print")
        await until_shown(pilot, "Flagged once here: out of date")
        await pilot.press("X")
        await until_screen(pilot, Pick)
        await pilot.press("enter")
        await until_main(pilot)
        await until(pilot, lambda: "Flagged once" not in screen_text(app), what="the flag gone")
        assert "Flag withdrawn" in notices(app)
    assert desk.step_flags() == [] and desk.step_flags(withdrawn=True)[0].withdrawn


async def test_a_card_number_in_a_note_is_masked_and_the_person_told(desk, kb):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, "fault.print")
        await pilot.press("a")
        form = await until_screen(pilot, NoteForm)
        assert "Card numbers are cut to their last four digits" in screen_text(app)
        assert isinstance(form.focused, Select)  # on the topic or which step: asked first
        await pilot.press("tab")
        await type_in(pilot, f"refund to {CARD} settled by phone")
        await pilot.press("enter")
        await type_in(pilot, "Wang")
        await pilot.press("enter")
        await until_closed(pilot, NoteForm)
        await until_told(pilot, 2)
        assert "A card number was cut to its last four digits" in notices(app)
        await until_shown(pilot, "settled by phone")
        assert CARD not in screen_text(app)
    [note] = desk.notes_on("fault.print")
    assert CARD not in note.text and note.text.endswith("1111 settled by phone")


async def test_an_empty_note_or_no_name_is_one_line_and_loses_nothing(desk, kb):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, "fault.print")
        await pilot.press("a")
        form = await until_screen(pilot, NoteForm)
        await pilot.press("ctrl+s")
        await until_shown(pilot, "The note is empty")
        form.query_one("#note-text", Input).value = "[bold]spare rolls[/] under the till"
        await pilot.press("ctrl+s")
        await until_shown(pilot, "Say who did it")
        assert form.query_one("#note-text", Input).value == "[bold]spare rolls[/] under the till"
        form.query_one("#note-who", Input).value = "Wang"
        await pilot.press("ctrl+s")
        await until_closed(pilot, NoteForm)
        await until_shown(pilot, "[bold]spare rolls[/] under the till")  # as typed, not markup


async def test_the_shops_own_topic_says_whose_it_is(desk, kb):
    topic = desk.add_own_topic("fault", "Till drawer jams", "When the drawer sticks",
                               [{"title": "Pull the tray out", "how": "lift and pull"}], "Wang")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, topic.id)
        await until_shown(pilot, "The shop's own topic, written by Wang")


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_the_keys_are_within_reach_at_small_sizes(desk, kb, size):
    """Not on the key bar (no room), so on the cheat sheet, and on the topic itself."""
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=size) as pilot:
        await open_topic(pilot, "fault.print")
        assert "?" in str(app.screen.query_one("KeyBar").render())
        await pilot.press("question_mark")
        await until_screen(pilot, HelpScreen)
        sheet = screen_text(app)
        for words in ("Add a note", "Change or remove the shop's notes",
                      "Bring back a removed note", "Flag a step", "Withdraw a flag"):
            assert words in sheet, words
        await pilot.press("escape")
        await until_main(pilot)
        assert "Add a note (a)" in screen_text(app) and "Flag a step (x)" in screen_text(app)
        await start_flow(pilot)
        await pilot.press("question_mark")
        await until_screen(pilot, HelpScreen)
        sheet = screen_text(app)
        assert "Note on this step" in sheet and "Flag this step" in sheet
        await pilot.press("escape")
        await until_screen(pilot, TroubleshootScreen)
        await pilot.press("a")  # the dialog's Save is reached by its key, whatever the size
        form = await until_screen(pilot, NoteForm)
        form.query_one("#note-text", Input).value = "small screen note"
        form.query_one("#note-who", Input).value = "Wang"
        await pilot.press("ctrl+s")
        await until_closed(pilot, NoteForm)
        await until_shown(pilot, "small screen note")


def test_the_chains_note_is_marked_as_the_chains_and_the_shops_as_the_shops():
    at = "2026-11-25T14:00:00+08:00"
    chain = GuidanceNote("C1", "fault.print", "use the chain's paper supplier", "Head office", at,
                         origin="chain")
    shop = GuidanceNote("N1", "fault.print", "纸在柜台下面", "王", at,
                        edited_at="2026-11-26T09:30:00+08:00")
    text = str(notes_text((chain, shop), "en"))
    assert "The chain's note (Head office, 2026-11-25 14:00): use the chain's paper supplier" in text
    assert "The shop's note (王, 2026-11-25 14:00, edited 2026-11-26 09:30): 纸在柜台下面" in text
    assert "连锁总部备注（Head office" in str(notes_text((chain,), "zh"))


def test_a_flagged_step_no_longer_in_the_guidance_is_still_counted_in_the_insights():
    gone = FlagCount("fault.print.old_step", "fault.print", None, 3,
                     {"out_of_date": 2, "wrong": 1}, ("new model",))
    text = str(flagged_text([gone], "en"))
    assert "no longer in the guidance (fault.print.old_step): flagged 3×, mostly: out of date" in text
    assert "被标记最多的步骤" in str(flagged_text([gone], "zh"))


async def test_a_note_that_cannot_be_saved_on_a_full_disk_is_kept_in_the_dialog(tmpfs, kb, clock):
    small_disk = tmpfs("1m")
    desk = Desk(small_disk / "home", kb=kb, clock=clock)
    desk.add_guidance_note("fault.print", "spare rolls under the till", "Wang")  # room then
    app = PosdeskApp(desk, "zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, "fault.print")
        filler = fill_up(small_disk)
        await pilot.press("a")
        form = await until_screen(pilot, NoteForm)
        form.query_one("#note-text", Input).value = "纸卷放在收银台下面"
        form.query_one("#note-who", Input).value = "王"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: str(form.query_one("#note-message").render()).startswith(
            "没有保存："), what="the reason told in the dialog")
        assert app.is_running and app.screen is form
        assert form.query_one("#note-text", Input).value == "纸卷放在收银台下面"
        filler.unlink()  # room again: the same key saves it
        await pilot.press("ctrl+s")
        await until_closed(pilot, NoteForm)
        await until_shown(pilot, "纸卷放在收银台下面")
    assert [n.text for n in desk.notes_on("fault.print")] == ["spare rolls under the till",
                                                               "纸卷放在收银台下面"]
