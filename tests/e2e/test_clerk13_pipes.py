"""Issue 13: a listing cut short by `head` ends quietly, whatever the command (the clerk's
`posdesk guidance list | head -3` once ended in a BrokenPipe traceback)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("command", ["guidance list", "incidents list", "guidance search 打印"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_listing_cut_short_by_head_says_nothing_on_stderr(tmp_path, command, lang):
    run = subprocess.run(
        f"{sys.executable} -m posdesk --home {tmp_path} --lang {lang} {command} | head -3",
        shell=True, capture_output=True, text=True, timeout=60)
    assert run.stderr == "", run.stderr
