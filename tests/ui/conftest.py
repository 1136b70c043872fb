"""The head office's Pilot tests run against a real PostgreSQL server: the chain-mode fixtures
(tests/central/conftest.py: a throwaway server for the session, a new database per test) are
made available here too."""

from central.conftest import central, chain_db, cluster  # noqa: F401
