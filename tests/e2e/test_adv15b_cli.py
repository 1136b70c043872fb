"""Adversary, second round: `posdesk guidance topic --file` given the wrong types; what is not
a topic's shape is refused in one line (exit 2), nothing written."""

from __future__ import annotations

import json

import pytest

from posdesk.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("keywords", [{"zh": "打印机"}, {"en": {"printer": 1}}, {"zh": 5}])
def test_keywords_not_a_list_are_refused_not_split_into_letters(capsys, home, tmp_path, keywords):
    topic = tmp_path / "topic.json"
    topic.write_text(json.dumps({"category": "fault", "title": "Till frozen",
                                 "steps": [{"title": "Restart"}], "keywords": keywords}))
    code, out, err = run(capsys, "guidance", "topic", "add", "--file", str(topic), "--who", "Li")
    assert code == 2 and "is not a topic" in err and out == ""
    assert json.loads(run(capsys, "guidance", "topic", "list", "--json")[1]) == []


def test_a_line_break_in_a_title_or_a_name_cannot_forge_a_line_of_a_listing(capsys, home, tmp_path):
    """A title and a name are one line: one typed with a line break (a file, a paste) is
    stored on one line, so a listing, a step and the export's headings stay what they are."""
    topic = tmp_path / "topic.json"
    topic.write_text(json.dumps({"category": "fault", "title": "Till\n# Injected heading",
                                 "steps": [{"title": "Restart\n## forged", "how": "one\ntwo"}]}))
    assert run(capsys, "guidance", "topic", "add", "--file", str(topic), "--who", "Li\n# who")[0] == 0
    assert run(capsys, "guidance", "note", "add", "fault.print", "n", "--who", "Wang\n# who")[0] == 0
    out = run(capsys, "guidance", "topic", "list")[1]
    assert out.splitlines() == ["fault.shop-1  Till # Injected heading (the shop's)"]
    exported = run(capsys, "guidance", "export")[1]
    assert not any(line.startswith("# ") for line in exported.splitlines()[1:]), exported
    assert not any(line.startswith("## forged") for line in exported.splitlines())
    (record,) = json.loads(run(capsys, "guidance", "topic", "list", "--json")[1])
    assert record["steps"][0]["how"]["en"] == "one\ntwo"  # a step's how may run over lines


def test_a_flags_why_over_several_lines_stays_under_its_flag(capsys, home):
    run(capsys, "guidance", "flag", "add", "fault.print.paper", "--reason", "wrong",
        "--why", "first\n## Why heading")
    for argv in (["guidance", "flagged"], ["guidance", "flag", "list"], ["guidance", "export"]):
        out = run(capsys, *argv)[1]
        assert "\n## Why heading" not in out, (argv, out)
        assert "Why heading" in out
