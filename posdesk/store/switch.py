"""Making the switch a restore's journal names (see `journal` for what is trusted and what each
step may do), on restoring and again on the next start after a crash. What cannot be finished is
left as it is and the journal set aside as `RESTORE_LEFT`, never acted on again, so that a later
start never undoes a change made since; doctor names what was left."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from posdesk.i18n import phrase
from posdesk.store.durable import fsync_folder, is_real_folder
from posdesk.store.errors import CannotWrite, StoreError, os_reason
from posdesk.store.journal import STAGING_NAME, read_plan, restore_journal, steps
from posdesk.store.locations import Locations


class RestoreCutShort(StoreError):
    """The switch stopped half-way (the system refused a rename); the next start finishes it."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(phrase("backup.switch_stopped", path=path, reason=os_reason(error)))


class RestoreLeft(StoreError):
    """The switch could not replace or remove some files safely and left them as they were."""

    def __init__(self, locations: Locations, left: list[str]) -> None:
        super().__init__(phrase("backup.switch_left", names=", ".join(left),
                                path=locations.restore_left))


def switch(locations: Locations, plan: dict[str, Any]) -> list[str]:
    """Make the switch the journal names, where it is safe (`journal.steps`); the names of the
    files left as they were. Each step can be done again after a crash: damaged files are put
    aside (and that made durable) before anything is placed, a staged file that is gone was
    placed. A refusal of the system is a RestoreCutShort naming the step."""
    aside, rest, left = steps(locations, plan)
    step = locations.home
    try:
        for _, step, target in aside:
            os.rename(step, target)
        if aside:
            fsync_folder(locations.backups)
        for _, step, target in rest:
            if target is None:
                step.unlink()
            else:
                os.replace(step, target)
        fsync_folder(locations.home)
        if left:
            return left
        step = locations.file(plan["staging"])
        if is_real_folder(step):
            shutil.rmtree(step)
        step = locations.restore_journal
        step.unlink(missing_ok=True)
        fsync_folder(locations.home)
    except OSError as error:
        raise RestoreCutShort(step, error) from None
    except CannotWrite as error:  # a folder that would not sync
        raise RestoreCutShort(error.path, OSError(error.errno, "")) from None
    return []


def finish_restore(locations: Locations) -> bool:
    """Finish a restore a crash cut short; whether there was one to finish. What cannot be
    finished is left as it is and the journal set aside (doctor names what was left): the
    records open, and nothing is ever undone by a later start. Call with the lock held."""
    journal = restore_journal(locations)
    if journal is None or not journal.to_finish:
        return False
    try:
        finished = not switch(locations, journal.plan)
    except RestoreCutShort:
        finished = False  # refused by the system: left, as a step not safe to make is
    if not finished:
        set_aside(locations)
    return True


def set_aside(locations: Locations) -> None:
    """The journal is renamed, which needs no room on a full disk, and never acted on again."""
    try:
        os.replace(locations.restore_journal, locations.restore_left)
        fsync_folder(locations.home)
    except OSError as error:
        raise RestoreCutShort(locations.restore_journal, error) from None
    except CannotWrite:
        pass  # renamed; the folder's sync is the file system's to keep


def forget_left(locations: Locations) -> None:
    """A restore that left files is superseded by one that finished: its journal and what it
    staged go."""
    left = restore_journal(locations, locations.restore_left)
    if left is None:
        return
    if left.plan is not None and is_real_folder(locations.file(left.plan["staging"])):
        shutil.rmtree(locations.file(left.plan["staging"]), ignore_errors=True)
    try:
        left.path.unlink(missing_ok=True)
    except OSError:
        pass  # not a file posdesk wrote (a folder, say): the restore is done; doctor names it


def remove_stale_staging(locations: Locations) -> None:
    """Staging folders no journal names (a restore killed before it wrote its journal); call
    with the lock. While a journal that cannot be read is there, every one stays."""
    keep = set()
    for path in (locations.restore_journal, locations.restore_left):
        journal = restore_journal(locations, path)
        if journal is None:
            continue
        staging = _named_staging(journal.path)
        if staging is None:
            return
        keep.add(staging)
    try:
        names = os.listdir(locations.home)
    except OSError:
        return
    for name in names:
        folder = locations.file(name)
        if STAGING_NAME.fullmatch(name) and name not in keep and is_real_folder(folder):
            shutil.rmtree(folder, ignore_errors=True)


def _named_staging(journal: Path) -> str | None:
    """The staging folder a journal names, trusted or not; None when it cannot be told."""
    plan = read_plan(journal)
    staging = plan.get("staging") if isinstance(plan, dict) else None
    return staging if isinstance(staging, str) else None
