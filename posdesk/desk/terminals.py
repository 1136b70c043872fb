"""The shop's terminals on record."""

from __future__ import annotations

from typing import Any

from posdesk import privacy
from posdesk.desk.base import DeskBase, EmptyText, UnknownId
from posdesk.models import BadRecord, Terminal, is_terminal_id
from posdesk.store import TERMINALS


class TerminalsDesk(DeskBase):
    def terminals(self) -> list[Terminal]:
        found = self._models(TERMINALS, Terminal.from_dict, self.store.records(TERMINALS))
        return sorted(found, key=lambda terminal: int(terminal.id.lstrip("T") or 0))

    def terminal(self, terminal_id: str) -> Terminal:
        found = next((t for t in self.terminals() if t.id == terminal_id), None)
        if found is None:
            raise UnknownId(terminal_id)
        return found

    def save_terminal(self, terminal_id: str | None = None, **fields: str) -> Terminal:
        """Add a terminal (no id) or change one; a terminal needs at least a name. A change is
        made to the terminal as stored at that moment, under the lock, so that two processes
        changing different fields of one terminal keep both changes."""
        unknown = set(fields) - set(Terminal.FIELDS)
        if unknown:
            raise ValueError(f"unknown terminal fields: {', '.join(sorted(unknown))}")
        cleaned = {k: privacy.clean(str(v)).text.strip() for k, v in fields.items()}
        if terminal_id is None:  # its number is the next free one, worked out under the lock
            if not cleaned.get("name"):
                raise EmptyText("name")
            record = {field: cleaned.get(field, "") for field in Terminal.FIELDS}
            return Terminal.from_dict(
                self.store.add_numbered(TERMINALS, record, "T", is_terminal_id))

        def change(stored: dict[str, Any]) -> dict[str, Any]:
            try:
                merged = {**self._model(Terminal.from_dict, stored).to_dict(), **cleaned}
            except BadRecord:
                raise UnknownId(terminal_id) from None  # as terminals() leaves it out
            if not merged["name"]:
                raise EmptyText("name")
            return Terminal.from_dict(merged).to_dict()

        changed = self.store.change_record(TERMINALS, terminal_id, change)
        if changed is None:
            raise UnknownId(terminal_id)
        return Terminal.from_dict(changed)
