"""A newer knowledge base ships over a data directory that has notes, flags and incidents: what
stays attached, what is listed as orphaned (desk, command line, doctor), and that nothing is
lost."""

from __future__ import annotations

import copy
import json

import pytest

from posdesk.cli import guidance as guidance_cli
from posdesk.cli import records as records_cli
from posdesk.cli.parser import build_parser
from posdesk.desk import Desk, UnknownId
from posdesk.kb import KnowledgeBase, default_path

REMOVED = "fault.network.router"  # the step the newer base drops
RETITLED = "fault.network.cable"  # same id, new title
RENAMED, RENAMED_TO = "fault.print.paper", "fault.print.paper_roll"  # the id changes
ADDED_TOPIC, ADDED_STEP = "fault.keypad", "fault.keypad.clean"


def newer_base(tmp_path) -> KnowledgeBase:
    data = json.loads(default_path().read_text(encoding="utf-8"))
    changed = copy.deepcopy(data)
    steps = changed["steps"]
    for key, step in list(steps.items()):
        if step["id"] == REMOVED:
            del steps[key]
        elif step["id"] == RETITLED:
            step["title"] = {"zh": "检查网线（新版）", "en": "Check the cable (new wording)"}
        elif step["id"] == RENAMED:
            step["id"] = RENAMED_TO
    topic = copy.deepcopy(next(t for t in changed["topics"].values() if t["id"] == "fault.print"))
    topic.update(id=ADDED_TOPIC, order=999,
                 title={"zh": "按键失灵", "en": "Keys do not respond"})
    changed["topics"][str(max(map(int, changed["topics"])) + 1)] = topic
    network = sorted((s for s in steps.values() if s["topic_id"] == "fault.network"),
                     key=lambda s: s["order"])
    for order, step in enumerate(network, start=1):
        step["order"] = order
    bank = next(s for s in steps.values() if s["id"] == "fault.print.contact_bank")
    last = max(map(int, steps))
    steps[str(last + 1)] = {**copy.deepcopy(steps["1"]), "id": ADDED_STEP,
                            "topic_id": ADDED_TOPIC, "order": 1, "kind": "check"}
    steps[str(last + 2)] = {**copy.deepcopy(bank), "id": f"{ADDED_TOPIC}.contact_bank",
                            "topic_id": ADDED_TOPIC, "order": 2}
    changed["meta"]["1"]["version"] = "2099.1.1"
    path = tmp_path / "guidance-newer.json"
    path.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    base = KnowledgeBase.open(path)
    assert base.problems() == [], base.problems()  # the newer base is a good one: only its ids moved
    return base


@pytest.fixture
def before(desk):
    """Notes and flags on each step the newer base changes, on a topic, and an incident
    that tried the step the newer base drops."""
    made = {
        "on_removed": desk.add_guidance_note(REMOVED, "router is in the back cupboard", "Li").id,
        "on_retitled": desk.add_guidance_note(RETITLED, "blue cable, left port", "Li").id,
        "on_renamed": desk.add_guidance_note(RENAMED, "paper is under the till", "Wang").id,
        "on_topic": desk.add_guidance_note("fault.network", "call Ming first", "Wang").id,
        "flag_removed": desk.flag_step(REMOVED, "wrong", "no router here", "Li").id,
        "flag_retitled": desk.flag_step(RETITLED, "not_our_terminal", "", "Li").id,
        "flag_renamed": desk.flag_step(RENAMED, "out_of_date", "", "Li").id,
    }
    removed_note = desk.add_guidance_note(RETITLED, "old advice", "Li")
    desk.remove_guidance_note(removed_note.id)
    made["removed"] = removed_note.id
    incident = desk.start_incident("fault.network")
    desk.record_attempt(incident.id, REMOVED, "not_fixed")
    made["incident"] = incident.id
    made["router_title"] = desk.kb.step(REMOVED).title
    made["export"] = desk.guidance_export()
    return made


def run_cli(desk, capsys, *argv):
    args = build_parser("en").parse_args(list(argv))
    code = guidance_cli.guidance(desk, args, "en")
    return code, *capsys.readouterr()


def test_a_newer_base_keeps_notes_and_flags_and_lists_the_orphans(home, tmp_path, before, clock,
                                                                  capsys):
    desk = Desk(home, kb=newer_base(tmp_path), clock=clock)

    # Kept attached: the retitled step and the topic, with the new title shown.
    assert [n.id for n in desk.notes_on(RETITLED)] == [before["on_retitled"]]
    assert [n.id for n in desk.notes_on("fault.network")] == [before["on_topic"]]
    assert desk.flag_count(RETITLED).title.en == "Check the cable (new wording)"
    # Orphaned: the dropped step and the old id of the renamed one; listed, never dropped.
    assert {n.id for n in desk.orphaned_notes()} == {before["on_removed"], before["on_renamed"]}
    assert {f.id for f in desk.orphaned_flags()} == {before["flag_removed"], before["flag_renamed"]}
    removed_count = next(c for c in desk.most_flagged(None) if c.step_id == REMOVED)
    assert removed_count.title is None and removed_count.count == 1

    # Nothing lost: every note (the removed one too) and every flag is still exported.
    after = desk.guidance_export()
    assert {n["id"] for n in after["notes"]} == {n["id"] for n in before["export"]["notes"]}
    assert {f["id"] for f in after["flags"]} == {f["id"] for f in before["export"]["flags"]}
    assert set(after["orphaned_notes"]) == {before["on_removed"], before["on_renamed"]}
    assert set(after["orphaned_flags"]) == {before["flag_removed"], before["flag_renamed"]}

    # The incident keeps the text it was recorded with, though the base no longer has it.
    attempt = desk.incident(before["incident"]).attempts[0]
    assert attempt.step_id == REMOVED and attempt.step_title == before["router_title"]

    # The new topic takes notes; an orphan moves to the step's new id and is attached again.
    desk.add_guidance_note(ADDED_STEP, "wipe with a dry cloth", "Li")
    desk.move_guidance_note(before["on_renamed"], RENAMED_TO)
    assert [n.id for n in desk.notes_on(RENAMED_TO)] == [before["on_renamed"]]
    assert [n.id for n in desk.orphaned_notes()] == [before["on_removed"]]
    with pytest.raises(UnknownId):
        desk.move_guidance_note(before["on_removed"], REMOVED)  # not back onto a missing id
    with pytest.raises(UnknownId):
        desk.add_guidance_note(REMOVED, "new note on a gone step", "Li")


def test_the_command_line_and_doctor_list_the_orphans(home, tmp_path, before, clock, capsys):
    desk = Desk(home, kb=newer_base(tmp_path), clock=clock)
    code, out, _ = run_cli(desk, capsys, "guidance", "note", "list", "--orphaned", "--json")
    assert code == 0
    listed = json.loads(out)
    assert {n["id"] for n in listed} == {before["on_removed"], before["on_renamed"]}
    assert all(n["orphaned"] for n in listed)

    code, out, _ = run_cli(desk, capsys, "guidance", "flag", "list")
    assert code == 0
    assert out.count("(no longer in the guidance)") == 2

    code = records_cli.doctor(desk, "en")
    out, err = capsys.readouterr()
    assert code == 1  # something to act on: the notes wait to be attached again
    lines = out.splitlines()
    for note in (before["on_removed"], before["on_renamed"]):
        on = REMOVED if note == before["on_removed"] else RENAMED
        assert sum(line.startswith(f"note {note} on {on}:") for line in lines) == 1
        assert f"posdesk guidance note move {note}" in out
    for flag in (before["flag_removed"], before["flag_renamed"]):
        assert sum(line.startswith(f"flag {flag} on ") for line in lines) == 1
    assert len(lines) == 4

    # Once attached again, or withdrawn, doctor has nothing more to say of them.
    desk.move_guidance_note(before["on_removed"], "fault.network")
    desk.move_guidance_note(before["on_renamed"], RENAMED_TO)
    desk.withdraw_flag(before["flag_removed"])
    desk.withdraw_flag(before["flag_renamed"])
    assert records_cli.doctor(desk, "en") == 0
    assert "All is well" in capsys.readouterr().out


def test_the_old_base_again_shows_every_note_attached(desk, before, capsys):
    """Going back (a reinstall of the older version) finds the notes where they were."""
    assert desk.orphaned_notes() == [] and desk.orphaned_flags() == []
    assert records_cli.doctor(desk, "en") == 0
    capsys.readouterr()
