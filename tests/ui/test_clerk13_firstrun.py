"""Issue 13, as a clerk meets it: the first start, the routines it introduces, a tamper finding,
and a small window."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Checkbox, Input

from pilot_helpers import (open_topic, past_today, screen_text, settle, until, until_closed,
                           until_main, until_screen, until_shown, until_typing)
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.mark_done import MarkDone
from posdesk.ui.dialogs.dialog import SETTLE_SECONDS
from posdesk.ui.widgets.bars import KeyBar, TabBar


def _shown_line(bar) -> str:
    """What a one-line bar shows in its width (the rest is cut off)."""
    strip = bar.render_lines(bar.region.reset_offset)[0]
    return strip.text


# Small windows


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_60_column_window_shows_every_tab_and_how_to_quit(desk, lang):
    app = PosdeskApp(desk, lang)
    async with app.run_test(size=(60, 20)) as pilot:
        await past_today(pilot)
        tabs = _shown_line(app.query_one(TabBar))
        for number in "12345":
            assert f"{number} " in tabs, tabs
        assert "…" not in tabs
        incidents = "记录" if lang == "zh" else "Incidents"
        assert incidents[:3] in tabs
        keys = _shown_line(app.screen.query_one(KeyBar))
        assert " q " in keys and " ? " in keys, keys
        assert "…" not in keys
        await pilot.press("5")
        await settle(pilot)
        keys = _shown_line(app.screen.query_one(KeyBar))
        assert " q " in keys and " ? " in keys, keys


async def test_the_incident_search_box_is_on_screen_at_60_columns(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=(60, 20)) as pilot:
        await past_today(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("slash")
        await until(pilot, lambda: isinstance(app.focused, Input)
                    and app.focused.id == "filter-text", what="the search box focused")
        box = app.focused.region
        assert box.width >= 10 and box.right <= 60 and box.bottom <= 20, box


@pytest.mark.parametrize(("topic_id", "key", "lang"), [
    ("sec.tamper_inspection", "d", "en"), ("tx.void_refund", "k", "en"),
    ("tx.fake_bank_staff", "k", "zh")])
async def test_a_checklist_item_wraps_instead_of_being_cut_at_80x24(desk, topic_id, key, lang):
    desk.save_terminal(name="Front", serial="SN-100")
    app = PosdeskApp(desk, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_topic(pilot, topic_id)
        await pilot.press(key)
        dialog = await until_screen(pilot, MarkDone)
        await settle(pilot)
        for box in dialog.query(Checkbox):
            drawn = "".join(strip.text for strip in box.render_lines(box.region.reset_offset))
            assert "".join(str(box.label).split()) in "".join(drawn.split()), drawn


# A tamper finding


async def test_a_tamper_finding_says_what_to_do_next_and_the_incident_offers_it(desk):
    desk.save_terminal(name="Front", serial="SN-100", bank="中国建设银行")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_topic(pilot, "sec.tamper_inspection")
        await pilot.press("d")
        dialog = await until_screen(pilot, MarkDone)
        for box in dialog.query(Checkbox):
            box.value = True
        dialog.query_one("#serial-seen", Input).value = "SN-999"
        dialog.query_one("#done-who", Input).focus()
        await pilot.press(*"Li", "ctrl+s")
        await until_shown(pilot, "Stop using")
        said = screen_text(app)
        assert "unplug" in said and "95533" in said, said
        await asyncio.sleep(SETTLE_SECONDS)  # read: enter no sooner closes them (adversary 13)
        await pilot.press("enter")
        await until_main(pilot)
    (incident,) = desk.incidents()
    topic = desk.topic(incident.topic_id)
    assert topic.id != "sec.tamper_inspection"
    assert [s.kind for s in topic.steps][-1] == "contact_bank"
    assert not any("photo" in s.title("en").casefold() for s in topic.steps)
    assert "95533" in topic.steps[-1].how("en")


# The first run


async def test_first_run_asks_for_shop_terminal_and_bank_and_is_not_asked_again(desk):
    app = PosdeskApp(desk, "en", offer_set_up=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_shown(pilot, "Shop name")
        await pilot.press(*"Lucky Mart", "ctrl+s")
        await until_shown(pilot, "Merchant number")  # the terminal form
        form = app.screen
        form.query_one("#field-name", Input).value = "Front counter"
        form.query_one("#field-bank", Input).value = "Ningbo Bank"
        form.query_one("#field-merchant_no", Input).value = "105000012345"
        form.query_one("#field-serial", Input).value = "SN-778"
        form.query_one("#field-model", Input).value = "LANDI A8"
        await pilot.press("ctrl+s")
        await until_shown(pilot, "Ningbo Bank")  # its service line is asked for
        await until_typing(pilot)
        await pilot.press(*"0574-12345", "enter")
        await until_main(pilot)
        await settle(pilot)
    settings = desk.settings()
    assert settings.shop == "Lucky Mart" and settings.set_up == "done"
    (terminal,) = desk.terminals()
    assert (terminal.name, terminal.merchant_no, terminal.serial, terminal.model) == (
        "Front counter", "105000012345", "SN-778", "LANDI A8")
    assert desk.hotline("T1").number == "0574-12345"
    again = PosdeskApp(desk, "en", offer_set_up=True)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Shop name" not in screen_text(again)


async def test_one_key_skips_the_whole_set_up_and_it_is_offered_again_in_settings(desk):
    app = PosdeskApp(desk, "zh", offer_set_up=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_shown(pilot, "店名")
        await pilot.press("escape")
        await until_main(pilot)
        await settle(pilot)
        assert desk.settings().set_up == "skipped" and not desk.terminals()
        await pilot.press("comma")
        await until(pilot, lambda: app.screen.query("#settings-set-up"), what="the button")
        assert "重新设置" in str(app.screen.query_one("#settings-set-up").label)
        await pilot.click("#settings-set-up")
        await until_shown(pilot, "店名")


async def test_what_was_saved_stays_when_the_set_up_is_left_half_way(desk):
    app = PosdeskApp(desk, "en", offer_set_up=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_shown(pilot, "Shop name")
        await pilot.press(*"Lucky Mart", "ctrl+s")
        await until_shown(pilot, "Merchant number")
    assert desk.settings().shop == "Lucky Mart"
    assert desk.settings().set_up is None  # left half-way: offered again next time
    again = PosdeskApp(desk, "en", offer_set_up=True)
    async with again.run_test(size=(80, 24)) as pilot:
        await until_shown(pilot, "Shop name")
        assert again.screen.query_one("#set-up-shop", Input).value == "Lucky Mart"


# Routines introduced calmly


async def test_the_first_day_does_not_announce_every_routine_at_once(desk):
    app = PosdeskApp(desk, "en", offer_set_up=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_shown(pilot, "Shop name")
        await pilot.press("escape")
        await until_main(pilot)
        await settle(pilot)
    due = desk.due()
    assert due and all(state.every == "1d" for state in due)
    assert len(due) <= 2
    assert all(state.last_done is None for state in desk.routine_states())  # nothing marked
