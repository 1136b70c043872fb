"""Reaching the central database: libpq's conventions, psycopg imported only here and only when
chain mode is used, and every failure told in one line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from posdesk.central import CentralError

if TYPE_CHECKING:
    import psycopg

CONNECT_SECONDS = 5  # a shop's network is its commonest fault: give up soon and try later
# A URL's password: postgresql://user:secret@host/db
URL_PASSWORD = re.compile(r"^postgres(?:ql)?://[^/@:]*:[^/@]*@", re.IGNORECASE)


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise CentralError("not_installed") from None
    return psycopg


def parse_dsn(dsn: str) -> dict[str, str]:
    """A connection string's parts (a DSN, a URL or `service=NAME`; empty: all from libpq's
    environment, PGHOST, PGSERVICE and the rest); one line when it cannot be read. A password is refused: it belongs in `.pgpass` or `PGPASSFILE`, never in a file
    posdesk writes or a backup carries."""
    dsn = dsn.strip()
    if URL_PASSWORD.match(dsn):
        raise CentralError("password_in_dsn")
    psycopg = _psycopg()
    try:
        parts = psycopg.conninfo.conninfo_to_dict(dsn)
    except psycopg.ProgrammingError as error:
        raise CentralError("bad_dsn", reason=_first_line(error)) from None
    if "password" in parts:
        raise CentralError("password_in_dsn")
    return {key: str(value) for key, value in parts.items()}


def connect(dsn: str, *, autocommit: bool = False, application: str = "posdesk") -> psycopg.Connection:
    """A connection, or a CentralError saying in one line why there is none."""
    psycopg = _psycopg()
    parse_dsn(dsn)
    try:
        return psycopg.connect(dsn, autocommit=autocommit, connect_timeout=CONNECT_SECONDS,
                               application_name=application)
    except psycopg.Error as error:
        raise CentralError(_why_not_connected(error), detail=_first_line(error)) from None


# libpq says why a connection failed in English only: each kind of failure is told in the
# person's language instead, and its words kept as the error's detail.
REFUSED_LOGIN = ("password authentication failed", "no password supplied", "pg_hba.conf",
                 "permission denied for database", "peer authentication failed")


def _why_not_connected(error: BaseException) -> str:
    said = str(error).lower()
    if any(words in said for words in REFUSED_LOGIN) or (
            "role" in said and "does not exist" in said):
        return "login_refused"
    if "database" in said and "does not exist" in said:
        return "no_database"
    if "ssl" in said or "certificate" in said:
        return "tls_failed"
    return "cannot_connect"


@contextmanager
def opened(dsn: str, *, autocommit: bool = False) -> Iterator[psycopg.Connection]:
    """`connect`, for one piece of work: committed at the end, rolled back and closed on any
    error, and every error of the database or the network on the way (closing included) told
    as one CentralError."""
    psycopg = _psycopg()
    connection = connect(dsn, autocommit=autocommit)
    try:
        with connection:
            yield connection
    except psycopg.Error as error:
        raise database_error(error) from None


def database_error(error: BaseException) -> CentralError:
    """A failure after connecting: the connection lost (told in the person's language), or
    what the database refused (its own words)."""
    import psycopg

    if isinstance(error, psycopg.OperationalError) and not getattr(error, "sqlstate", None) \
            or getattr(error, "sqlstate", "") and error.sqlstate.startswith(("08", "57P")):
        return CentralError("connection_lost", detail=_first_line(error))
    return CentralError("database_error", detail=_first_line(error), reason=_first_line(error))


def is_database_error(error: BaseException) -> bool:
    """Whether `error` came from the database or the way to it (psycopg already loaded)."""
    import sys

    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(error, psycopg.Error)


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
