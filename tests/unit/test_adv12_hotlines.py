"""Adversarial checks of the hotline that follows the terminal's bank: what is recorded, what a
hand-edited settings file holds, and hostile bank names."""

from __future__ import annotations

import re

from posdesk.wording import incident_text

_CJK = re.compile(r"[\u4e00-\u9fff]")


def test_a_call_to_a_bank_with_no_number_reads_right_in_english(desk):
    """Nobody gave the number of the terminal's bank (the question was cancelled) and the
    incident went to the bank: the record must not hold a Chinese sentence as its 'hotline'."""
    desk.save_terminal(name="Till", bank="Ningbo Bank")
    incident = desk.start_incident("fault.network", terminal_id="T1")
    saved = desk.escalate(incident.id, "no network since 9:00").incident
    told = incident_text(saved, "en")
    assert not _CJK.search(told), told
    assert "Ningbo Bank" in saved.escalation.hotline


def test_a_bank_line_written_by_hand_in_settings_is_found(desk):
    """A shop that writes {"bank_lines": {"Ningbo Bank": "95574"}} into its settings by hand
    (capitals, a space, as the bank is named) is not asked for that number again."""
    desk.save_terminal(name="Till", bank="Ningbo Bank")
    desk.set_hotline("95533")  # the settings record exists

    def by_hand(record):
        record["bank_lines"] = {"Ningbo Bank": "95574", "宁波 银行": "0574-1"}

    with desk.store.transaction() as db:
        record = dict(db.table("settings").get(doc_id=1))
        by_hand(record)
        db.table("settings").update(record, doc_ids=[1])
    assert desk.hotline("T1").number == "95574"
    desk.save_terminal(name="Second", bank="宁波银行")
    assert desk.hotline("T2").number == "0574-1"


def test_guidance_and_codes_are_read_when_the_shops_records_cannot_be(desk, home):
    """The knowledge base is what a clerk reads when things go wrong; a damaged posdesk.json
    (which `posdesk doctor` reports) must not stop `posdesk code 00` or a fault's steps."""
    desk.save_terminal(name="Till", bank="拉卡拉")
    (home / "posdesk.json").write_text('{"settings": {"1": {', encoding="utf-8")
    code = desk.response_code("00")
    assert code.succeeded and "{" not in code.action("en")
    contact = desk.topic("fault.network").steps[-1]
    for lang in ("zh", "en"):
        assert "{hotline}" not in contact.how(lang) and contact.how(lang).strip()
    assert desk.search("POS机连不上网")[0].topic.id == "fault.network"


def test_a_bank_name_pasted_with_invisible_characters_is_still_known(desk):
    """A name copied from a web page or a chat can carry a zero-width space or a soft hyphen:
    "建\u200b行" is 建行, whose line the table has; nobody should be asked for it."""
    for bank in ("建\u200b行", "建\u00ad行", "C\u200bC\u200dB"):
        terminal = desk.save_terminal(name="Till", bank=bank)
        assert desk.hotline(terminal.id).number == "95533", repr(bank)
