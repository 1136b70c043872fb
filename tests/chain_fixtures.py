"""Chain-mode fixtures (a plugin of tests/conftest.py): one real PostgreSQL server for the
session, a fresh database per test."""

from __future__ import annotations

import itertools

import pytest

from pg import Cluster
from posdesk.central.connection import connect
from posdesk.central.schema import migrate

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def cluster():
    server = Cluster()
    server.start()
    yield server
    server.remove()


@pytest.fixture
def chain_db(cluster) -> str:
    """A new, empty database's name; set up by `central`."""
    name = f"chain{next(_numbers)}"
    cluster.sql(f"CREATE DATABASE {name}")
    return name


@pytest.fixture
def central(cluster, chain_db) -> str:
    """The admin's connection string to a chain database at the current schema."""
    dsn = cluster.dsn(dbname=chain_db)
    with connect(dsn) as connection:
        migrate(connection)
    return dsn
