"""The files of a posdesk database and the schema version they are written in."""

from __future__ import annotations

import re
from typing import Any

from posdesk.models import IncidentId

SCHEMA_VERSION = 2
DATABASE_NAME = "posdesk.json"  # schema, settings, terminals, routine log, move journal
OPEN_INCIDENTS = "incidents-open.json"  # incidents not yet resolved
# Resolved incidents, by the month they were opened. ASCII digits only, matched whole (fullmatch:
# `$` alone lets a trailing newline through).
CLOSED_PATTERN = re.compile(r"^incidents-(\d{4}-\d{2})\.json$", re.ASCII)
BACKUP_FOLDER = "backups"  # automatic and manual backups, inside the data directory
REPORTS_FOLDER = "reports"  # notes for the bank and exports saved from the app
LOCK_NAME = ".posdesk.lock"
INCIDENTS = "incidents"  # the table of incidents, in each incident file
TERMINALS = "terminals"  # tables in posdesk.json
ROUTINE_LOG = "routine_log"
# The shop's own guidance: notes beside topics and steps, flags on steps, topics it wrote.
GUIDANCE_NOTES = "guidance_notes"
GUIDANCE_FLAGS = "guidance_flags"
GUIDANCE_TOPICS = "guidance_topics"
MOVE_JOURNAL = "_moving"  # the table in posdesk.json naming an incident between two files
RESTORE_JOURNAL = ".restore-journal.json"  # a restore switching files; finished on next start
RESTORE_LEFT = ".restore-journal-left.json"  # one the next start could not finish; never acted on
# Chain mode's files. Not database files, so no backup carries them and no restore brings one
# back: a crafted backup cannot point a shop's records at another server.
CHAIN_LINK = "chain.json"  # the chain this installation joined (shop id, name, connection)
SYNC_STATE = "sync-state.json"  # what the central database held of this shop at the last pass
SYNC_LOCK = ".sync.lock"  # one sync at a time, apart from the store's lock
CHAIN_GUIDANCE = "chain-guidance.json"  # the chain's notes and topics, as the last pass pulled them
OWN_NAMES = (LOCK_NAME, RESTORE_JOURNAL, RESTORE_LEFT, CHAIN_LINK, SYNC_STATE, SYNC_LOCK,
             CHAIN_GUIDANCE)  # besides the database files
STAGING_PREFIX = ".restoring-"  # the folder a restore's new files are written to first
DAMAGED_PREFIX = "damaged-"  # damaged files a restore moved into the backups folder
# A TinyDB document's key, as TinyDB writes it: a positive whole number in ASCII digits. int()
# would also take "01", " 1" or "١" (and cleaning "1\x00" makes it "1"): two keys would become
# one record. Twelve digits at most, so that no card number (13–19 digits) is ever a key.
DOCUMENT_KEY = re.compile(r"[1-9][0-9]{0,11}", re.ASCII)


def closed_file(incident_id: str) -> str:
    """Resolved incidents live in the file of the month they were opened (an id, or its day)."""
    return f"incidents-{IncidentId.month_of(incident_id)}.json"


def incident_file(incident_id: str, resolved: bool) -> str:
    """The file an incident belongs in: the open incidents' until it is resolved."""
    return closed_file(incident_id) if resolved else OPEN_INCIDENTS


def is_database_name(name: str) -> bool:
    """posdesk.json, incidents-open.json or incidents-YYYY-MM.json."""
    return name in (DATABASE_NAME, OPEN_INCIDENTS) or CLOSED_PATTERN.fullmatch(name) is not None


def is_document_key(key: object) -> bool:
    return isinstance(key, str) and DOCUMENT_KEY.fullmatch(key) is not None


def trusted_move(entry: Any) -> bool:
    """Whether a move journal entry names a move the store itself could have made: an incident
    id, and its two files (open, and the month it was opened) one way or the other.

    The journal comes from a file, maybe a crafted backup: anything else is never acted on.
    """
    if not isinstance(entry, dict) or not IncidentId.is_valid(entry.get("id")):
        return False
    ends = (entry.get("from"), entry.get("to"))
    return ends in ((OPEN_INCIDENTS, closed_file(entry["id"])),
                    (closed_file(entry["id"]), OPEN_INCIDENTS))
