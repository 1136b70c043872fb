"""posdesk opened in a real terminal on a damaged knowledge base: one message, no traceback.

The command line already says in one line what is wrong with the base; the full-screen app
ended in Textual's traceback panel (and exit code 0). A copy of the package with a damaged
base beside it is run as a real process: nothing of posdesk is replaced."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from test_e2e_tmux import Terminal

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


def test_the_app_on_a_damaged_knowledge_base_says_what_is_wrong(tmp_path, home):
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "posdesk", copy / "posdesk",
                    ignore=shutil.ignore_patterns("__pycache__"))
    data = json.loads((ROOT / "data" / "guidance.json").read_text(encoding="utf-8"))
    del next(doc for doc in data["search_words"].values() if doc["kind"] == "same")["words"]
    (copy / "data").mkdir()
    (copy / "data" / "guidance.json").write_text(json.dumps(data, ensure_ascii=False),
                                                 encoding="utf-8")
    env = {"POSDESK_HOME": str(home), "TERM": "xterm-256color", "LANG": "C.UTF-8",
           "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(copy),
           "PYTHONSAFEPATH": "1"}  # the copy, not the checkout in the working folder
    term = Terminal([sys.executable, "-m", "posdesk", "--lang", "en"], env)
    try:
        screen = term.wait_for("knowledge base")
        deadline = time.monotonic() + 10
        while not term.exited() and time.monotonic() < deadline:
            if "Traceback" in screen or "KnowledgeBaseError" in screen:
                break
            term.press("q")  # a message on screen closes with a key
            screen += term.screen()
        assert "KnowledgeBaseError" not in screen and "Traceback" not in screen, screen
        assert "not in the expected shape" in screen
    finally:
        term.close()
