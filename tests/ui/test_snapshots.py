"""What each screen looks like at 80×24, in Chinese and in English, compared with the pictures
under __snapshots__/ (pytest-textual-snapshot). A screen that draws wrongly fails here though
every behaviour test passes. After a change that is meant to alter a picture, look at the
report, then run `pytest tests/ui/test_snapshots.py --snapshot-update` and commit the SVGs."""

from __future__ import annotations

import shutil

import pytest

from scenes import HEAD_OFFICE_SCENES, SCENES, head_office_app, scene_app, seed

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


@pytest.fixture(scope="session")
def chain_seeded(cluster, tmp_path_factory, kb) -> str:
    """The shops of the scenes, synced into one chain database, made once; the head office's
    connection string."""
    from posdesk.central.connection import connect
    from posdesk.central.schema import migrate
    from scenes import seed_chain

    cluster.sql("CREATE DATABASE snapshots")
    with connect(cluster.dsn(dbname="snapshots")) as connection:
        migrate(connection)
    return seed_chain(cluster, "snapshots", tmp_path_factory.mktemp("chain"), kb)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("scene", HEAD_OFFICE_SCENES)
def test_the_head_office_looks_as_before(snap_compare, chain_seeded, scene, lang):
    assert snap_compare(head_office_app(chain_seeded, lang), terminal_size=(80, 24),
                        run_before=HEAD_OFFICE_SCENES[scene])
