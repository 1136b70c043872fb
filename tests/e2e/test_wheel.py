"""A built wheel, installed into a fresh virtual environment, finds its knowledge base."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_installed_wheel_lists_guidance(tmp_path, kb):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(ROOT)],
        check=True, timeout=300,
    )
    (wheel,) = wheels.glob("posdesk-*.whl")
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--quiet", str(wheel)], check=True, timeout=600)

    # Run from an unrelated folder, so nothing of the source checkout can be found.
    env = {**os.environ, "POSDESK_HOME": str(tmp_path / "home")}
    env.pop("PYTHONPATH", None)
    done = subprocess.run([target / "bin" / "posdesk", "guidance", "list", "--json"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    topics = json.loads(done.stdout)
    assert [t["id"] for t in topics] == [t.id for t in kb.topics()]
    where = subprocess.run([python, "-c", "import posdesk.kb as k; print(k.default_path())"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert str(target) in where.stdout
