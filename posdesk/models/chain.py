"""Chain mode's records: the shop's link to the central database, what it knows of its last sync,
and the chain's figure per step."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from posdesk.models.records import _field, _object, _text

if TYPE_CHECKING:
    from posdesk.i18n import Phrase


@dataclass(frozen=True)
class ChainLink:
    """The chain a shop joined: its id and name there, and how to reach the database (a libpq
    connection string or service name, never with a password)."""

    shop_id: str
    shop_name: str
    dsn: str
    joined_at: str

    @classmethod
    def from_dict(cls, value: Any) -> ChainLink:
        """The link as kept in its file; BadRecord names what is wrong."""
        _object(value)
        return cls(*(_field(value, key, _text) for key in ("shop_id", "shop_name", "dsn",
                                                            "joined_at")))

    def to_dict(self) -> dict[str, str]:
        return {"shop_id": self.shop_id, "shop_name": self.shop_name, "dsn": self.dsn,
                "joined_at": self.joined_at}


@dataclass(frozen=True)
class ChainFigure:
    """How a step did across the chain: in how many incidents it was tried, in how many it
    fixed the fault, and in how many shops."""

    step_id: str
    fixed: int
    tried: int
    shops: int

    def to_dict(self) -> dict[str, Any]:
        return {"step_id": self.step_id, "fixed": self.fixed, "tried": self.tried,
                "shops": self.shops}

    @classmethod
    def from_dict(cls, value: Any) -> ChainFigure | None:
        if not isinstance(value, dict) or not isinstance(value.get("step_id"), str):
            return None
        counts = [value.get(key) for key in ("fixed", "tried", "shops")]
        if not all(type(count) is int and count >= 0 for count in counts):
            return None
        fixed, tried, shops = counts
        if fixed > tried:
            return None
        return cls(value["step_id"], fixed, tried, shops)


@dataclass(frozen=True)
class SyncStatus:
    """What the shop knows of its sync without asking the network."""

    joined: bool
    shop_id: str | None = None
    last_synced: str | None = None  # the end of the last pass that finished (the shop's clock)
    waiting: int | None = None  # changes the central database does not hold yet, when counted
    error: str | None = None  # why the last pass failed, in English (for logs and --json)
    error_phrase: Phrase | None = None  # the same, to be told in the person's language


@dataclass
class SyncState:
    """What the shop knows of the central database after its last pass, kept in the data
    directory (sync-state.json). It is only a cache: every pass asks the database what it holds,
    so a lost or damaged state file costs a resend that changes nothing, never a record."""

    last_synced: str | None = None
    last_tried: str | None = None
    last_error: str | None = None
    last_error_key: str | None = None
    last_error_values: dict[str, str] = field(default_factory=dict)
    held_events: dict[str, int] = field(default_factory=dict)  # incident id -> events held
    held_routines: int = 0
    held_terminals: dict[str, str] = field(default_factory=dict)  # terminal id -> its digest
    # Incident files the database held whole at the last pass, by their signature then: one
    # unchanged since is not read again (a long history is not re-read every minute).
    # name -> {"signature": [mtime_ns, size, inode], "events": how many its incidents hold}
    settled_files: dict[str, dict[str, Any]] = field(default_factory=dict)
    waiting: int | None = None
    figures: dict[str, ChainFigure] = field(default_factory=dict)
    figures_as_of: str | None = None

    @classmethod
    def from_dict(cls, value: Any) -> SyncState:
        """Leniently: whatever cannot be read is taken as not known."""
        if not isinstance(value, dict):
            return cls()

        def text(key: str) -> str | None:
            found = value.get(key)
            return found if isinstance(found, str) else None

        held = value.get("held_events")
        held = ({k: v for k, v in held.items() if isinstance(k, str) and type(v) is int and v >= 0}
                if isinstance(held, dict) else {})
        figures = value.get("figures")
        read = [ChainFigure.from_dict(f) for f in figures] if isinstance(figures, list) else []
        waiting = value.get("waiting")
        routines = value.get("held_routines")
        terminals = value.get("held_terminals")
        settled = value.get("settled_files")
        values = value.get("last_error_values")
        return cls(
            last_synced=text("last_synced"), last_tried=text("last_tried"),
            last_error=text("last_error"), last_error_key=text("last_error_key"),
            last_error_values=({k: v for k, v in values.items() if isinstance(v, str)}
                               if isinstance(values, dict) else {}),
            held_events=held,
            held_routines=routines if type(routines) is int and routines >= 0 else 0,
            held_terminals=({k: v for k, v in terminals.items() if isinstance(v, str)}
                            if isinstance(terminals, dict) else {}),
            settled_files=({k: v for k, v in settled.items() if _settled_file(v)}
                           if isinstance(settled, dict) else {}),
            waiting=waiting if type(waiting) is int and waiting >= 0 else None,
            figures={f.step_id: f for f in read if f is not None},
            figures_as_of=text("figures_as_of"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"last_synced": self.last_synced, "last_tried": self.last_tried,
                "last_error": self.last_error, "last_error_key": self.last_error_key,
                "last_error_values": self.last_error_values,
                "held_events": self.held_events, "held_routines": self.held_routines, "held_terminals": self.held_terminals,
                "settled_files": self.settled_files,
                "waiting": self.waiting,
                "figures": [f.to_dict() for f in self.figures.values()],
                "figures_as_of": self.figures_as_of}


def _settled_file(value: Any) -> bool:
    signature = value.get("signature") if isinstance(value, dict) else None
    return (isinstance(signature, list) and len(signature) == 3
            and all(type(n) is int for n in signature)
            and type(value.get("events")) is int and value["events"] >= 0)
