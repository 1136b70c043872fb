"""Adversary, second round: a chain topic with no steps at all (a row written to the central
database other than by posdesk, kept by a pass). The flag dialog and the flow start at a topic's
first step: such a topic is left out and counted, like any record that is not one, rather than
listed with keys that end the app."""

from __future__ import annotations

import pytest

from chain_link import pretend_joined
from pilot_helpers import open_topic, past_today
from posdesk.ui.app import PosdeskApp

SIZE = (100, 30)

NO_STEPS = {"id": "fault.chain-1", "category": "fault",
            "title": {"zh": "总部的收银规定", "en": "Head office till rule"},
            "summary": {"zh": "", "en": ""}, "keywords": {"zh": [], "en": []},
            "steps": [], "who": "Head office", "at": "2026-11-20T09:00:00+08:00"}


@pytest.mark.parametrize("key", ["x", "a", "s", "m", "X"])
async def test_a_chain_topic_without_steps_keeps_the_app_running(desk, key):
    pretend_joined(desk.locations)
    desk.keep_chain_guidance({"pulled_at": "2026-11-25T13:00:00+08:00", "notes": [],
                              "topics": [NO_STEPS]})
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await open_topic(pilot, "fault.print")
        listed = [topic.id for topic in app.default_screen.pane("fault").topics]
        assert "fault.chain-1" not in listed
        await pilot.press(key)
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
    assert desk.chain_topics() == [] and desk.unreadable_records() == 1
