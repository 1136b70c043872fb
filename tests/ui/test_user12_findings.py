"""What a new user met trying knowledge base v2 (issue 12) in a real terminal, written down as
tests before anything was changed."""

from __future__ import annotations

import pytest

from pilot_helpers import (settle, until, until_closed, until_main, until_opened, until_screen,
                           until_shown)
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.code_lookup import CodeLookup
from posdesk.ui.dialogs.text_prompt import TextPrompt
from posdesk.ui.screens.terminals import TerminalsScreen
from posdesk.ui.widgets.topic_view import StepCard


def drawn_lines(widget) -> list[str]:
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


def last_step_drawn(app) -> str:
    """The last step of the topic on screen, as drawn."""
    card = list(app.default_screen.pane("fault").view.query(StepCard))[-1]
    return "".join(line.strip(" ▌") for line in drawn_lines(card))


@pytest.mark.parametrize("lang, size", [("zh", (60, 20)), ("en", (80, 24))])
async def test_the_button_a_code_offers_is_on_screen_when_tab_reaches_it(desk, lang, size):
    """Code 22's long advice pushed "Troubleshoot: …" below the dialog's edge: tab reached a
    button nobody could see, under a hint that said to press it."""
    app = PosdeskApp(desk, lang)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await until_screen(pilot, CodeLookup)
        await pilot.press("2", "2", "enter")
        await until(pilot, lambda: app.screen.query_one("#code-start").display,
                    what="the code's button")
        await pilot.press("tab")
        button = app.screen.query_one("#code-start")
        await until(pilot, lambda: app.screen.focused is button, what="the button focused")
        await pilot.pause()

        def seen() -> bool:
            geometry = app.screen.find_widget(button)
            return geometry.clip.contains_region(geometry.region)

        await until(pilot, seen, what="the focused button inside the dialog's visible part",
                    timeout=3)


@pytest.mark.parametrize("code, number", [("25", "95533"), ("00", "00")])
async def test_a_chinese_code_answer_does_not_break_its_line_before_a_number(desk, code, number):
    """"…顾客确实被扣了款，打" ended one line and "95533（中国建设银行）核实…" began the next:
    the line broke at the space before the number, as the guidance no longer does."""
    app = PosdeskApp(desk, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await until_screen(pilot, CodeLookup)
        await pilot.press(*code, "enter")
        result = app.screen.query_one("#code-result")
        await until(pilot, lambda: "收银员该做" in "".join(drawn_lines(result)),
                    what="the code's answer")
        lines = drawn_lines(result)[1:]  # the first line is the code itself
        assert not any(line.startswith(number) for line in lines), "\n".join(lines)


async def add_terminal(pilot, name: str, bank: str) -> None:
    """On the terminals screen: a, the name, the bank, ctrl+s."""
    app = pilot.app
    await pilot.press("a")
    form = await until_opened(pilot)
    form.query_one("#field-name").value = name
    form.query_one("#field-bank").value = bank
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(app.screen, (TerminalsScreen, TextPrompt)),
                what="the form closed")


async def test_guidance_names_the_new_terminals_line_without_a_restart(desk):
    """Terminals added, the guidance still said only 95533 (中国建设银行) until posdesk was
    started again: the list the new bank's line came from was read once, at start."""
    app = PosdeskApp(desk, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "95533" in last_step_drawn(app)
        await pilot.press("T")
        await until_screen(pilot, TerminalsScreen)
        await add_terminal(pilot, "收银台一号机", "拉卡拉")
        await pilot.press("escape")
        await until_main(pilot)
        await until(pilot, lambda: "95016" in last_step_drawn(app),
                    what="Lakala's line in the guidance on screen", timeout=3)


async def test_guidance_follows_the_shops_line_changed_in_settings(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("comma")
        dialog = await until_opened(pilot)
        dialog.query_one("#hotline").value = "95566"
        await pilot.press("ctrl+s")
        await until_main(pilot)
        await until(pilot, lambda: "95566 (Bank of China)" in last_step_drawn(app),
                    what="the new line in the guidance on screen", timeout=3)


async def test_the_question_for_an_unknown_banks_number_starts_with_the_bank(desk):
    """In Chinese the question began "posdesk 不知道…": the line broke after the Latin name, so
    "posdesk" stood alone like a title, and the screen calls itself POS 机服务台 anyway."""
    app = PosdeskApp(desk, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await until_screen(pilot, TerminalsScreen)
        await add_terminal(pilot, "二号机", "青田农商银行")
        prompt = await until_screen(pilot, TextPrompt)
        question = prompt.query_one(".dialog-title")
        first = drawn_lines(question)[0]
        assert "青田农商银行" in first and "posdesk" not in first, first
        await pilot.press("escape")
        await until_closed(pilot, TextPrompt)
