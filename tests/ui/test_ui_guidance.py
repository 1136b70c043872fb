"""The four guidance tabs, the language switch, the cheat sheet and the command palette,
driven through keys as a person would."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import OptionList

from posdesk.desk import Desk
from posdesk.ui.app import PosdeskApp
from pilot_helpers import (offset_of, screen_text, settle, until, until_closed, until_found,
                           until_screen, until_shown, until_tab)
from posdesk.ui.dialogs.help import HelpScreen
from posdesk.ui.widgets.bars import KeyBar, TabBar
from posdesk.ui.widgets.topic_view import StepCard, TopicView, wrappable

SIZE = (80, 24)


def active_view(app: PosdeskApp) -> TopicView:
    category = app.query_one(TabBar).active
    return app.default_screen.pane(category).view


@pytest.fixture
def app(desk) -> PosdeskApp:
    return PosdeskApp(desk, "en")


@pytest.mark.parametrize(
    ("key", "category", "tab_title"),
    [("1", "fault", "Faults"), ("2", "maintenance", "Maintenance"),
     ("3", "security", "Security"), ("4", "transaction", "Transactions")],
)
async def test_each_tab_lists_its_topics_and_shows_the_first(app, kb, key, category, tab_title):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        await until_tab(pilot, category)
        assert app.query_one(TabBar).active == category
        topics = kb.topics(category)
        topic_list = app.default_screen.pane(category).query_one(OptionList)
        assert topic_list.option_count == len(topics)
        assert topic_list.has_focus
        view = active_view(app)
        assert view.topic.id == topics[0].id
        assert len(view.query(StepCard)) == len(topics[0].steps)
        assert tab_title in screen_text(app)


async def test_moving_down_the_list_shows_that_topics_guidance(app, kb):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down")
        await until(pilot, lambda: active_view(app).topic.id == kb.topics("fault")[2].id,
                    what="the third topic shown")
        topic = kb.topics("fault")[2]
        assert active_view(app).topic.id == topic.id
        assert topic.steps[0].how.en in screen_text(app)
        await pilot.press("enter")
        assert active_view(app).has_focus


async def test_tabs_are_built_only_when_first_shown(app):
    async with app.run_test(size=SIZE) as pilot:
        assert [pane.id for pane in app.query("#panes > *")] == ["pane-fault"]
        await pilot.press("3")
        await until_tab(pilot, "security")
        assert [pane.id for pane in app.query("#panes > *")] == ["pane-fault", "pane-security"]
        assert app.default_screen.pane("security").query_one(OptionList).has_focus
        assert not app.default_screen.pane("fault").display


async def test_language_key_switches_everything_to_chinese_and_back(app, kb, desk):
    fault = kb.topics("fault")[0]
    how_zh = wrappable(fault.steps[0].how.zh, "zh")  # as drawn: no spaces around Latin words
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await until_shown(pilot, how_zh)  # the last part to change
        shown = screen_text(app)
        assert app.lang == "zh"
        assert "故障" in shown and "交易安全" in shown
        assert fault.title.zh in shown and how_zh in shown
        assert fault.steps[0].how.en not in shown
        assert "退出" in str(app.screen.query_one(KeyBar).render())
        await pilot.press("l")
        await until_shown(pilot, fault.steps[0].how.en)
        assert fault.steps[0].how.en in screen_text(app)
        assert "Quit" in str(app.screen.query_one(KeyBar).render())
    assert Desk(desk.store.home).settings().language == "en"  # the choice is remembered


async def test_language_choice_is_remembered_for_next_start(desk):
    async with PosdeskApp(desk, "en").run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await until(pilot, lambda: desk.settings().language == "zh", what="the choice saved")
    assert desk.settings().language == "zh"


async def test_question_mark_opens_the_cheat_sheet_and_escape_closes_it(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await until_screen(pilot, HelpScreen)
        assert isinstance(app.screen, HelpScreen)
        sheet = screen_text(app)
        for word in ("Quit", "Find", "Tabs", "1-5", "^p", "esc"):
            assert word in sheet, word
        await pilot.press("escape")
        await until_closed(pilot, HelpScreen)
        assert not isinstance(app.screen, HelpScreen)


async def test_cheat_sheet_follows_the_language(desk):
    async with PosdeskApp(desk, "zh").run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await until_screen(pilot, HelpScreen)
        assert "退出" in screen_text(pilot.app) and "按键一览" in screen_text(pilot.app)


async def test_command_palette_finds_a_step_by_chinese_words_and_opens_it(app, kb):
    target = kb.topic("fault.print")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await until_screen(pilot, CommandPalette)
        await pilot.press(*"打印")
        await until_found(pilot, "打印")
        await pilot.press("enter")
        await until(pilot, lambda: active_view(app).topic.id == target.id, what="the topic found")
        assert app.query_one(TabBar).active == "fault"
        assert active_view(app).topic.id == target.id


async def test_command_palette_opens_a_topic_in_another_tab_by_english_words(app, kb):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await until_screen(pilot, CommandPalette)
        await pilot.press(*"tamper")
        await until_found(pilot, "tamper")
        await pilot.press("enter")
        await until_tab(pilot, "security")
        assert app.query_one(TabBar).active == "security"
        assert "tamper" in active_view(app).topic.searchable() or any(
            "tamper" in step.searchable() for step in active_view(app).topic.steps)


async def test_opening_a_step_scrolls_to_it_and_marks_it(app, kb):
    topic = kb.topic("fault.network")
    step = topic.steps[-1]
    async with app.run_test(size=SIZE) as pilot:
        await app.default_screen.open_guidance(topic.id, step.id)
        await until(pilot, lambda: active_view(app).scroll_y > 0, what="the step scrolled to")
        card = next(c for c in active_view(app).query(StepCard) if c.step.id == step.id)
        assert card.has_class("found")
        assert active_view(app).scroll_y > 0


async def test_quit_key_closes_the_app(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, what="the app to close")
    assert app.return_code == 0


def test_every_key_of_posdesk_is_described_in_both_languages():
    import importlib
    import pkgutil

    import posdesk.ui
    from posdesk.ui.keys import description_key

    modules = [importlib.import_module(info.name)
               for info in pkgutil.walk_packages(posdesk.ui.__path__, "posdesk.ui.")]
    owners = [v for m in modules for v in vars(m).values()
              if isinstance(v, type) and v.__module__ == m.__name__ and "BINDINGS" in vars(v)]
    assert len(owners) > 15  # the app, the main screen, every dialog and screen, the panes
    for owner in owners:
        for binding in owner.BINDINGS:
            assert description_key(binding), (owner.__name__, binding.action)


async def test_tabs_keys_and_what_a_topic_offers_answer_the_mouse(app):
    from posdesk.ui.screens.troubleshoot import TroubleshootScreen

    async with app.run_test(size=SIZE) as pilot:
        bar = app.query_one(TabBar)
        await pilot.click(TabBar, offset=offset_of(bar, "Security"))
        await until_tab(pilot, "security")
        assert bar.active == "security" and app.default_screen.pane("security").display
        await pilot.click(TabBar, offset=offset_of(bar, "Faults"))
        await until_tab(pilot, "fault")
        assert bar.active == "fault"

        await pilot.click(KeyBar, offset=offset_of(app.query_one(KeyBar), "Keys"))
        await until_screen(pilot, HelpScreen)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await until_closed(pilot, HelpScreen)

        head = active_view(app).query_one(".topic-head")
        await pilot.click(head, offset=offset_of(head, "Troubleshoot this fault"))
        await until_screen(pilot, TroubleshootScreen)
        assert isinstance(app.screen, TroubleshootScreen)


async def test_the_guidance_names_the_hotline_of_the_terminals_on_record(app, desk):
    """The fault on screen names the shop's own line; once a terminal from another bank is on
    record, coming back from the terminals names both lines."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        if app.screen is not app.default_screen:
            await pilot.press("escape")
        view = active_view(app)
        assert "95533 (China Construction Bank)" in view.topic.steps[-1].how("en")
        desk.save_terminal(name="Counter", bank="CCB")
        desk.save_terminal(name="Mobile", bank="拉卡拉")
        await pilot.press("T")
        await until_screen(pilot, having="#terminals-message")
        await pilot.press("escape")
        await until(pilot, lambda: "Lakala 95016" in active_view(app).topic.steps[-1].how("en"),
                    what="the guidance naming both lines")
        assert "(China Construction Bank 95533, Lakala 95016)" in (
            active_view(app).topic.steps[-1].how("en"))
