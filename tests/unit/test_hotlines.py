"""The hotline follows the terminal's bank: guidance names the line of the terminal in hand, a
shop with terminals from two banks sees both, and a bank posdesk does not know is asked once."""

from __future__ import annotations

import json

import pytest

from posdesk.desk import EmptyText


def contact_step(desk, terminal_id=None):
    return desk.topic("fault.network", terminal_id).steps[-1]


def test_a_shop_with_no_terminals_has_the_line_from_its_settings(desk):
    assert "95533（中国建设银行）" in contact_step(desk).how("zh")
    assert "95533 (China Construction Bank)" in contact_step(desk).how("en")
    desk.set_hotline("95588")
    assert "95588 (Industrial and Commercial Bank of China)" in contact_step(desk).how("en")


def test_each_terminal_has_its_banks_line_and_the_shop_sees_both(desk):
    desk.save_terminal(name="Counter", bank="建行")
    desk.save_terminal(name="Mobile", bank="拉卡拉")
    assert "95533" in contact_step(desk, "T1").how("en")
    assert "95016" not in contact_step(desk, "T1").how("en")
    assert "95016 (Lakala)" in contact_step(desk, "T2").how("en")
    both = contact_step(desk).how("zh")
    assert "打终端所属那家的电话（中国建设银行 95533、拉卡拉 95016）" in both
    assert ("Call the line of whichever runs the terminal (China Construction Bank 95533, "
            "Lakala 95016)") in contact_step(desk).how("en")
    assert "{hotline}" not in both and "{unionpay}" not in desk.topic("fault.reversal").steps[-1].how("en")
    assert "95016" in desk.search("联系银行")[0].topic.steps[-1].how("en")


def test_a_code_names_the_line_too(desk):
    desk.save_terminal(name="Mobile", bank="Lakala")
    assert "{hotline}" not in desk.response_code("03").action("en")
    assert "95016" in desk.response_code("97").action("en")


def test_an_unknown_bank_is_asked_for_once_and_its_number_kept(desk):
    desk.save_terminal(name="Counter", bank="某某农商银行")
    line = desk.hotline("T1")
    assert line.unknown_bank == "某某农商银行" and line.number is None
    assert "签约合同上写的某某农商银行客服电话" in contact_step(desk, "T1").how("zh")
    with pytest.raises(EmptyText):
        desk.set_bank_line("某某农商银行", "   ")
    assert desk.set_bank_line(" 某某农商银行 ", "0898-12345678").number == "0898-12345678"
    assert desk.hotline("T1").unknown_bank is None
    assert "0898-12345678（某某农商银行）" in contact_step(desk, "T1").how("zh")
    desk.save_terminal(name="Second", bank="某某农商银行")  # the same bank: not asked again
    assert desk.hotline("T2").number == "0898-12345678"


def test_the_escalation_records_the_terminals_line(desk):
    desk.save_terminal(name="Mobile", bank="拉卡拉")
    incident = desk.open_incident(desk.new_incident("fault.network", terminal_id="T1"))
    saved = desk.escalate(incident.id, "Cannot connect since 9:00")
    assert saved.incident.escalation.hotline == "95016"


def test_hand_edited_bank_lines_that_are_not_numbers_are_left_out(desk, home):
    desk.set_hotline("95533")
    settings_file = next(home.glob("settings*.json"), None)
    data = desk.store.settings().to_dict()
    assert data["bank_lines"] == {}
    from posdesk.models import Settings

    bad = {"bank_lines": {"某行": 12, "另一行": " "}, "hotline": "95533"}
    assert Settings.from_dict(bad).bank_lines == {}
    assert {p.field for p in Settings.problems(bad)} == {"bank_lines.某行", "bank_lines.另一行"}
    assert Settings.problems({"bank_lines": ["x"]})[0].field == "bank_lines"
    assert settings_file is None or json.loads(settings_file.read_text())


def test_a_step_that_only_finds_something_out_is_noted_never_fixed(desk, kb):
    info = next(s for t in kb.topics("fault") for s in t.steps if s.gathers_info)
    incident = desk.open_incident(desk.new_incident(info.topic_id))
    with pytest.raises(ValueError, match="cannot be marked 'fixed'"):
        desk.record_attempt(incident.id, info.id, "fixed")
    saved = desk.record_attempt(incident.id, info.id, "noted", "cable to the router")
    assert saved.incident.status == "open"
    check = next(s for s in kb.topic(info.topic_id).steps if s.kind == "check")
    with pytest.raises(ValueError, match="cannot be marked 'noted'"):
        desk.record_attempt(incident.id, check.id, "noted")
    assert desk.step_records(info.topic_id) == {}  # noted is not "tried"


def test_guidance_does_not_wait_on_records_that_cannot_be_read(home, kb):
    """A clerk with a customer waiting reads guidance even when the shop's records are damaged:
    the bank's line is then the one in the merchant contract."""
    from posdesk.desk import Desk

    home.mkdir()
    (home / "posdesk.json").write_text("{not json", encoding="utf-8")
    desk = Desk(home, kb=kb)
    how = desk.topic("fault.network").steps[-1].how("zh")
    assert "签约合同上写的客服电话" in how and "{hotline}" not in how
    assert "merchant contract" in desk.response_code("03").action("en")
    assert desk.search("联系银行")
