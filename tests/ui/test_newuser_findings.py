"""What a new user met at the counter, written down as tests before anything was changed."""

from __future__ import annotations

from pilot_helpers import until
from posdesk.ui.app import PosdeskApp

SIZE = (80, 24)


def shown_lines(widget) -> list[str]:
    """The lines a widget draws, as a person reads them."""
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


async def test_topic_titles_are_whole_after_switching_from_chinese(desk):
    fresh = PosdeskApp(desk, "en")
    async with fresh.run_test(size=SIZE) as pilot:
        topics = fresh.default_screen.pane("fault").topic_list
        await until(pilot, lambda: topics.size.height > 0, what="the topic list drawn")
        expected = shown_lines(topics)

    switched = PosdeskApp(desk, "zh")
    async with switched.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await until(pilot, lambda: switched.lang == "en", what="English")
        topics = switched.default_screen.pane("fault").topic_list
        await until(pilot, lambda: shown_lines(topics) == expected,
                    what="the topic list drawn as in an app started in English", timeout=3)


async def test_a_first_start_tells_the_routines_due_without_a_count_of_none_overdue(desk):
    """A new shop: every routine is due today and none is late; "(0 overdue)" says nothing."""
    for lang, none_late in (("en", "0 overdue"), ("zh", "0 项已逾期")):
        app = PosdeskApp(desk, lang)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: len(app._notifications) >= 1, what="the day's notice")
            said = " ".join(n.message for n in app._notifications)
            assert "i" in said and none_late not in said, said
