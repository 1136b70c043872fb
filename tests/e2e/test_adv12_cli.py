"""Adversarial checks of `posdesk guidance search`, `guidance show` and `code` (knowledge base
v2): hostile arguments in both languages, and a damaged shop database."""

from __future__ import annotations

import pytest

from posdesk.cli import main

HOSTILE = "\x1b]0;pwned\x07\x1b[31mred\u202e"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", [("guidance", "search"), ("guidance", "show"), ("code",)])
def test_a_hostile_argument_is_never_echoed_as_a_control_sequence(capsys, lang, command):
    code, out, err = run(capsys, "--lang", lang, *command, HOSTILE)
    assert code == 1
    for said in (out, err):
        assert "\x1b" not in said and "\x07" not in said and "\u202e" not in said, repr(said)


@pytest.mark.parametrize("typed", ["００", "Ａ０", "ａ０", " ００ "])
def test_a_code_typed_in_full_width_is_found(capsys, typed):
    """A Chinese input method in full-width mode types "００": 00, the payment went through,
    must be found as it is when typed "00" (search folds full-width letters already)."""
    code, out, err = run(capsys, "--lang", "zh", "code", typed)
    assert code == 0, err
    assert out.splitlines()[0] == typed.strip().translate(
        {ord(c): ord(c) - 0xFEE0 for c in "０Ａａ"}).upper()
