"""Write an SVG of each scene the snapshot tests compare (tests/ui/scenes.py: every tab, the
guided flow, the note for the bank, the incidents, their insights, an incident's page and an
inspection's finding), in English and Chinese, with Textual's own screenshot export.

Run with `make screenshots`; the app runs headless over the scenes' seeded shop, copied into a
throwaway folder for each picture, at a size that reads well in the README.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent / "tests"
sys.path[:0] = [str(TESTS), str(TESTS / "ui")]  # the scenes, their helpers and clocks

from scenes import SCENES, scene_app, seed  # noqa: E402
from posdesk.kb import KnowledgeBase  # noqa: E402

SIZE = (100, 30)


async def capture(name: str, lang: str, home: Path, kb: KnowledgeBase) -> Path:
    app = scene_app(home, lang, kb)
    async with app.run_test(size=SIZE) as pilot:
        await SCENES[name](pilot)
        app.save_screenshot(filename=f"{name}-{lang}.svg", path=str(HERE))
    return HERE / f"{name}-{lang}.svg"


def main() -> None:
    kb = KnowledgeBase.open()
    with tempfile.TemporaryDirectory() as folder:
        seeded = seed(Path(folder) / "seeded", kb)
        for lang in ("en", "zh"):
            for name in SCENES:
                home = shutil.copytree(seeded, Path(folder) / f"{name}-{lang}")
                path = asyncio.run(capture(name, lang, home, kb))
                print(path.relative_to(HERE.parent))


if __name__ == "__main__":
    main()
