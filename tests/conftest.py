"""Shared fixtures: every test gets its own data directory and a fixed language environment."""

from __future__ import annotations

import errno
import gc
import os
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from clocks import StepClock
from kb_steps import checks
from posdesk.desk import Desk
from posdesk.kb import KnowledgeBase

# Chain mode's throwaway PostgreSQL (cluster, chain_db, central): one server for the whole run,
# started only when a test asks for it.
pytest_plugins = ["chain_fixtures"]


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path, monkeypatch):
    """Nothing a test does reaches the real user data folder, and the locale is not guessed."""
    monkeypatch.setenv("POSDESK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("POSDESK_LANG", raising=False)
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    yield
    # The app freezes what it keeps (posdesk/ui/memory.py); one test's app is the next one's
    # garbage, so it goes back to the collector.
    gc.unfreeze()


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return KnowledgeBase.open()


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


@pytest.fixture
def clock() -> StepClock:
    return StepClock(datetime(2026, 11, 25, 14, 0, tzinfo=timezone(timedelta(hours=8))))


@pytest.fixture
def desk(home, kb, clock) -> Desk:
    return Desk(home, kb=kb, clock=clock)


@pytest.fixture
def history(desk, kb):
    """Four incidents, a minute apart on the test clock (14:00, 14:01, …):

    A network: step 1 not fixed 14:01, step 2 fixed 14:02          -> self, 2 min
    B network: step 1 fixed 14:04 (opened 14:03)                     -> self, 1 min
    C print: step 1 not fixed 14:06, escalated 14:07, bank 14:08     -> bank, 3 min (opened 14:05)
    D print: step 1 skipped 14:10 (opened 14:09)                      -> open
    """
    network = checks(kb.topic("fault.network"))
    printing = checks(kb.topic("fault.print"))
    a = desk.start_incident("fault.network")
    desk.record_attempt(a.id, network[0].id, "not_fixed", "路由器灯正常")
    desk.record_attempt(a.id, network[1].id, "fixed")
    b = desk.start_incident("fault.network")
    desk.record_attempt(b.id, network[0].id, "fixed", "cable was loose")
    c = desk.start_incident("fault.print")
    desk.record_attempt(c.id, printing[0].id, "not_fixed")
    desk.escalate(c.id, "打印机不出纸")
    desk.close_by_bank(c.id, "银行换了打印头")
    d = desk.start_incident("fault.print")
    desk.record_attempt(d.id, printing[0].id, "skipped")
    return {"a": a.id, "b": b.id, "c": c.id, "d": d.id}


@pytest.fixture
def tmpfs(tmp_path):
    """Mount small real file systems (`tmpfs("128k")`), for filling up or making read-only
    (`read_only`) under posdesk; each is unmounted afterwards. Mounting needs root, as CI has;
    elsewhere the test is skipped with that reason."""
    if os.geteuid() != 0:
        pytest.skip("a full or read-only disk is a tmpfs mount, which needs root (CI runs as root)")
    mounted: list[Path] = []

    def mount(size: str = "1m") -> Path:
        point = tmp_path / f"disk{len(mounted)}"
        point.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                        str(point)], check=True)
        mounted.append(point)
        return point

    yield mount
    for point in reversed(mounted):
        subprocess.run(["umount", "-l", str(point)], check=False)


def read_only(point: Path) -> None:
    """Make a tmpfs mounted by the `tmpfs` fixture read-only."""
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)


def fill_up(folder: Path) -> Path:
    """Write a file into `folder` until its file system is full; returns the file."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError as error:
            assert error.errno == errno.ENOSPC, error
    return filler
