"""The head office's Insights tab lists the steps the shops flag most, across the estate and
per shop, from flags the shops raised in their own posdesk and sent at their sync."""

from __future__ import annotations

import pytest

from estate import FUTIAN, SHOPS, TIANHE, build_estate
from pilot_helpers import screen_text, until_shown
from posdesk.desk.head_office import HeadOffice
from posdesk.i18n import t
from posdesk.ui.head_office.app import HeadOfficeApp

FUTIAN_NAME, TIANHE_NAME = SHOPS[FUTIAN], SHOPS[TIANHE]


@pytest.fixture
def estate(cluster, chain_db, central, tmp_path, kb):
    return build_estate(cluster, chain_db, tmp_path, kb)


async def test_the_insights_tab_shows_the_most_flagged_steps_across_the_estate_and_per_shop(
        estate, kb):
    cable, paper = kb.step("fault.network.cable"), kb.topic("fault.print").steps[0]
    futian, tianhe = estate.desks[FUTIAN], estate.desks[TIANHE]
    futian.flag_step(cable.id, "not_our_terminal", "我们用的是 WiFi", who="小王")
    tianhe.flag_step(cable.id, "wrong", who="Li")
    withdrawn = tianhe.flag_step(paper.id, "out_of_date", who="Li")
    tianhe.withdraw_flag(withdrawn.id)
    futian.sync_once(), tianhe.sync_once()
    app = HeadOfficeApp(HeadOffice(estate.dsn, clock=estate.clock, kb=kb), "en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await until_shown(pilot, t("insights.most_flagged", "en"))
        shown = screen_text(app)
        assert f"{cable.title('en')}: flagged 2×" in shown
        assert "does not apply to our terminal ×1, this step is wrong ×1" in shown
        assert f"shops: {TIANHE_NAME}, {FUTIAN_NAME}" in shown  # by shop id
        assert paper.title("en") not in shown.split(t("insights.most_flagged", "en"))[1]
        app.screen.query_one("#insights-shop").value = TIANHE
        await until_shown(pilot, f"shops: {TIANHE_NAME}\n")
        assert f"{cable.title('en')}: flagged 1×" in screen_text(app)
    app = HeadOfficeApp(HeadOffice(estate.dsn, clock=estate.clock, kb=kb), "zh")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await until_shown(pilot, t("insights.most_flagged", "zh"))
        shown = screen_text(app)
        assert f"{cable.title('zh')}：被标记 2 次" in shown and "不适用于本店的终端 1 次" in shown
