"""Incidents below the screen: marks kept in order, resolving, escalating, closing by the bank."""

from __future__ import annotations

import pytest

from posdesk.desk import Desk, EmptyText, NotAllowed, UnknownId
from posdesk.wording import escalation_note
from kb_steps import checks, tried


def test_start_gives_a_dated_id_and_keeps_the_topic_as_it_reads_today(desk, kb):
    first = desk.start_incident("fault.network")
    second = desk.start_incident("fault.print")
    assert (first.id, second.id) == ("20261125-001", "20261125-002")
    assert first.status == "open" and first.resolution is None and first.closed_at is None
    assert first.topic_title == kb.topic("fault.network").title
    assert first.kb_version == kb.version
    assert first.opened_at == "2026-11-25T14:00:00+08:00"


def test_only_fault_topics_start_incidents(desk):
    with pytest.raises(NotAllowed):
        desk.start_incident("maint.exterior_daily")
    with pytest.raises(UnknownId):
        desk.start_incident("fault.nothing")


def test_fixed_at_step_two_resolves_by_the_shop(desk, kb):
    steps = checks(kb.topic("fault.network"))
    incident = desk.start_incident("fault.network")
    desk.record_attempt(incident.id, steps[0].id, "not_fixed", "router lights were fine")
    saved = desk.record_attempt(incident.id, steps[1].id, "fixed")
    done = saved.incident
    assert done.status == "resolved" and done.resolution == "self"
    assert [a.outcome for a in done.attempts] == ["not_fixed", "fixed"]
    assert done.attempts[0].note == "router lights were fine"
    assert done.closed_at == done.attempts[1].at
    with pytest.raises(NotAllowed):
        desk.record_attempt(incident.id, steps[2].id, "not_fixed")


def test_marks_are_kept_not_overwritten(desk, kb):
    step = checks(kb.topic("fault.print"))[0]
    incident = desk.start_incident("fault.print")
    desk.record_attempt(incident.id, step.id, "skipped")
    again = desk.record_attempt(incident.id, step.id, "not_fixed").incident
    assert [a.outcome for a in again.marks_for(step.id)] == ["skipped", "not_fixed"]
    assert again.attempts[0].at < again.attempts[1].at


def test_a_step_of_another_topic_is_refused(desk, kb):
    incident = desk.start_incident("fault.print")
    with pytest.raises(UnknownId):
        desk.record_attempt(incident.id, checks(kb.topic("fault.network"))[0].id, "fixed")


def test_resume_goes_to_the_step_after_the_last_mark(desk, kb):
    steps = kb.topic("fault.network").steps
    incident = desk.start_incident("fault.network")
    assert incident.resume_order() == 1
    desk.record_attempt(incident.id, steps[0].id, "noted")
    desk.record_attempt(incident.id, steps[1].id, "skipped")
    assert Desk(desk.store.home, kb=kb).incident(incident.id).resume_order() == 3


def test_escalate_then_reference_then_bank_closes_it(desk, kb):
    incident = desk.start_incident("fault.network")
    for step in kb.topic("fault.network").steps[:-1]:
        desk.record_attempt(incident.id, step.id, tried(step))
    note = escalation_note(desk.incident(incident.id), "en", desk.settings().hotline)
    escalated = desk.escalate(incident.id, note + "Customer waiting.").incident
    assert escalated.status == "escalated"
    assert escalated.escalation.hotline == "95533" and escalated.escalation.reference is None
    with_reference = desk.set_reference(incident.id, "  CCB-778812 ").incident
    assert with_reference.escalation.reference == "CCB-778812"
    closed = desk.close_by_bank(incident.id, "Bank reloaded the keys remotely").incident
    assert closed.status == "resolved" and closed.resolution == "bank"
    data = closed.to_dict()
    assert data["escalation"]["reference"] == "CCB-778812"
    assert data["closed_at"] and data["resolution"] == "bank"


def test_empty_escalation_note_is_refused(desk):
    incident = desk.start_incident("fault.network")
    with pytest.raises(EmptyText):
        desk.escalate(incident.id, "   \n ")
    assert desk.incident(incident.id).status == "open"


def test_closing_by_the_bank_needs_an_escalation(desk):
    incident = desk.start_incident("fault.network")
    with pytest.raises(NotAllowed):
        desk.close_by_bank(incident.id, "nothing")


def test_card_number_in_a_note_is_masked_before_storage(desk, kb):
    incident = desk.start_incident("fault.card_read")
    step = kb.topic("fault.card_read").steps[0]
    saved = desk.record_attempt(incident.id, step.id, "not_fixed", "顾客的卡 4111 1111 1111 1111 读不了")
    assert saved.masked == 1
    assert saved.incident.attempts[0].note == "顾客的卡 ****1111 读不了"
    for path in desk.store.files():
        assert "4111 1111" not in path.read_text(encoding="utf-8")


def test_escape_sequences_are_removed_and_markup_kept_as_typed(desk, kb):
    incident = desk.start_incident("fault.print")
    note = desk.add_note(incident.id, "\x1b[31m[bold]red[/] \x1b]52;c;aGk=\x07done").incident.notes[0]
    assert note.get("text") == "[bold]red[/] done"


def test_incidents_list_newest_first_and_by_status(desk, kb):
    first = desk.start_incident("fault.network")
    second = desk.start_incident("fault.print")
    desk.record_attempt(second.id, checks(kb.topic("fault.print"))[0].id, "fixed")
    assert [i.id for i in desk.incidents()] == [second.id, first.id]
    assert [i.id for i in desk.incidents("open")] == [first.id]
    assert [i.id for i in desk.unfinished_incidents()] == [first.id]


def test_escalation_note_lists_every_attempt_in_the_chosen_language(desk, kb):
    steps = checks(kb.topic("fault.print"))
    incident = desk.start_incident("fault.print", code="96")
    desk.record_attempt(incident.id, steps[0].id, "not_fixed", "纸是满的")
    desk.record_attempt(incident.id, steps[1].id, "skipped")
    note = escalation_note(desk.incident(incident.id), "zh", "95533")
    assert steps[0].title.zh in note and steps[1].title.zh in note
    assert "试了，没解决" in note and "跳过" in note and "纸是满的" in note
    assert "96" in note and "95533" in note and incident.id in note
    assert "2026-11-25 14:01" in note


def test_note_file_is_markdown_in_the_reports_folder(desk):
    incident = desk.start_incident("fault.print")
    path = desk.save_note_file(incident.id, "Printer dead. Card 4111111111111111.", "en")
    text = path.read_text(encoding="utf-8")
    assert path.parent == desk.store.home / "reports"
    assert text.startswith(f"POS terminal: note for the bank ({incident.id})")
    assert "Printer dead" in text and "****1111" in text and "```" not in text
    with pytest.raises(EmptyText):
        desk.save_note_file(incident.id, "  ", "en")


def test_hotline_is_the_shops_to_change(desk):
    desk.set_hotline(" 95533-2 ")
    assert desk.settings().hotline == "95533-2"
    with pytest.raises(EmptyText):
        desk.set_hotline("   ")
    incident = desk.start_incident("fault.print")
    assert desk.escalate(incident.id, "note").incident.escalation.hotline == "95533-2"
