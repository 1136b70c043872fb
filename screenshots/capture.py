"""Write an SVG of each guidance tab, in English and Chinese, with Textual's own screenshot export.

Run with `make screenshots`; the app runs headless against an empty, throwaway data directory.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from benchmarks.generate import fill  # noqa: E402  (the generator lives with the benchmark)
from posdesk.desk import Desk
from posdesk.models import CATEGORIES
from posdesk.ui.app import PosdeskApp

HERE = Path(__file__).resolve().parent
SIZE = (100, 30)


async def capture(lang: str, home: Path) -> list[Path]:
    written = []
    app = PosdeskApp(Desk(home), lang)
    async with app.run_test(size=SIZE) as pilot:
        for number, category in enumerate(CATEGORIES, start=1):
            await pilot.press(str(number))
            await pilot.pause()
            await pilot.press("down")  # show the second topic, so the picture has steps in it
            await pilot.pause()
            written.append(save(app, f"{category}-{lang}.svg"))
        # The guided flow on the first fault, one step marked, then the note for the bank.
        await pilot.press("1")
        await pilot.press("up")
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        written.append(save(app, f"troubleshoot-{lang}.svg"))
        await pilot.press("e")
        await pilot.pause()
        written.append(save(app, f"escalation-{lang}.svg"))
    return written


async def capture_history(lang: str, home: Path) -> list[Path]:
    """The Incidents tab and its insights over a generated year of incidents."""
    fill(home, 400)
    app = PosdeskApp(Desk(home), lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_incidents(pilot)
        shots = [save(app, f"incidents-{lang}.svg")]
        await pilot.press("t")
        await pilot.pause()
        shots.append(save(app, f"insights-{lang}.svg"))
        await pilot.press("t", "enter")
        await pilot.pause()
        shots.append(save(app, f"incident-{lang}.svg"))
    return shots


async def capture_inspection(lang: str, home: Path) -> list[Path]:
    """A tamper inspection that found a serial number not matching, and the incident it opened."""
    desk = Desk(home)
    terminal = desk.save_terminal(name="前台 Front counter", terminal_no="10012345", serial="SN-100")
    desk.mark_done("sec.tamper_inspection", "Li", terminal_id=terminal.id, serial_seen="SN-999",
                   checked={"seals": True, "cables": True, "overlays": True, "casing": True})
    app = PosdeskApp(desk, lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_incidents(pilot)
        await pilot.press("enter")
        await pilot.pause()
        return [save(app, f"inspection-{lang}.svg")]


async def open_incidents(pilot) -> None:
    """Past the start-up lookup (and the list of open incidents it shows) to the loaded Incidents tab."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.press("escape", "5")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def save(app: PosdeskApp, name: str) -> Path:
    app.save_screenshot(filename=name, path=str(HERE))
    return HERE / name


def main() -> None:
    for lang in ("en", "zh"):
        with tempfile.TemporaryDirectory() as home:  # a new shop each time: no open incidents
            for path in asyncio.run(capture(lang, Path(home))):
                print(path.relative_to(HERE.parent))
        with tempfile.TemporaryDirectory() as home:
            for path in asyncio.run(capture_history(lang, Path(home))):
                print(path.relative_to(HERE.parent))
        with tempfile.TemporaryDirectory() as home:
            for path in asyncio.run(capture_inspection(lang, Path(home))):
                print(path.relative_to(HERE.parent))


if __name__ == "__main__":
    main()
