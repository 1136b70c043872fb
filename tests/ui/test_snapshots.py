"""What each screen looks like at 80×24, in Chinese and in English, compared with the pictures
under __snapshots__/ (pytest-textual-snapshot). A screen that draws wrongly fails here though
every behaviour test passes. After a change that is meant to alter a picture, look at the
report, then run `pytest tests/ui/test_snapshots.py --snapshot-update` and commit the SVGs."""

from __future__ import annotations

import shutil

import pytest

from scenes import SCENES, scene_app, seed

LANGUAGES = ("zh", "en")


@pytest.fixture(scope="session")
def seeded(tmp_path_factory, kb):
    """One shop's records, made once; each test works on a copy."""
    return seed(tmp_path_factory.mktemp("seeded") / "home", kb)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("scene", SCENES)
def test_screen_looks_as_before(snap_compare, seeded, tmp_path, kb, scene, lang):
    home = shutil.copytree(seeded, tmp_path / "home")  # the flow records a mark
    assert snap_compare(scene_app(home, lang, kb), terminal_size=(80, 24),
                        run_before=SCENES[scene])
