"""Issue 13 on the command line: a listing read through `head` ends quietly."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("command", ["incidents list", "incidents export --format csv"])
def test_a_listing_read_through_head_ends_without_a_traceback(desk, lang, command):
    for _ in range(400):  # more than a pipe holds, so posdesk is still writing when head stops
        desk.start_incident("fault.print", note="纸卷装反了 roll was in backwards")
    run = subprocess.run(
        ["bash", "-o", "pipefail", "-c",
         f"{sys.executable} -m posdesk --home {desk.home} --lang {lang} {command} | head"],
        capture_output=True, text=True, timeout=120)
    assert len(run.stdout.splitlines()) == 10
    assert run.stderr == "", run.stderr  # no traceback, no "Broken pipe"
    assert run.returncode == 0
