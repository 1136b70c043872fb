"""Issue 13: the command line's help and usage errors in the person's language."""

from __future__ import annotations

import re

import pytest

from posdesk.cli import main

ENGLISH = ("usage:", "options:", "show this help message and exit", "positional arguments",
           "invalid choice", "the following arguments are required", "error:", "see ")


def said(capsys, argv: list[str]) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as exit:  # --help exits from argparse
        code = exit.code
    out, err = capsys.readouterr()
    return code, out + err


@pytest.mark.parametrize("argv", [["--help"], ["guidance", "--help"], ["incidents", "list", "--help"],
                                  ["code", "--help"], ["restore", "--help"]])
@pytest.mark.parametrize("how", ["option", "environment"])
def test_help_is_chinese_under_lang_zh(capsys, monkeypatch, argv, how):
    if how == "option":
        argv = ["--lang", "zh", *argv] if argv[0] == "--help" else [argv[0], "--lang", "zh", *argv[1:]]
    else:
        monkeypatch.setenv("POSDESK_LANG", "zh")
    code, text = said(capsys, argv)
    assert code == 0
    assert not [words for words in ENGLISH if words in text], text
    assert "用法" in text and re.search(r"[\u4e00-\u9fff]", text)


@pytest.mark.parametrize("argv", [["frobnicate"], ["incidents", "list", "--status", "later"],
                                  ["incidents", "show"], ["guidance"], ["--nonsense"],
                                  ["due", "--on", "tomorrow"]])
def test_usage_errors_are_chinese_under_lang_zh(capsys, monkeypatch, argv):
    monkeypatch.setenv("POSDESK_LANG", "zh")
    code, text = said(capsys, argv)
    assert code == 2
    assert not [words for words in ENGLISH if words in text], text
    assert len(text.strip().splitlines()) == 1 and re.search(r"[\u4e00-\u9fff]", text), text


def test_help_stays_english_in_english(capsys):
    code, text = said(capsys, ["--lang", "en", "--help"])
    assert code == 0 and "usage:" in text and not re.search(r"[\u4e00-\u9fff]", text)


def test_week_labels_are_words_in_each_language():
    from posdesk.wording import week_label

    assert week_label("2026-W37", "zh") == "2026年第37周"
    assert week_label("2026-W07", "en") == "week 7 of 2026"


@pytest.mark.parametrize("what", ["folder", "not json"])
def test_restore_says_what_is_wrong_in_chinese_without_python_text(capsys, tmp_path, what):
    """Already right on main when issue 13 was worked on: kept as a guard."""
    target = tmp_path / "backup.json"
    if what == "folder":
        target.mkdir()
    else:
        target.write_text("x")
    code, text = said(capsys, ["restore", "--lang", "zh", str(target)])
    assert code == 1 and len(text.strip().splitlines()) == 1
    assert "Errno" not in text and "Expecting value" not in text and re.search(r"[\u4e00-\u9fff]", text)
