"""Chain mode: a head office's PostgreSQL database holding every shop's record.

Each shop keeps its own TinyDB as the source of truth and works offline; what it records goes
out in the background (see `sync`). Nothing outside this package imports psycopg, and this
package imports it only when chain mode is used (`connection.connect`), so a shop that never
joined a chain never loads it.

- `connection`: reaching the database, libpq conventions, errors told in one line;
- `schema`: the tables, roles and row-level security, as numbered migrations;
- `shops`: adding a shop's role;
- `state`: what the shop knows of its last sync, kept in its data directory (no psycopg);
- `sync`: one pass of sending the shop's records and pulling the chain's figures;
- `head_office`: the head office's read-only queries.
"""

from __future__ import annotations

from posdesk.i18n import ToldError, phrase


class CentralError(ToldError):
    """Chain mode cannot go on: the message says why, in one line."""

    def __init__(self, key: str, detail: str | None = None, **values: object) -> None:
        self.key = key
        self.detail = detail  # the driver's own words (English), for logs and --json
        super().__init__(phrase(f"central.{key}", **values))
