"""Write an SVG of each guidance tab, in English and Chinese, with Textual's own screenshot export.

Run with `make screenshots`; the app runs headless against an empty, throwaway data directory.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

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
            name = f"{category}-{lang}.svg"
            app.save_screenshot(filename=name, path=str(HERE))
            written.append(HERE / name)
    return written


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        for lang in ("en", "zh"):
            for path in asyncio.run(capture(lang, Path(home))):
                print(path.relative_to(HERE.parent))


if __name__ == "__main__":
    main()
