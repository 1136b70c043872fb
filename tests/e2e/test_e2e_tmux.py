"""posdesk in a real terminal: started under tmux at 80x24, read off the screen like a person."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid

import pytest

pytestmark = pytest.mark.e2e

if shutil.which("tmux") is None:
    if os.environ.get("CI"):
        pytest.fail("tmux is needed for the end-to-end test (.ci/run installs it)", pytrace=False)
    pytest.skip("tmux is not installed", allow_module_level=True)


class Terminal:
    """One tmux session on a private server, running one command."""

    def __init__(self, command: list[str], env: dict[str, str], width: int = 80, height: int = 24):
        self.socket = f"posdesk-test-{uuid.uuid4().hex[:8]}"
        line = " ".join(
            ["env", *(f"{k}={shlex.quote(v)}" for k, v in env.items()), *map(shlex.quote, command)]
        )
        self._tmux("new-session", "-d", "-s", "main", "-x", str(width), "-y", str(height), line)
        self._tmux("set-option", "-t", "main", "remain-on-exit", "on")

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args],
                              capture_output=True, text=True, timeout=10)
        return done.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "main")

    def press(self, *keys: str) -> None:
        for key in keys:
            self._tmux("send-keys", "-t", "main", key)
            time.sleep(0.15)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def exited(self) -> bool:
        return self._tmux("display-message", "-p", "-t", "main", "#{pane_dead}").strip() == "1"

    def close(self) -> None:
        self._tmux("kill-server")


@pytest.fixture
def terminal(home):
    from posdesk.desk import Desk

    Desk(home).finish_set_up("skipped")  # these walk the screens, not the first-run set-up
    env = {"POSDESK_HOME": str(home), "TERM": "xterm-256color", "LANG": "C.UTF-8",
           "PATH": os.environ.get("PATH", "")}
    term = Terminal([sys.executable, "-m", "posdesk", "--lang", "en"], env)
    yield term
    term.close()


def test_tabs_read_off_a_real_80x24_terminal(terminal, kb):
    screen = terminal.wait_for("Quit")  # the Footer teaches the keys
    for word in ("Faults", "Maintenance", "Security", "Transactions", "Incidents"):
        assert word in screen
    assert kb.topics("fault")[0].title.en in screen

    for key, category in (("2", "maintenance"), ("3", "security"), ("4", "transaction")):
        terminal.press(key)
        terminal.wait_for(kb.topics(category)[0].steps[0].title.en[:20])

    terminal.press("l")
    screen = terminal.wait_for("交易安全")
    assert kb.topics("transaction")[0].title.zh in screen

    terminal.press("q")
    deadline = time.monotonic() + 10
    while not terminal.exited() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert terminal.exited()


def test_walk_an_incident_to_escalation_and_read_it_back(terminal, kb, home):
    steps = kb.topic("fault.network").steps
    terminal.wait_for("Quit")
    terminal.press("s")
    terminal.wait_for(f"Step 1 of {len(steps)}")
    for number in range(2, len(steps) + 1):
        terminal.press("d" if steps[number - 2].gathers_info else "n")
        if number < len(steps):
            terminal.wait_for(f"Step {number} of {len(steps)}")
    terminal.wait_for("Call the bank: 95533")
    terminal.press("Enter", "W", "a", "i", "t", "i", "n", "g", "Tab", "R", "E", "F", "7", "C-s")
    terminal.wait_for("reference: REF7")
    terminal.press("Escape", "q")

    done = subprocess.run(
        [sys.executable, "-m", "posdesk", "--home", str(home), "incidents", "list", "--json"],
        capture_output=True, text=True, timeout=60, check=True,
    )
    (incident,) = json.loads(done.stdout)
    assert incident["status"] == "escalated"
    assert incident["escalation"]["reference"] == "REF7"
    assert incident["escalation"]["note"].endswith("Waiting")
    assert [a["outcome"] for a in incident["attempts"]] == [
        "noted" if step.gathers_info else "not_fixed" for step in steps[:-1]]
