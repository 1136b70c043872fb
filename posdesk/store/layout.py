"""The files of a posdesk database and the schema version they are written in."""

from __future__ import annotations

import re

SCHEMA_VERSION = 2
DATABASE_NAME = "posdesk.json"  # schema, settings, terminals, routine log, move journal
OPEN_INCIDENTS = "incidents-open.json"  # incidents not yet resolved
CLOSED_PATTERN = re.compile(r"^incidents-(\d{4}-\d{2})\.json$")  # resolved, by month opened
BACKUP_FOLDER = "backups"  # automatic and manual backups, inside the data directory


def closed_file(incident_id: str) -> str:
    """Resolved incidents live in the file of the month they were opened (ids start YYYYMMDD)."""
    return f"incidents-{incident_id[:4]}-{incident_id[4:6]}.json"
