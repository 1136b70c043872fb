"""Adding a shop to the chain: its own login role, a member of the shops' group role, and its row
in `shops`, which is what row-level security goes by."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from posdesk.privacy import clean
from posdesk.central import CentralError
from posdesk.central.schema import NAME_BYTES, SCHEMA, Roles, _ident, _literal, check_version, roles_of

# Lower-case letters, digits and inner hyphens, as a role name can carry it: "sz-01".
SHOP_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,22}[a-z0-9])?", re.ASCII)


def check_shop_id(shop_id: str) -> str:
    if not SHOP_ID.fullmatch(shop_id or ""):
        raise CentralError("bad_shop_id", shop=shop_id)
    return shop_id


def check_shop_name(name: str) -> str:
    """The name cleaned as every text a person typed is (a bidi override, an escape or a card
    number never reaches a terminal or the database), or one line saying why it cannot be."""
    name = clean(name or "").text.strip()
    if not name or any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in name):
        raise CentralError("bad_shop_name")
    return name


@dataclass(frozen=True)
class NewShop:
    """What adding a shop made (or what an administrator must run to make it)."""

    shop_id: str
    name: str
    role: str
    password: str | None
    statements: tuple[str, ...]


def shop_statements(roles: Roles, shop_id: str, name: str, password: str | None) -> NewShop:
    """The SQL that adds the shop: its role, and its row."""
    check_shop_id(shop_id)
    name = check_shop_name(name)
    role = roles.shop(shop_id)
    if len(role.encode()) > NAME_BYTES:  # cut short, it could be another shop's role
        raise CentralError("shop_id_too_long", shop=shop_id, role=role,
                           most=NAME_BYTES - (len(role.encode()) - len(shop_id)))
    login = f"LOGIN PASSWORD {_literal(password)}" if password else "LOGIN"
    statements = (
        f"CREATE ROLE {_ident(role)} {login} IN ROLE {_ident(roles.shops)}",
        f"INSERT INTO {SCHEMA}.shops (shop_id, name, role_name) VALUES "
        f"({_literal(shop_id)}, {_literal(name)}, {_literal(role)})",
    )
    return NewShop(shop_id, name, role, password, statements)


def new_password() -> str:
    return secrets.token_urlsafe(18)


def add_shop(connection: Any, shop_id: str, name: str, password: str | None) -> NewShop:
    """Run `shop_statements` in one transaction; a shop already there is one line."""
    check_version(connection)
    shop = shop_statements(roles_of(connection), shop_id, name, password)
    import psycopg

    try:
        with connection.transaction():
            # Two adding the same shop at once: the second waits, then finds it taken.
            connection.execute(f"LOCK TABLE {SCHEMA}.shops IN SHARE ROW EXCLUSIVE MODE")
            taken = connection.execute(
                f"SELECT 1 FROM {SCHEMA}.shops WHERE shop_id = %s", (shop_id,)).fetchone()
            if taken:
                raise CentralError("shop_exists", shop=shop_id)
            for statement in shop.statements:
                connection.execute(statement)
    except psycopg.errors.DuplicateObject:
        raise CentralError("role_exists", role=shop.role) from None
    except psycopg.errors.InsufficientPrivilege:
        raise CentralError("cannot_create_role") from None
    return shop
