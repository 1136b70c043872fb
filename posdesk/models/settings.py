"""The shop's own choices, read leniently."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from posdesk.models.guidance import bank_key
from posdesk.models.records import _MISSING, LANGUAGES, BadRecord

SET_UP_OUTCOMES = ("done", "skipped")


@dataclass
class Settings:
    """The shop's own choices, kept in its data directory."""

    language: str | None = None
    hotline: str = "95533"  # the shop's own line, for terminals with no bank written down
    # Numbers the shop gave for banks the service-line table does not know: bank key -> number.
    bank_lines: dict[str, str] = field(default_factory=dict)
    shop: str = ""  # the shop's name, as the first-run set-up or settings asked for it
    # What became of the first-run set-up ("done" or "skipped"); None while it was never offered
    # to the end, so that it is offered again.
    set_up: str | None = None
    # The day (ISO) posdesk began keeping routines for a shop with no routine done yet: one never
    # done is first due one cadence after it (a daily one that day), not all at once.
    routines_from: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        """Leniently: a setting that is not what it should be is left at its default (and
        `problems` names it), so a hand-edited file never stops the shop from working."""
        known = {"language", "hotline", "bank_lines", "shop", "set_up", "routines_from"}
        language = data.get("language")
        hotline = data.get("hotline")
        bank_lines = data.get("bank_lines")
        # Keyed as the desk looks them up, so that a line written in by hand ("Ningbo Bank")
        # is found for the terminal whose bank reads the same.
        bank_lines = ({bank_key(k): v for k, v in bank_lines.items()
                       if isinstance(v, str) and v.strip() and bank_key(k)}
                      if isinstance(bank_lines, dict) else {})
        extra = {k: v for k, v in data.items() if k not in known}
        shop, set_up, since = data.get("shop"), data.get("set_up"), data.get("routines_from")
        if "cadences" in extra:  # routine id -> cadence as written ("7d", "3m")
            cadences = extra["cadences"]
            extra["cadences"] = ({k: v for k, v in cadences.items() if isinstance(v, str)}
                                 if isinstance(cadences, dict) else {})
        return cls(
            language=language if isinstance(language, str) and language in LANGUAGES else None,
            hotline=hotline if isinstance(hotline, str) and hotline.strip() else cls.hotline,
            bank_lines=bank_lines,
            shop=shop.strip() if isinstance(shop, str) else "",
            set_up=set_up if set_up in SET_UP_OUTCOMES else None,
            routines_from=since if _is_day(since) else None,
            extra=extra,
        )

    @staticmethod
    def problems(data: dict[str, Any]) -> list[BadRecord]:
        """Each setting in `data` that from_dict leaves at its default."""
        found = []
        language = data.get("language")
        if language is not None and (not isinstance(language, str) or language not in LANGUAGES):
            found.append(BadRecord("language", "unknown_value"))
        hotline = data.get("hotline", _MISSING)
        if hotline is not _MISSING and not isinstance(hotline, str):
            found.append(BadRecord("hotline", "not_text"))
        elif hotline is not _MISSING and not hotline.strip():
            found.append(BadRecord("hotline", "empty"))
        lines = data.get("bank_lines", _MISSING)
        if lines is not _MISSING and not isinstance(lines, dict):
            found.append(BadRecord("bank_lines", "not_object"))
        elif lines is not _MISSING:
            found += [BadRecord(f"bank_lines.{key}", "not_text" if not isinstance(value, str)
                                else "empty")
                      for key, value in lines.items()
                      if not isinstance(value, str) or not value.strip()]
        for name, fine in (("shop", lambda v: isinstance(v, str)),
                           ("set_up", lambda v: v in SET_UP_OUTCOMES), ("routines_from", _is_day)):
            value = data.get(name, _MISSING)
            if value is not _MISSING and value is not None and not fine(value):
                found.append(BadRecord(name, "unknown_value"))
        cadences = data.get("cadences", _MISSING)
        if cadences is not _MISSING and not isinstance(cadences, dict):
            found.append(BadRecord("cadences", "not_object"))
        elif cadences is not _MISSING:
            found += [BadRecord(f"cadences.{key}", "not_text")
                      for key, value in cadences.items() if not isinstance(value, str)]
        return found

    def to_dict(self) -> dict[str, Any]:
        chosen = {"shop": self.shop, "set_up": self.set_up, "routines_from": self.routines_from}
        return {**self.extra, "language": self.language, "hotline": self.hotline,
                "bank_lines": dict(self.bank_lines),
                **{k: v for k, v in chosen.items() if v}}  # written once they are chosen


def _is_day(value: Any) -> bool:
    try:
        return isinstance(value, str) and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False
