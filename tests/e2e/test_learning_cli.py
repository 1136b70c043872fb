"""`posdesk guidance note|flag|flagged|topic|export` on the command line, and guidance kept in
the data directory that is damaged or crafted: one line, and the rest still shows."""

from __future__ import annotations

import json
import os

import pytest

from posdesk.cli import main
from chain_link import pretend_joined
from posdesk.store.locations import Locations

CARD = "4111 1111 1111 1111"
HOSTILE = f"pay {CARD} \x1b[31mred\x1b[0m \x1b]52;c;cm0gLXJm\x07 \u202egnp.exe"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_harmless(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert CARD not in text and CARD.replace(" ", "") not in text


def test_notes_from_add_to_move_on_the_command_line(capsys, home):
    code, out, _ = run(capsys, "guidance", "note", "add", "fault.network.cable",
                       "router is in the back cupboard", "--who", "Li")
    assert code == 0 and "N1" in out
    run(capsys, "guidance", "note", "edit", "N1", "router is under the till", "--who", "Wang")
    code, out, _ = run(capsys, "guidance", "show", "fault.network.cable")
    assert code == 0 and "Shop's note N1 (Wang" in out and "router is under the till" in out
    code, out, _ = run(capsys, "guidance", "note", "list", "--json")
    (note,) = json.loads(out)
    assert note["earlier"][0]["text"] == "router is in the back cupboard"
    assert note["origin"] == "shop" and note["orphaned"] is False

    assert run(capsys, "guidance", "note", "remove", "N1")[0] == 0
    assert json.loads(run(capsys, "guidance", "note", "list", "--json")[1]) == []
    assert run(capsys, "guidance", "note", "list", "--removed")[1].count("(removed)") == 1
    assert run(capsys, "guidance", "note", "restore", "N1")[0] == 0
    assert run(capsys, "guidance", "note", "move", "N1", "fault.print")[0] == 0
    code, out, _ = run(capsys, "guidance", "note", "list", "--on", "fault.print", "--json")
    assert [n["id"] for n in json.loads(out)] == ["N1"]


@pytest.mark.parametrize("argv", [
    ["guidance", "note", "add", "fault.nowhere", "text", "--who", "Li"],
    ["guidance", "note", "edit", "N7", "text", "--who", "Li"],
    ["guidance", "note", "move", "N7", "fault.print"],
    ["guidance", "flag", "withdraw", "F7"],
    ["guidance", "flag", "add", "fault.network", "--reason", "wrong"],
    ["guidance", "topic", "show", "fault.shop-7"],
    ["guidance", "topic", "remove", "fault.shop-7"],
    ["guidance", "note", "add", "fault.print", "   ", "--who", "Li"],
    ["guidance", "note", "add", "fault.print", "text", "--who", ""],
    ["guidance", "note", "add", "fault.print", "x" * 2001, "--who", "Li"],
    ["guidance", "topic", "edit", "fault.network", "--title", "mine", "--who", "Li"],
])
def test_a_bad_change_is_one_line_in_the_persons_language_and_exit_1(capsys, argv):
    for lang in ("en", "zh"):
        code, out, err = run(capsys, "--lang", lang, *argv)
        assert code == 1 and out == ""
        assert len(err.strip().splitlines()) == 1 and err.startswith("posdesk: ")
        if lang == "zh":
            assert any("\u4e00" <= ch <= "\u9fff" for ch in err)


@pytest.mark.parametrize("argv", [
    ["guidance", "flag", "add", "fault.print.paper", "--reason", "boring"],
    ["guidance", "note", "add", "fault.print", "text"],  # no --who
    ["guidance", "topic", "add", "--title", "t", "--who", "Li"],  # no step, no category
    ["guidance", "topic", "add", "--category", "fault", "--title", "t", "--step", "a|b|c|d",
     "--who", "Li"],
    ["guidance", "topic", "add", "--category", "fault", "--file", "/nonexistent.json",
     "--title", "t", "--who", "Li"],
])
def test_bad_options_are_a_usage_line_and_exit_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1


def test_flags_are_counted_shown_to_the_next_person_and_withdrawn(capsys):
    run(capsys, "guidance", "flag", "add", "fault.print.paper", "--reason", "not_our_terminal",
        "--why", "our printer loads from the top")
    run(capsys, "guidance", "flag", "add", "fault.print.paper", "--reason", "not_our_terminal")
    code, out, _ = run(capsys, "guidance", "show", "fault.print")
    assert "Flagged 2 times here, mostly: does not apply to our terminal" in out
    assert "“our printer loads from the top”" in out
    code, out, _ = run(capsys, "--lang", "zh", "guidance", "show", "fault.print.paper")
    assert "这一步被标记过 2 次，多为：不适用于本店的终端" in out
    (count,) = json.loads(run(capsys, "guidance", "flagged", "--json")[1])
    assert count["step_id"] == "fault.print.paper" and count["count"] == 2
    assert run(capsys, "guidance", "flag", "withdraw", "F1")[0] == 0
    assert "Flagged once here" in run(capsys, "guidance", "show", "fault.print.paper")[1]
    flags = json.loads(run(capsys, "guidance", "flag", "list", "--withdrawn", "--json")[1])
    assert [(f["id"], f["withdrawn_at"] is not None) for f in flags] == [("F1", True), ("F2", False)]


def test_a_shop_topic_is_written_listed_searched_changed_and_removed(capsys):
    code, out, err = run(capsys, "guidance", "topic", "add", "--category", "fault",
                         "--title", "收银机死机", "--title-en", "Till freezes",
                         "--step", "重启|长按电源十秒|清掉卡住的状态", "--step", "Call IT|ring Ming",
                         "--who", "Li")
    assert code == 0, err
    assert "fault.shop-1" in out
    listed = run(capsys, "guidance", "list")[1]
    assert "fault.shop-1" in listed and "Till freezes (the shop's)" in listed
    assert "收银机死机（本店）" in run(capsys, "--lang", "zh", "guidance", "list")[1]
    hits = json.loads(run(capsys, "guidance", "search", "收银机死机", "--json")[1])
    assert any(hit["id"] == "fault.shop-1" and hit["origin"] == "shop" for hit in hits)
    record = json.loads(run(capsys, "guidance", "topic", "show", "fault.shop-1", "--json")[1])
    assert [s["id"] for s in record["steps"]] == ["fault.shop-1.1", "fault.shop-1.2"]
    assert record["title"] == {"zh": "收银机死机", "en": "Till freezes"}
    assert record["steps"][1]["title"] == {"zh": "Call IT", "en": "Call IT"}

    run(capsys, "guidance", "note", "add", "fault.shop-1.2", "Ming: 138…", "--who", "Li")
    code, _, err = run(capsys, "guidance", "topic", "edit", "fault.shop-1", "--step",
                       "fault.shop-1.2=Call IT first|ring Ming", "--step", "Unplug it",
                       "--who", "Wang")
    assert code == 0, err
    record = json.loads(run(capsys, "guidance", "topic", "show", "fault.shop-1", "--json")[1])
    # The step named is changed where it stands, the new one goes last, the other stays.
    assert [s["id"] for s in record["steps"]] == ["fault.shop-1.1", "fault.shop-1.2",
                                                  "fault.shop-1.3"]
    assert record["steps"][1]["title"]["en"] == "Call IT first"
    assert "Ming: 138…" in run(capsys, "guidance", "show", "fault.shop-1")[1]
    code, _, err = run(capsys, "guidance", "topic", "edit", "fault.shop-1", "--remove-step",
                       "fault.shop-1.1", "--who", "Wang")
    assert code == 0, err
    record = json.loads(run(capsys, "guidance", "topic", "show", "fault.shop-1", "--json")[1])
    assert [s["id"] for s in record["steps"]] == ["fault.shop-1.2", "fault.shop-1.3"]
    code, _, err = run(capsys, "guidance", "topic", "edit", "fault.shop-1", "--remove-step",
                       "fault.shop-1.9", "--who", "Wang")
    assert code == 1 and "fault.shop-1.9" in err and len(err.strip().splitlines()) == 1

    assert run(capsys, "guidance", "topic", "remove", "fault.shop-1")[0] == 0
    assert "fault.shop-1" not in run(capsys, "guidance", "list")[1]
    assert "(removed)" in run(capsys, "guidance", "topic", "list", "--removed")[1]
    assert run(capsys, "guidance", "topic", "restore", "fault.shop-1")[0] == 0
    assert "fault.shop-1" in run(capsys, "guidance", "list")[1]


def test_a_topic_from_a_file_as_topic_show_prints_it(capsys, tmp_path):
    run(capsys, "guidance", "topic", "add", "--category", "transaction", "--title", "Refunds",
        "--step", "Check the slip", "--who", "Li")
    record = json.loads(run(capsys, "guidance", "topic", "show", "tx.shop-1", "--json")[1])
    record["title"] = {"zh": "退款", "en": "Refunds over 500"}
    path = tmp_path / "topic.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, "guidance", "topic", "add", "--file", str(path), "--who", "Wang")
    assert code == 0, err
    assert "tx.shop-2" in out
    assert "Refunds over 500" in run(capsys, "guidance", "show", "tx.shop-2")[1]
    for bad in ("[]", "{not json", json.dumps({"title": 5, "steps": []})):
        path.write_text(bad, encoding="utf-8")
        code, out, err = run(capsys, "guidance", "topic", "add", "--file", str(path),
                             "--who", "Li")
        assert code == 2 and len(err.strip().splitlines()) == 1


def test_typed_hostile_text_is_stored_masked_and_printed_harmless(capsys):
    run(capsys, "guidance", "note", "add", "fault.print.paper", HOSTILE, "--who", HOSTILE[:50])
    run(capsys, "guidance", "flag", "add", "fault.print.paper", "--reason", "wrong", "--why",
        HOSTILE)
    run(capsys, "guidance", "topic", "add", "--category", "fault", "--title", HOSTILE,
        "--step", f"{HOSTILE}|{HOSTILE}|{HOSTILE}", "--who", "Li")
    for argv in (["guidance", "show", "fault.print.paper"], ["guidance", "show", "fault.shop-1"],
                 ["guidance", "list"], ["guidance", "note", "list"], ["guidance", "flag", "list"],
                 ["guidance", "flagged"], ["guidance", "topic", "list"], ["guidance", "export"],
                 ["guidance", "export", "--json"], ["guidance", "note", "list", "--json"]):
        code, out, err = run(capsys, *argv)
        assert code == 0, (argv, err)
        assert_harmless(out)
        assert_harmless(json.dumps(out))  # no escaped ESC either
        assert "****1111" in out or argv[1] == "list", argv


def test_the_export_holds_the_shops_guidance_whole(capsys, home, tmp_path):
    run(capsys, "guidance", "note", "add", "fault.print.paper", "paper is in the drawer",
        "--who", "Li")
    run(capsys, "guidance", "note", "add", "fault.print", "gone note", "--who", "Li")
    run(capsys, "guidance", "note", "remove", "N2")
    run(capsys, "guidance", "flag", "add", "fault.print.paper", "--reason", "out_of_date")
    run(capsys, "guidance", "topic", "add", "--category", "fault", "--title", "Till freezes",
        "--step", "Restart", "--who", "Li")
    exported = json.loads(run(capsys, "guidance", "export", "--json")[1])
    assert [n["id"] for n in exported["notes"]] == ["N1", "N2"]
    assert [f["id"] for f in exported["flags"]] == ["F1"]
    assert exported["most_flagged"][0]["step_id"] == "fault.print.paper"
    assert [t["id"] for t in exported["topics"]] == ["fault.shop-1"]
    page = run(capsys, "guidance", "export")[1]
    for heading in ("# The shop's own guidance", "## The shop's topics", "## Notes",
                    "## Most flagged steps"):
        assert heading in page
    out_file = tmp_path / "guidance.md"
    code, _, err = run(capsys, "--lang", "zh", "guidance", "export", "-o", str(out_file))
    assert code == 0 and str(out_file) in err
    assert "被标记最多的步骤" in out_file.read_text(encoding="utf-8")


# Damaged or crafted guidance in the data directory

def test_a_bad_guidance_record_is_left_out_and_named_by_doctor(capsys, home):
    run(capsys, "guidance", "note", "add", "fault.print", "good note", "--who", "Li")
    run(capsys, "guidance", "note", "add", "fault.print", "bad note", "--who", "Li")
    run(capsys, "guidance", "topic", "add", "--category", "fault", "--title", "Till",
        "--step", "Restart", "--who", "Li")
    database = Locations.resolve(home).database
    tables = json.loads(database.read_text(encoding="utf-8"))
    bad = next(r for r in tables["guidance_notes"].values() if r["text"] == "bad note")
    bad["text"] = ["not", "text"]
    next(iter(tables["guidance_topics"].values()))["steps"] = "no steps"
    database.write_text(json.dumps(tables), encoding="utf-8")

    code, out, err = run(capsys, "guidance", "note", "list", "--json")
    assert code == 0 and [n["text"] for n in json.loads(out)] == ["good note"]
    assert len(err.strip().splitlines()) == 1  # "… could not be read; posdesk doctor …"
    code, out, err = run(capsys, "guidance", "list")
    assert code == 0 and "fault.network" in out and "fault.shop-1" not in out
    code, out, _ = run(capsys, "doctor")
    assert code == 1
    named = [line for line in out.splitlines() if "cannot be read" in line]
    assert len(named) == 2
    assert any("guidance note N2" in line for line in named)
    assert any("shop topic fault.shop-1" in line for line in named)


def test_a_backup_carrying_a_bad_guidance_record_is_refused_in_one_line(capsys, home, tmp_path):
    run(capsys, "guidance", "flag", "add", "fault.print.paper", "--reason", "wrong")
    backup = tmp_path / "backup.json"
    assert run(capsys, "backup", "-o", str(backup))[0] == 0
    data = json.loads(backup.read_text(encoding="utf-8"))
    flag = next(iter(data["files"]["posdesk.json"]["guidance_flags"].values()))
    flag["reason"] = "because"
    backup.write_text(json.dumps(data), encoding="utf-8")
    run(capsys, "guidance", "flag", "add", "fault.print.paper", "--reason", "out_of_date")
    code, out, err = run(capsys, "restore", str(backup))
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "guidance_flags" in err
    flags = json.loads(run(capsys, "guidance", "flag", "list", "--json")[1])
    assert [f["reason"] for f in flags] == ["wrong", "out_of_date"]  # nothing replaced


def chain_topic(title: str, how: str = "ask the head office") -> dict:
    return {"id": "fault.chain-1", "category": "fault", "title": {"zh": title, "en": title},
            "summary": {"zh": "", "en": ""}, "keywords": {"zh": [], "en": []},
            "steps": [{"id": "fault.chain-1.1", "order": 1, "kind": "check",
                       "title": {"zh": title, "en": title}, "how": {"zh": how, "en": how},
                       "why": {"zh": "", "en": ""}}],
            "who": "head office", "at": "2026-11-25T10:00:00+08:00"}


def damage_nothing(path):
    pass


def write_text(text):
    return lambda path: path.write_text(text, encoding="utf-8")


def huge(path):
    with open(path, "w", encoding="utf-8") as file:
        file.write('{"topics": [], "pad": "')
        file.write("x" * (9 * 1024 * 1024))
        file.write('"}')


@pytest.mark.parametrize("damage", [
    write_text("{not json"), write_text("[]"), write_text('{"topics": {"a": 1}}'),
    write_text('{"topics": ' + "[" * 100_000 + "]" * 100_000 + "}"), huge,
    lambda path: os.mkfifo(path), lambda path: path.mkdir(),
], ids=["not-json", "a-list", "topics-not-a-list", "nested-deep", "huge", "fifo", "folder"])
def test_a_damaged_chain_guidance_file_is_one_line_and_the_shops_own_still_shows(
        capsys, home, damage):
    run(capsys, "guidance", "topic", "add", "--category", "fault", "--title", "Till freezes",
        "--step", "Restart", "--who", "Li")
    run(capsys, "guidance", "note", "add", "fault.print", "shop's note", "--who", "Li")
    locations = pretend_joined(home)
    damage(locations.chain_guidance)
    for argv in (["guidance", "list"], ["guidance", "topic", "list"],
                 ["guidance", "show", "fault.print"]):
        code, out, err = run(capsys, *argv)
        assert code == 0, err
        assert "fault.shop-1" in out or "shop's note" in out
        assert err.strip().splitlines() == [
            f"posdesk: The chain's guidance file {locations.chain_guidance} cannot be read, so "
            "none is shown; the next sync fetches it again."]
    code, out, _ = run(capsys, "doctor")
    assert code == 1
    assert sum("chain's guidance file" in line for line in out.splitlines()) == 1


def test_crafted_chain_guidance_is_cleaned_on_the_way_out(capsys, home):
    locations = pretend_joined(home)
    locations.chain_guidance.write_text(json.dumps({
        "pulled_at": "2026-11-25T10:00:00+08:00",
        "topics": [chain_topic(HOSTILE, HOSTILE)],
        "notes": [{"id": "C1", "on": "fault.print", "text": HOSTILE, "who": HOSTILE[:40],
                   "at": "2026-11-25T10:00:00+08:00"}]}), encoding="utf-8")
    for argv in (["guidance", "list"], ["guidance", "show", "fault.chain-1"],
                 ["guidance", "show", "fault.print"], ["guidance", "topic", "list"],
                 ["guidance", "topic", "show", "fault.chain-1", "--json"],
                 ["guidance", "note", "list"], ["guidance", "note", "list", "--json"],
                 ["guidance", "search", "gnp"], ["guidance", "export", "--json"]):
        code, out, err = run(capsys, *argv)
        assert code == 0, (argv, err)
        assert_harmless(out)
        assert_harmless(json.dumps(out))
    shown = run(capsys, "guidance", "show", "fault.print")[1]
    assert "Chain's note C1" in shown and "****1111" in shown
    assert "(the chain's)" in run(capsys, "guidance", "list")[1]
    # The chain's are not the shop's to change.
    code, _, err = run(capsys, "guidance", "topic", "edit", "fault.chain-1", "--title", "x",
                       "--who", "Li")
    assert code == 1 and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("argv", [
    ("note", "add", "fault.print.paper", f"paper door: {CARD}", "--who", "Li"),
    ("flag", "add", "fault.print.paper", "--reason", "wrong", "--why", f"card {CARD}"),
    ("topic", "add", "--category", "fault", "--title", "Till", "--step",
     f"Check|card {CARD}|", "--who", "Li"),
])
def test_a_card_number_typed_is_masked_and_the_person_told(capsys, argv):
    code, out, err = run(capsys, "--lang", "en", "guidance", *argv)
    assert code == 0, err
    assert "last four digits" in err and len(err.strip().splitlines()) == 1
    assert CARD not in json.dumps(json.loads(run(capsys, "guidance", "export", "--json")[1]))
