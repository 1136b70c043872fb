"""The command line: guidance without a screen, JSON for scripts, one-line errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from posdesk import __version__
from posdesk.cli import main
from kb_steps import checks


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"posdesk {__version__}"


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "guidance" in out and "--home" in out and "--lang" in out


def test_guidance_list_json_has_the_contract_fields(capsys, kb):
    code, out, _ = run(capsys, "guidance", "list", "--json")
    topics = json.loads(out)
    assert code == 0
    assert len(topics) == len(kb.topics())
    for topic in topics:
        assert {"id", "category", "title", "sources"} <= topic.keys()
        assert set(topic["title"]) == {"zh", "en"}
    network = next(t for t in topics if t["id"] == "fault.network")
    assert {"S1", "S2", "S3"} <= set(network["sources"])


def test_guidance_list_in_chinese_groups_by_category(capsys, kb):
    code, out, _ = run(capsys, "--lang", "zh", "guidance", "list")
    assert code == 0
    assert out.index("故障") < out.index("保养") < out.index("交易安全")
    assert re.search(rf"fault\.network\s+{kb.topic('fault.network').title.zh}", out)


def test_lang_option_also_works_after_the_command(capsys, kb):
    code, out, _ = run(capsys, "guidance", "show", "fault.print", "--lang", "zh")
    assert code == 0
    assert kb.topic("fault.print").title.zh in out


def test_guidance_show_topic_lists_every_step(capsys, kb):
    code, out, _ = run(capsys, "guidance", "show", "fault.network")
    topic = kb.topic("fault.network")
    assert code == 0
    line = "95533 (China Construction Bank)"  # no terminal on record: the shop's own line
    for step in topic.steps:
        how = step.how.en.replace("{hotline}", line)
        assert step.title.en in out and how in out and step.why.en in out
    assert f"Step {len(topic.steps)} of {len(topic.steps)}" in out
    assert "{hotline}" not in out and "Call 95533 (China Construction Bank)" in out


def test_guidance_show_a_step_by_its_id(capsys, kb):
    step = kb.topic("fault.network").steps[0]
    code, out, _ = run(capsys, "guidance", "show", step.id, "--json")
    assert code == 0
    assert json.loads(out)["id"] == step.id


def test_guidance_search_in_both_languages(capsys):
    code, out, _ = run(capsys, "guidance", "search", "打印")
    assert code == 0 and "fault.print" in out
    code, out, _ = run(capsys, "guidance", "search", "paper", "--json")
    assert code == 0 and any(hit["topic_id"] == "fault.print" for hit in json.loads(out))


def test_search_with_no_result_says_so(capsys):
    code, out, _ = run(capsys, "guidance", "search", "qqqqzzzz")
    assert code == 1 and "qqqqzzzz" in out


def test_unknown_topic_is_one_line_and_non_zero(capsys):
    code, out, err = run(capsys, "guidance", "show", "fault.nope")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "fault.nope" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--bogus"],
        ["guidance"],
        ["guidance", "list", "--category", "nonsense"],
        ["--lang", "fr", "guidance", "list"],
        ["nosuchcommand"],
    ],
)
def test_bad_options_exit_non_zero_with_one_line(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("posdesk:")


def test_damaged_database_stops_the_app_with_one_line(capsys, home):
    home.mkdir(parents=True)
    (home / "posdesk.json").write_text("{broken", encoding="utf-8")
    code, _, err = run(capsys, "--home", str(home))
    assert code == 1
    assert err.count("\n") == 1 and "posdesk.json" in err and "left as it is" in err
    assert (home / "posdesk.json").read_text(encoding="utf-8") == "{broken"


def test_guidance_commands_do_not_load_textual():
    probe = (
        "import sys; from posdesk.cli import main; main(['guidance', 'list']);"
        "sys.stderr.write(str(any(m.startswith('textual') for m in sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stderr == "False"


def test_core_layers_never_import_textual():
    probe = (
        "import sys, posdesk.models, posdesk.kb, posdesk.store, posdesk.desk, posdesk.i18n,"
        " posdesk.cli; print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_code_json_has_the_contract_fields(capsys, kb):
    code, out, _ = run(capsys, "code", "51", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["code"] == "51" and data["retry"] is False
    assert set(data["meaning"]) == {"zh", "en"} and set(data["action"]) == {"zh", "en"}


@pytest.mark.parametrize(("lang", "went_through", "not_again"), [
    ("zh", "交易已成功", "不要再收一次"), ("en", "The payment went through", "do not charge again")])
def test_code_00_says_the_payment_went_through_and_not_to_charge_again(capsys, lang,
                                                                          went_through, not_again):
    code, out, _ = run(capsys, "--lang", lang, "code", "00")
    assert code == 0 and went_through in out and not_again in out
    code, out, _ = run(capsys, "code", "00", "--json")
    data = json.loads(out)
    assert data["class"] == "A" and data["retry"] is False and data["topic_id"]


def test_code_lookup_in_chinese_ignores_case_and_spaces(capsys, kb):
    code, out, _ = run(capsys, "--lang", "zh", "code", " a0 ")
    assert code == 0
    assert kb.code("A0").meaning.zh in out and "可以重试一次" in out


def test_unknown_code_is_one_line_and_non_zero(capsys):
    code, out, err = run(capsys, "code", "ZZ")
    assert code == 1 and out == "" and err.count("\n") == 1 and "ZZ" in err


def test_incidents_list_and_show_follow_the_contract(capsys, desk, kb, home):
    steps = checks(kb.topic("fault.network"))
    incident = desk.start_incident("fault.network")
    desk.record_attempt(incident.id, steps[0].id, "not_fixed", "router fine")
    desk.escalate(incident.id, "Please check the line", "REF-1")
    code, out, _ = run(capsys, "--home", str(home), "incidents", "list", "--json")
    (listed,) = json.loads(out)
    assert code == 0
    for key in ("id", "topic_id", "status", "resolution", "opened_at", "closed_at", "attempts",
                "notes", "escalation"):
        assert key in listed
    assert listed["status"] == "escalated" and listed["resolution"] is None
    assert listed["attempts"][0]["step_id"] == steps[0].id
    assert listed["attempts"][0]["outcome"] == "not_fixed"
    assert listed["attempts"][0]["at"].endswith("+08:00")
    assert listed["escalation"] == {"at": listed["escalation"]["at"], "hotline": "95533",
                                    "note": "Please check the line", "reference": "REF-1"}
    code, out, _ = run(capsys, "--home", str(home), "incidents", "list", "--status", "open", "--json")
    assert json.loads(out) == []
    code, out, _ = run(capsys, "--home", str(home), "incidents", "show", incident.id)
    assert code == 0 and steps[0].title.en in out and "REF-1" in out and "router fine" in out
    code, out, _ = run(capsys, "--home", str(home), "incidents", "show", incident.id, "--json")
    assert json.loads(out)["id"] == incident.id


def test_unknown_incident_is_one_line_and_non_zero(capsys):
    code, out, err = run(capsys, "incidents", "show", "20990101-001")
    assert code == 1 and out == "" and err.count("\n") == 1


def test_incidents_show_prints_typed_escapes_harmlessly(capsys, desk, home):
    incident = desk.start_incident("fault.print")
    desk.add_note(incident.id, "ok \x1b]0;hacked\x07 [red]x[/red]")
    run(capsys, "--home", str(home), "incidents", "show", incident.id)
    code, out, _ = run(capsys, "--home", str(home), "incidents", "show", incident.id)
    assert "\x1b" not in out and "[red]x[/red]" in out


def test_export_csv_to_a_file_with_filters(capsys, desk, kb, home, tmp_path):
    first = desk.start_incident("fault.network")
    desk.record_attempt(first.id, checks(kb.topic("fault.network"))[0].id, "fixed")
    desk.start_incident("fault.print")
    target = tmp_path / "out.csv"
    code, _, err = run(capsys, "--home", str(home), "--lang", "zh", "incidents", "export",
                       "--format", "csv", "--status", "resolved", "--since", "2026-11-01",
                       "-o", str(target))
    assert code == 0 and str(target) in err
    rows = target.read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 2 and "无法联网" in rows[1]


def test_export_markdown_of_one_incident_to_stdout(capsys, desk, home):
    incident = desk.start_incident("fault.print")
    code, out, _ = run(capsys, "--home", str(home), "incidents", "export", "--format", "md",
                       incident.id)
    assert code == 0 and out.startswith(f"# Incident {incident.id}")


def test_export_json_follows_the_contract(capsys, desk, home):
    desk.start_incident("fault.print")
    code, out, _ = run(capsys, "--home", str(home), "incidents", "export", "--format", "json")
    (incident,) = json.loads(out)
    assert code == 0 and incident["status"] == "open" and incident["escalation"] is None


@pytest.mark.parametrize("argv", [
    ["incidents", "export", "--format", "pdf"],
    ["incidents", "export", "--format", "csv", "--since", "25/11/2026"],
])
def test_export_bad_options_are_one_line(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.count("\n") == 1


def test_export_unknown_id_or_fault_is_one_line(capsys):
    code, _, err = run(capsys, "incidents", "export", "--format", "md", "20990101-001")
    assert code == 1 and err.count("\n") == 1
    code, _, err = run(capsys, "incidents", "export", "--format", "csv", "--fault", "fault.nope")
    assert code == 1 and err.count("\n") == 1


@pytest.mark.parametrize("blank", ["", "   ", "\u3000"])
def test_an_empty_code_is_a_usage_error_in_the_persons_language(capsys, blank):
    code, out, err = run(capsys, "--lang", "zh", "code", blank)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "应答码" in err and "not in the code table" not in err
