"""The shop's own records, in TinyDB files in the data directory (the Store is in `database`).

Files, so that a write never touches the whole history:
- `posdesk.json`: the schema version, settings, terminals, the routine log, and the journal of
  an incident being moved between files;
- `incidents-open.json`: incidents not yet resolved, which every mark in the guided flow writes;
- `incidents-YYYY-MM.json`: resolved incidents, by the month they were opened.

Every change happens inside `Store.transaction()`: a lock file keeps two posdesk processes from
losing each other's writes, and every table is re-read inside the lock before it is changed.
Every write is atomic and fsynced (see `durable`). A file that cannot be read is never written.

Reading never writes: opening the store and everything read through `Store.reading()` leave
the data directory as it was (a read-only or full disk still lists, shows, exports and backs
up; a data directory that does not exist yet is not made). Only what must be written before the
records can be read at all is written on opening: a restore or a move a crash cut short, a
schema migration. The first change gets the directory ready for writing.
"""

from __future__ import annotations

from posdesk.store.database import SchemaTooNew, Store
from posdesk.store.errors import CannotWrite, DamagedDatabase, StoreBusy, StoreError
from posdesk.store.layout import (
    GUIDANCE_FLAGS, GUIDANCE_NOTES, GUIDANCE_TOPICS, INCIDENTS, LOCK_NAME, OPEN_INCIDENTS,
    ROUTINE_LOG, SCHEMA_VERSION, TERMINALS,
)
from posdesk.store.locations import Locations, data_dir
from posdesk.store.lock import TIMEOUT_SECONDS as LOCK_TIMEOUT_SECONDS

__all__ = ["CannotWrite", "DamagedDatabase", "GUIDANCE_FLAGS", "GUIDANCE_NOTES", "GUIDANCE_TOPICS", "INCIDENTS", "LOCK_NAME", "LOCK_TIMEOUT_SECONDS",
           "Locations", "OPEN_INCIDENTS", "ROUTINE_LOG", "SCHEMA_VERSION", "SchemaTooNew", "Store",
           "StoreBusy", "StoreError", "TERMINALS", "data_dir"]
