"""Checking a data directory without changing it: what is wrong, and where."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from posdesk.models import Incident
from posdesk.store.durable import DamagedDatabase, read_json_tables
from posdesk.store.layout import (
    CLOSED_PATTERN, DATABASE_NAME, OPEN_INCIDENTS, SCHEMA_VERSION, closed_file,
)


@dataclass
class Checkup:
    problems: list[str] = field(default_factory=list)
    incidents: int = 0
    files: int = 0

    @property
    def healthy(self) -> bool:
        return not self.problems


def examine(home: Path) -> Checkup:
    """Read every file of the database and say what is wrong; nothing is written."""
    checkup = Checkup()
    main = home / DATABASE_NAME
    try:
        tables = read_json_tables(main)
    except DamagedDatabase as error:
        checkup.problems.append(str(error))
        tables = None
    if tables is None and not checkup.problems:
        return checkup  # a data directory posdesk has not used yet
    checkup.files += 1
    if tables is not None:
        schema = tables.get("_meta", {}).get("1", {}).get("schema")
        if not isinstance(schema, int):
            checkup.problems.append(f"{main}: the schema version is missing.")
        elif schema > SCHEMA_VERSION:
            checkup.problems.append(f"{main}: written by a newer posdesk (schema {schema}).")
        if tables.get("_moving"):
            checkup.problems.append(f"{main}: a move between incident files was cut short; "
                                    "starting posdesk finishes it.")
    seen: dict[str, str] = {}
    for path in sorted(home.glob("incidents-*.json")):
        if path.name != OPEN_INCIDENTS and not CLOSED_PATTERN.match(path.name):
            continue
        checkup.files += 1
        try:
            incident_tables = read_json_tables(path) or {}
        except DamagedDatabase as error:
            checkup.problems.append(str(error))
            continue
        for record in incident_tables.get("incidents", {}).values():
            checkup.problems += _check_record(path, record, seen)
            checkup.incidents += 1
    return checkup


def _check_record(path: Path, record: dict, seen: dict[str, str]) -> list[str]:
    try:
        incident = Incident.from_dict(record)
    except (KeyError, TypeError, ValueError, IndexError) as error:
        return [f"{path}: an incident cannot be read (missing {error})."]
    problems = []
    if incident.id in seen:
        problems.append(f"{path}: incident {incident.id} is also in {seen[incident.id]}.")
    seen[incident.id] = path.name
    resolved = incident.status == "resolved"
    expected = closed_file(incident.id) if resolved else OPEN_INCIDENTS
    if path.name != expected:
        problems.append(f"{path}: incident {incident.id} belongs in {expected}.")
    return problems
