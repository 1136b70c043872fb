"""Shops for the chain-mode tests: each a Desk of its own data directory, joined as its own role."""

from __future__ import annotations

from pathlib import Path

from clocks import StepClock
from posdesk.central.connection import connect
from posdesk.central.shops import add_shop
from posdesk.desk import Desk
from posdesk.kb import KnowledgeBase


def add_shops(cluster, chain_db: str, *shop_ids: str) -> dict[str, str]:
    """Each shop's role in the chain database (added by its administrator)."""
    roles = {}
    with connect(cluster.dsn(dbname=chain_db)) as admin:
        for shop_id in shop_ids:
            roles[shop_id] = add_shop(admin, shop_id, f"Shop {shop_id}", None).role
    return roles


def joined_shop(cluster, chain_db: str, role: str, shop_id: str, home: Path, kb: KnowledgeBase,
                clock: StepClock) -> Desk:
    desk = Desk(home, kb=kb, clock=clock)
    desk.join_chain(shop_id, f"Shop {shop_id}", cluster.dsn(role, chain_db))
    return desk
