"""Start-up leaves the garbage collector's passes until the first screen is up
(posdesk/ui/memory.py), and then switches it on again."""

from __future__ import annotations

import gc

from pilot_helpers import until
from posdesk.ui.app import PosdeskApp
from posdesk.ui.memory import hold_collections, resume_collections


async def test_the_collector_runs_again_once_the_first_screen_is_up(desk):
    hold_collections()  # as `posdesk` does before it imports the app
    try:
        assert not gc.isenabled()
        app = PosdeskApp(desk, "en")
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, gc.isenabled, what="the collector switched on again")
    finally:
        resume_collections()  # never leave the test run without a collector


def test_a_collector_switched_off_elsewhere_stays_off():
    gc.disable()
    try:
        hold_collections()
        resume_collections()
        assert not gc.isenabled()
    finally:
        gc.enable()
