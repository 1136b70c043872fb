"""The README's commands work as written on a fresh machine: a script of the project runs with
the virtual environment's Python (`make run` or `make test` sets it up), since a bare `python`
has none of posdesk's packages."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_python_script_in_the_readme_runs_with_the_projects_environment():
    bare = re.findall(r"(?<![/\w])python3? (?:tests|posdesk|screenshots)/\S+", README.read_text())
    assert bare == []
