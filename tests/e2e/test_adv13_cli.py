"""Adversary, issue 13, on the command line: the export's --since and --until read a day as the
Incidents tab's day boxes do (2026/11/25, 2026-11-1, full-width digits), and a far bound such
as 9999-12-31 is a bound, not "a date posdesk can plan for"."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _export(desk, lang: str, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "posdesk", "--home", str(desk.home),
                           "--lang", lang, "incidents", "export", "--format", "csv", *options],
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("since", "until"), [
    ("2026/11/25", "2026/11/25"), ("2026-11-25 ", "2026-11-25"),
    ("２０２６－１１－２５", "2026年11月25日"), ("2026-11-1", "9999-12-31"),
    ("20261125", "2026.11.25")])
def test_the_export_reads_days_as_the_incidents_tab_does(desk, lang, since, until):
    incident = desk.start_incident("fault.print")  # opened 2026-11-25 on the test clock
    run = _export(desk, lang, "--since", since, "--until", until)
    assert run.returncode == 0, run.stderr
    assert incident.id in run.stdout


@pytest.mark.parametrize("typed", ["2026/02/30", "0000-01-01", "2026-13-01", "tomorrow"])
def test_a_day_that_is_none_is_one_line_in_the_persons_language(desk, typed):
    run = _export(desk, "zh", "--since", typed)
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1
    assert "不是日期" in run.stderr and "Traceback" not in run.stderr
