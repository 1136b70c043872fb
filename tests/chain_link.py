"""A shop that behaves as joined to a chain without a server: the link file alone, for tests of
what the shop shows from the chain's files (the chain's guidance, its figures)."""

from __future__ import annotations

import json
from pathlib import Path

from posdesk.models.chain import ChainLink
from posdesk.store.locations import Locations


def pretend_joined(home: str | Path | Locations) -> Locations:
    locations = Locations.resolve(home)
    locations.home.mkdir(parents=True, exist_ok=True)
    link = ChainLink("shop1", "Shop one", "service=chain", "2026-11-25T10:00:00+08:00")
    locations.chain_link.write_text(json.dumps(link.to_dict()), encoding="utf-8")
    return locations
