"""What a new user met trying knowledge base v2 (issue 12) in a real terminal, written down as
tests before anything was changed."""

from __future__ import annotations

import pytest

from pilot_helpers import settle, until, until_screen
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.code_lookup import CodeLookup


def drawn_lines(widget) -> list[str]:
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


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
