"""The command line: guidance without a screen, JSON for scripts, one-line errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from posdesk import __version__
from posdesk.cli import main


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
    for step in topic.steps:
        assert step.title.en in out and step.how.en in out and step.why.en in out
    assert f"Step {len(topic.steps)} of {len(topic.steps)}" in out


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
