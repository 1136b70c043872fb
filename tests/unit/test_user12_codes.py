"""What a new user read when looking up codes: the answer to 00 said its first line twice, and
told a clerk the money had arrived, when the base itself says it arrives a working day later."""

from __future__ import annotations

import pytest

from posdesk.i18n import t


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_codes_advice_does_not_open_with_the_line_above_it(kb, lang):
    for code in kb.codes():
        above = t(f"code.class.{code.action_class}", lang).rstrip("。.")
        assert not code.action(lang).startswith(above), (code.code, code.action(lang))


def test_an_approval_says_the_sale_went_through_not_that_the_money_arrived(kb):
    """Card money reaches the shop's account after settlement (钱没到账, step 2): "钱已收到" on
    the screen of a sale just approved promises what the bank has not done yet."""
    for said in (t("code.class.A", "zh"), kb.code("00").action("zh")):
        assert "钱已收到" not in said and "已经收到了" not in said, said
