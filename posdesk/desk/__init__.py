"""What a person can do with posdesk, one method each, shared by the TUI, the CLI and the tests.

`Desk` is the one face: each concern lives in its own module (guidance, terminals, settings,
incidents, routines, reports, backups) and `Desk` puts them together, so that a script or a
screen needs nothing else. Every record read from the store becomes a model in `base`.
"""

from __future__ import annotations

from posdesk.desk.backups import BackupsDesk
from posdesk.desk.chain import ChainDesk, SyncReport
from posdesk.desk.base import Clock, EmptyText, NotAllowed, Saved, UnknownId, local_now
from posdesk.desk.reports import ReportsDesk

__all__ = ["Clock", "Desk", "SyncReport", "EmptyText", "NotAllowed", "Saved", "UnknownId", "local_now"]


class Desk(ReportsDesk, ChainDesk, BackupsDesk):
    """The help desk for one data directory and the shipped knowledge base."""
