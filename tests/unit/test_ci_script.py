"""CI's own script: it must parse, and install what the tests need before running them."""

from __future__ import annotations

import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "run"


def test_the_ci_script_parses_and_installs_before_it_tests(script: Path = SCRIPT):
    checked = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    commands = [line.strip() for line in script.read_text().splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    assert commands[-1] == "make test"
    installs = [n for n, line in enumerate(commands) if "apt-get install" in line]
    assert any("postgresql" in commands[n] for n in installs)
    assert any("tmux" in commands[n] for n in installs)
