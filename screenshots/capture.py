"""Write an SVG of each scene the snapshot tests compare (tests/ui/scenes.py: every tab, the
guided flow, the note for the bank, the incidents, their insights, an incident's page and an
inspection's finding), in English and Chinese, with Textual's own screenshot export; and the
head office's Incidents tab, over a throwaway PostgreSQL server (tests/pg.py) into which the
scenes' shops synced their records.

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

from textual.app import App  # noqa: E402

from scenes import (HEAD_OFFICE_SCENES, SCENES, Scene, head_office_app,  # noqa: E402
                    scene_app, seed, seed_chain)
from posdesk.kb import KnowledgeBase  # noqa: E402

SIZE = (100, 30)


async def capture(app: App, scene: Scene, name: str, lang: str) -> Path:
    async with app.run_test(size=SIZE) as pilot:
        await scene(pilot)
        app.save_screenshot(filename=f"{name}-{lang}.svg", path=str(HERE))
    return HERE / f"{name}-{lang}.svg"


def capture_head_office(folder: Path, kb: KnowledgeBase) -> None:
    from pg import Cluster, server_binaries
    from posdesk.central.connection import connect
    from posdesk.central.schema import migrate

    if server_binaries() is None:
        print("PostgreSQL is not installed: the head office's screenshots are left as they were")
        return
    cluster = Cluster()
    cluster.start()
    try:
        cluster.sql("CREATE DATABASE chain")
        with connect(cluster.dsn(dbname="chain")) as connection:
            migrate(connection)
        dsn = seed_chain(cluster, "chain", folder / "chain", kb)
        for lang in ("en", "zh"):
            for name, scene in HEAD_OFFICE_SCENES.items():
                path = asyncio.run(capture(head_office_app(dsn, lang), scene, name, lang))
                print(path.relative_to(HERE.parent))
    finally:
        cluster.remove()


def main() -> None:
    kb = KnowledgeBase.open()
    with tempfile.TemporaryDirectory() as folder:
        seeded = seed(Path(folder) / "seeded", kb)
        for lang in ("en", "zh"):
            for name in SCENES:
                home = shutil.copytree(seeded, Path(folder) / f"{name}-{lang}")
                path = asyncio.run(capture(scene_app(home, lang, kb), SCENES[name], name, lang))
                print(path.relative_to(HERE.parent))
        capture_head_office(Path(folder), kb)


if __name__ == "__main__":
    main()
