"""A hand-edited or damaged data/guidance.json: it opens, or says in one line what is wrong;
never a traceback, never "Call None"."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from posdesk.desk import Desk
from posdesk.kb import KnowledgeBase, KnowledgeBaseError, default_path


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(default_path().read_text(encoding="utf-8"))


def _line(copy_: dict, line_id: str) -> dict:
    return next(doc for doc in copy_["service_lines"].values() if doc["id"] == line_id)


def _topic(copy_: dict, topic_id: str) -> dict:
    return next(doc for doc in copy_["topics"].values() if doc["id"] == topic_id)


def _words(copy_: dict, kind: str) -> dict:
    return next(doc for doc in copy_["search_words"].values() if doc.get("kind") == kind)


DAMAGE = {
    # The search is prepared at the first search (start-up waits less): what it reads must
    # still be checked when the base is opened, or the first search ends in a traceback.
    "a synonym a number": lambda d: _words(d, "same")["words"].append(5),
    "a generic word null": lambda d: _words(d, "generic")["words"].append(None),
    "a keyword a number": lambda d: _topic(d, "fault.print")["keywords"]["zh"].append(7),
    "keywords a list": lambda d: _topic(d, "fault.print").update(keywords=["小票"]),
    "an alias a number": lambda d: _line(d, "ccb").update(aliases=[95533]),
    "a name a number": lambda d: _line(d, "ccb").update(name={"zh": 5, "en": "CCB"}),
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_base_opens_or_says_what_is_wrong(tmp_path, data, damage):
    altered = copy.deepcopy(data)
    DAMAGE[damage](altered)
    path = tmp_path / "guidance.json"
    path.write_text(json.dumps(altered, ensure_ascii=False), encoding="utf-8")
    try:
        kb = KnowledgeBase.open(path)
    except KnowledgeBaseError:
        return  # one line, as the command line and the app tell it
    desk = Desk(tmp_path / "home", kb=kb)
    terminal = desk.save_terminal(name="Till", bank="建行")
    assert desk.topic("fault.network", terminal.id).steps[-1].how("en")
    assert desk.search("小票打不出来")


@pytest.mark.parametrize("number", [None, "", "  "])
def test_a_service_line_without_a_number_asks_for_it(tmp_path, data, number):
    """A line whose number is missing is not told as "Call None (China Construction Bank)":
    the bank is treated as one whose number nobody has given yet."""
    altered = copy.deepcopy(data)
    _line(altered, "ccb")["number"] = number
    path = tmp_path / "guidance.json"
    path.write_text(json.dumps(altered, ensure_ascii=False), encoding="utf-8")
    desk = Desk(tmp_path / "home", kb=KnowledgeBase.open(path))
    terminal = desk.save_terminal(name="Till", bank="建行")
    how = desk.topic("fault.network", terminal.id).steps[-1].how("en")
    assert "None" not in how and "Call  (" not in how and "Call (" not in how
    assert desk.hotline(terminal.id).unknown_bank


@pytest.mark.parametrize("action_class", [None, "Z"])
def test_a_code_without_a_known_class_is_still_told(tmp_path, data, capsys, action_class):
    """A code whose class is missing or unknown (the base reads it leniently) ended
    `posdesk code` and the code lookup in a traceback (KeyError 'code.class.')."""
    from posdesk.cli.guidance import code as code_command
    from posdesk.ui.dialogs.code_lookup import describe

    altered = copy.deepcopy(data)
    doc = next(d for d in altered["codes"].values() if d["code"] == "51")
    if action_class is None:
        del doc["class"]
    else:
        doc["class"] = action_class
    path = tmp_path / "guidance.json"
    path.write_text(json.dumps(altered, ensure_ascii=False), encoding="utf-8")
    desk = Desk(tmp_path / "home", kb=KnowledgeBase.open(path))
    for lang in ("zh", "en"):
        assert code_command(desk, "51", lang, False) == 0
        assert "51" in capsys.readouterr().out
        assert desk.response_code("51").action(lang) in describe(desk.response_code("51"), lang).plain
