"""Issue 13 below the screen: drafts kept through the desk, the note for the bank's facts, its
file as plain text, and an escalation on the timeline without the record repeated."""

from __future__ import annotations

from posdesk.desk import Desk
from posdesk.export import escalation_text
from posdesk.wording import escalation_note, incident_text, timeline
from kb_steps import checks


def test_a_draft_is_kept_across_a_restart_masked_and_dropped_once_saved(desk, kb):
    incident = desk.start_incident("fault.print")
    desk.keep_draft(incident, "bank_note", "Card 4111111111111111 failed; engineer at 9")
    again = Desk(desk.store.home, kb=kb)
    kept = again.draft(again.incident(incident.id), "bank_note")
    assert kept == "Card ****1111 failed; engineer at 9"
    again.drop_drafts(incident, "bank_note")
    assert Desk(desk.store.home, kb=kb).draft(incident, "bank_note") == ""


def test_a_draft_left_before_the_incident_was_recorded_comes_back_with_it(desk):
    unrecorded = desk.new_incident("fault.network")
    desk.keep_draft(unrecorded, "flow_note", "router red")
    assert desk.draft(desk.new_incident("fault.network"), "flow_note") == "router red"
    assert desk.draft(desk.new_incident("fault.print"), "flow_note") == ""  # another fault
    recorded = desk.open_incident(unrecorded)
    assert desk.draft(recorded, "flow_note") == "router red"
    desk.drop_drafts(recorded, "flow_note")  # used up: gone from both places
    assert desk.draft(desk.new_incident("fault.network"), "flow_note") == ""


def test_the_note_names_merchant_and_serial_numbers_in_both_languages(desk):
    till = desk.save_terminal(name="Till", merchant_no="105584012345678", serial="N7-1")
    incident = desk.start_incident("fault.print", terminal_id=till.id)
    english = escalation_note(incident, "en", "95533", desk.terminal_of(incident))
    chinese = escalation_note(incident, "zh", "95533", desk.terminal_of(incident))
    assert "Merchant number: 105584012345678" in english and "Serial number: N7-1" in english
    assert "商户号：105584012345678" in chinese and "终端序列号：N7-1" in chinese
    # Without a record of the terminal, no empty lines for them.
    assert "Merchant" not in escalation_note(desk.start_incident("fault.print"), "en", "95533")


def test_the_note_file_names_the_recorded_reference_and_has_no_markup_to_show(desk):
    incident = desk.start_incident("fault.print")
    desk.escalate(incident.id, "Printer dead.\n- tried paper\n1. restart", "CCB-1")
    text = desk.save_note_file(incident.id, "Printer dead.\n- tried paper", "en").read_text(
        encoding="utf-8")
    assert "Bank reference: CCB-1" in text
    assert "```" not in text and not text.startswith("#") and "\\" not in text
    assert [line.rstrip() for line in text.splitlines()][-2:] == ["Printer dead.", "- tried paper"]


def test_an_escalation_on_the_timeline_keeps_only_the_words_added_to_the_record(desk, kb):
    incident = desk.start_incident("fault.print")
    step = checks(kb.topic("fault.print"))[0]
    incident = desk.record_attempt(incident.id, step.id, "not_fixed").incident
    note = escalation_note(incident, "zh", "95533") + "顾客在等，请尽快上门"
    saved = desk.escalate(incident.id, note, "R-1").incident
    (at, line, words) = timeline(saved, "en")[-1]
    assert "95533" in line and "R-1" in line
    assert words == ["顾客在等，请尽快上门"]
    assert incident_text(saved, "zh").count(step.title.zh) == 1
    # A note written by hand, with no such line, is all the person's words.
    other = desk.start_incident("fault.network")
    hand = desk.escalate(other.id, "Printer dead\nsecond line").incident
    assert timeline(hand, "en")[-1][2] == ["Printer dead", "second line"]


def test_the_note_file_is_plain_text_so_no_viewer_reads_its_lines_as_markup(desk):
    """Lines a person typed such as "# 3 tries" or "<noon>" would turn into a heading or
    vanish as HTML in a Markdown viewer: the file is plain text, named so, line for line."""
    incident = desk.start_incident("fault.print")
    note = "# 3 tries, all failed\n<call back after noon>\n1. paper ok"
    path = desk.save_note_file(incident.id, note, "en")
    assert path.suffix == ".txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in note.splitlines():
        assert line in lines, lines
    assert not any(line.endswith(" ") for line in lines), lines
