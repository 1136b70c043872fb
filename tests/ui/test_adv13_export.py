"""Adversary, issue 13: the Incidents tab's export when the records go bad between listing them
and writing the report (another program, a restore, a disk error): one line in the person's
language, the app still running, no file written."""

from __future__ import annotations

import pytest

from pilot_helpers import open_incidents_tab, until, until_screen
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.export_choice import ExportChoice


@pytest.mark.parametrize(("lang", "said"), [("zh", "无法读取"), ("en", "could not be read")])
async def test_an_export_of_records_gone_bad_is_told_not_a_crash(desk, lang, said):
    desk.start_incident("fault.print", note="=1+1 纸卷装反了")
    app = PosdeskApp(desk, lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_incidents_tab(pilot)
        await pilot.press("x")
        await until_screen(pilot, ExportChoice)
        (desk.home / "incidents-open.json").write_text("{not json", encoding="utf-8")
        app.clear_notifications()
        await pilot.press("enter")  # CSV
        await until(pilot, lambda: app._notifications, what="a notice")
        assert app.is_running
        (told,) = [n.message for n in app._notifications]
        assert said in told and "incidents-open.json" in told and "\n" not in told, told
    assert not list((desk.home / "reports").glob("incidents-*"))
