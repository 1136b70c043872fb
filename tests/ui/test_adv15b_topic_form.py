"""Adversary, second round: the topic form over a topic written on the command line. Opening it
and saving a change to one field must not change what the other fields hold."""

from __future__ import annotations

from textual.widgets import Input

from pilot_helpers import open_topic, until, until_closed, until_screen
from posdesk.models import Text
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.topic_form import TopicForm

SIZE = (100, 30)

HOW = "Open the cupboard.\nThe router is on the top shelf.\n  - unplug it\n  - wait ten seconds"


async def test_changing_the_title_keeps_a_step_written_over_several_lines(desk):
    topic = desk.add_own_topic("fault", "Till frozen", "",
                               [{"title": "Restart the router", "how": HOW,
                                 "why": Text("多数卡住重启就好", "Most hangs go with a restart")}],
                               "Wang")
    assert topic.steps[0].how.en == HOW
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, topic.id)
        await pilot.press("E")
        form = await until_screen(pilot, TopicForm)
        title = form.query_one(".pair-topic-title .en", Input)
        title.value = "Till frozen solid"
        form.query_one("#topic-who", Input).value = "Li"
        await pilot.press("ctrl+s")
        await until_closed(pilot, TopicForm)
    (saved,) = desk.own_topics()
    assert saved.title.en == "Till frozen solid"
    assert saved.steps[0].how.en == HOW
    assert saved.steps[0].why == Text("多数卡住重启就好", "Most hangs go with a restart")
