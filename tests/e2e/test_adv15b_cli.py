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
