"""The central database's schema, created and brought forward by numbered migrations.

Everything lives in the schema `posdesk`. Roles are per database (a cluster may hold a test
chain beside the real one): `<db>_shops`, which every shop's login role is a member of, and
`<db>_head_office`, which reads everything. Row-level security lets a shop's role insert and
read only its own rows; nothing lets it change or delete an event.

`SCHEMA_VERSION` is the newest migration; `migrate` refuses a database written by a newer
posdesk rather than guess at tables it does not know.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from posdesk.central import CentralError

SCHEMA = "posdesk"
# Taken for the whole migration, so that two `central init` at once run one after the other.
MIGRATION_LOCK = 0x706F7364  # "posd"


@dataclass(frozen=True)
class Roles:
    """The group roles of one chain database, named after it."""

    database: str

    @property
    def shops(self) -> str:
        return f"{self.database}_shops"

    @property
    def head_office(self) -> str:
        return f"{self.database}_head_office"

    def shop(self, shop_id: str) -> str:
        return f"{self.database}_shop_{shop_id.replace('-', '_')}"


# PostgreSQL cuts a longer name to this many bytes (NAMEDATALEN - 1): two roles cut alike are one.
NAME_BYTES = 63


def check_role_names(roles: Roles) -> None:
    """The chain's group roles, named after the database, must each fit whole: cut short, the
    shops' group and the head office's would be one role, reading every shop's rows."""
    longest = roles.head_office
    if len(longest.encode()) > NAME_BYTES:
        most = NAME_BYTES - (len(longest.encode()) - len(roles.database.encode()))
        raise CentralError("database_name_too_long", database=roles.database, role=longest,
                           most=most)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# Tables a shop writes its own rows into, and what it may do there.
SHOP_GRANTS = {
    "incidents": "SELECT, INSERT",
    "events": "SELECT, INSERT",
    "routine_log": "SELECT, INSERT",
    "terminals": "SELECT, INSERT, UPDATE",
}


def _first_schema(cursor: Any, roles: Roles) -> None:
    """Migration 1: the shops and what they send, kept as the shop recorded it."""
    cursor.execute(f"""
        CREATE SCHEMA {SCHEMA};
        CREATE TABLE {SCHEMA}.meta (key text PRIMARY KEY, value text NOT NULL);
        CREATE TABLE {SCHEMA}.shops (
            shop_id text PRIMARY KEY,
            name text NOT NULL,
            role_name name NOT NULL UNIQUE,
            added_at timestamptz NOT NULL DEFAULT now()
        );
        -- An incident as the shop keeps it, less its events.
        CREATE TABLE {SCHEMA}.incidents (
            shop_id text NOT NULL REFERENCES {SCHEMA}.shops,
            incident_id text NOT NULL,
            topic_id text NOT NULL,
            topic_title jsonb NOT NULL,
            kb_version text NOT NULL,
            step_count int NOT NULL,
            terminal text,
            record jsonb NOT NULL,
            received_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (shop_id, incident_id)
        );
        -- Each event of an incident, numbered from 0 in the order the shop recorded them. Its
        -- time is kept as the shop wrote it (at_text, offset included) and read (at); the
        -- shop's clock against the server's when it was sent is clock_offset.
        CREATE TABLE {SCHEMA}.events (
            shop_id text NOT NULL,
            incident_id text NOT NULL,
            seq int NOT NULL CHECK (seq >= 0),
            kind text NOT NULL,
            at_text text NOT NULL,
            at timestamptz NOT NULL,
            body jsonb NOT NULL,
            digest text NOT NULL,
            clock_offset interval,
            received_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (shop_id, incident_id, seq),
            FOREIGN KEY (shop_id, incident_id) REFERENCES {SCHEMA}.incidents
        );
        -- Each time a routine was done, keyed by a digest of the entry.
        CREATE TABLE {SCHEMA}.routine_log (
            shop_id text NOT NULL REFERENCES {SCHEMA}.shops,
            entry_key text NOT NULL,
            routine_id text NOT NULL,
            at_text text NOT NULL,
            at timestamptz NOT NULL,
            body jsonb NOT NULL,
            clock_offset interval,
            received_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (shop_id, entry_key)
        );
        -- The terminals a shop has on record; one taken off the record stays, marked so.
        CREATE TABLE {SCHEMA}.terminals (
            shop_id text NOT NULL REFERENCES {SCHEMA}.shops,
            terminal_id text NOT NULL,
            body jsonb NOT NULL,
            on_record boolean NOT NULL DEFAULT true,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (shop_id, terminal_id)
        );
        -- The shop of the role connected, or NULL for any other role.
        CREATE FUNCTION {SCHEMA}.my_shop() RETURNS text LANGUAGE sql STABLE
            AS $$ SELECT shop_id FROM {SCHEMA}.shops WHERE role_name = current_user $$;
    """)
    for group in (roles.shops, roles.head_office):
        cursor.execute(f"""
            DO $$ BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {_literal(group)}) THEN
                    CREATE ROLE {_ident(group)} NOLOGIN;
                END IF;
            END $$;
            GRANT USAGE ON SCHEMA {SCHEMA} TO {_ident(group)};
        """)
    cursor.execute(f"""
        ALTER TABLE {SCHEMA}.shops ENABLE ROW LEVEL SECURITY;
        CREATE POLICY own_shop ON {SCHEMA}.shops FOR SELECT TO {_ident(roles.shops)}
            USING (role_name = current_user);
        CREATE POLICY head_office_reads ON {SCHEMA}.shops FOR SELECT
            TO {_ident(roles.head_office)} USING (true);
        GRANT SELECT ON {SCHEMA}.shops, {SCHEMA}.meta TO {_ident(roles.shops)};
        GRANT SELECT ON {SCHEMA}.shops, {SCHEMA}.meta TO {_ident(roles.head_office)};
    """)
    for table, rights in SHOP_GRANTS.items():
        _shop_rows_only(cursor, roles, table, rights)


def _shop_rows_only(cursor: Any, roles: Roles, table: str, rights: str) -> None:
    """Row-level security on `table`: a shop's rows for that shop, every row for reading by the
    head office. FORCE, so that even a role owning the table by mistake is held to it."""
    cursor.execute(f"""
        ALTER TABLE {SCHEMA}.{table} ENABLE ROW LEVEL SECURITY;
        CREATE POLICY own_rows ON {SCHEMA}.{table} TO {_ident(roles.shops)}
            USING (shop_id = {SCHEMA}.my_shop()) WITH CHECK (shop_id = {SCHEMA}.my_shop());
        CREATE POLICY head_office_reads ON {SCHEMA}.{table} FOR SELECT
            TO {_ident(roles.head_office)} USING (true);
        GRANT {rights} ON {SCHEMA}.{table} TO {_ident(roles.shops)};
        GRANT SELECT ON {SCHEMA}.{table} TO {_ident(roles.head_office)};
    """)


def _head_office_summaries(cursor: Any, roles: Roles) -> None:
    """Migration 2: what the head office asks of every incident at once, kept up to date as
    events arrive; each shop's routines as it last reported them; the chain's figures per step.

    The trigger refuses an event out of order, so an incident's events in the database are
    always the first N the shop recorded, with no gap."""
    cursor.execute(f"""
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        ALTER TABLE {SCHEMA}.incidents
            ADD COLUMN status text NOT NULL DEFAULT 'open',
            ADD COLUMN event_count int NOT NULL DEFAULT 0,
            ADD COLUMN last_digest text,
            ADD COLUMN opened_at timestamptz,
            ADD COLUMN opened_text text,
            ADD COLUMN last_at timestamptz,
            ADD COLUMN resolved_at timestamptz,
            ADD COLUMN resolution text,
            ADD COLUMN attempts int NOT NULL DEFAULT 0,
            ADD COLUMN escalated_to text,
            ADD COLUMN words text NOT NULL DEFAULT '';
        CREATE INDEX incidents_by_status ON {SCHEMA}.incidents (status, opened_at DESC);
        CREATE INDEX incidents_by_shop ON {SCHEMA}.incidents (shop_id, status, opened_at DESC);
        CREATE INDEX incidents_by_opening ON {SCHEMA}.incidents (opened_at DESC);
        CREATE INDEX incidents_by_words ON {SCHEMA}.incidents USING gin (words gin_trgm_ops);

        -- Per incident and step tried: whether it fixed the fault there.
        CREATE TABLE {SCHEMA}.step_outcomes (
            shop_id text NOT NULL,
            incident_id text NOT NULL,
            step_id text NOT NULL,
            fixed boolean NOT NULL,
            PRIMARY KEY (shop_id, incident_id, step_id)
        );
        ALTER TABLE {SCHEMA}.step_outcomes ENABLE ROW LEVEL SECURITY;
        CREATE POLICY head_office_reads ON {SCHEMA}.step_outcomes FOR SELECT
            TO {_ident(roles.head_office)} USING (true);
        GRANT SELECT ON {SCHEMA}.step_outcomes TO {_ident(roles.head_office)};

        -- The chain's figure per step, with no shop named: every shop may read it. A view
        -- reads as its owner, so it sees every shop's outcomes; a shop sees only the sums.
        CREATE VIEW {SCHEMA}.chain_step_figures AS
            SELECT step_id, count(*) FILTER (WHERE fixed) AS fixed, count(*) AS tried,
                   count(DISTINCT shop_id) AS shops
            FROM {SCHEMA}.step_outcomes GROUP BY step_id;
        GRANT SELECT ON {SCHEMA}.chain_step_figures TO {_ident(roles.shops)};
        GRANT SELECT ON {SCHEMA}.chain_step_figures TO {_ident(roles.head_office)};

        -- What a shop last said of itself: its routines' states, as its own posdesk worked
        -- them out, and its clock against the server's.
        CREATE TABLE {SCHEMA}.shop_status (
            shop_id text PRIMARY KEY REFERENCES {SCHEMA}.shops,
            synced_at timestamptz NOT NULL DEFAULT now(),
            shop_time text NOT NULL,
            clock_offset interval,
            routines jsonb NOT NULL DEFAULT '[]',
            waiting int NOT NULL DEFAULT 0
        );

        CREATE FUNCTION {SCHEMA}.event_arrived() RETURNS trigger LANGUAGE plpgsql
            SECURITY DEFINER SET search_path = pg_catalog, {SCHEMA} AS $$
        DECLARE
            expected int;
        BEGIN
            SELECT event_count INTO expected FROM {SCHEMA}.incidents
                WHERE shop_id = NEW.shop_id AND incident_id = NEW.incident_id FOR UPDATE;
            IF NEW.seq <> expected THEN
                RAISE EXCEPTION 'event % of incident % arrived before event %',
                    NEW.seq, NEW.incident_id, expected USING ERRCODE = 'check_violation';
            END IF;
            UPDATE {SCHEMA}.incidents SET
                event_count = NEW.seq + 1,
                last_digest = NEW.digest,
                last_at = NEW.at,
                status = CASE NEW.kind WHEN 'opened' THEN 'open' WHEN 'reopened' THEN 'open'
                    WHEN 'escalated' THEN 'escalated' WHEN 'resolved' THEN 'resolved'
                    ELSE status END,
                opened_at = CASE WHEN NEW.kind = 'opened' THEN NEW.at ELSE opened_at END,
                opened_text = CASE WHEN NEW.kind = 'opened' THEN NEW.at_text ELSE opened_text END,
                resolved_at = CASE NEW.kind WHEN 'resolved' THEN NEW.at
                    WHEN 'reopened' THEN NULL ELSE resolved_at END,
                resolution = CASE NEW.kind WHEN 'resolved' THEN NEW.body->>'resolution'
                    WHEN 'reopened' THEN NULL ELSE resolution END,
                escalated_to = CASE WHEN NEW.kind = 'escalated' THEN NEW.body->>'hotline'
                    ELSE escalated_to END,
                attempts = attempts + (NEW.kind = 'attempt')::int,
                words = words || ' ' || lower(concat_ws(' ', NEW.body->>'note', NEW.body->>'text',
                    NEW.body->>'reference', NEW.body->>'code'))
            WHERE shop_id = NEW.shop_id AND incident_id = NEW.incident_id;
            IF NEW.kind = 'attempt' AND NEW.body->>'outcome' IN ('fixed', 'not_fixed') THEN
                INSERT INTO {SCHEMA}.step_outcomes VALUES (NEW.shop_id, NEW.incident_id,
                    NEW.body->>'step_id', NEW.body->>'outcome' = 'fixed')
                ON CONFLICT (shop_id, incident_id, step_id) DO UPDATE
                    SET fixed = step_outcomes.fixed OR excluded.fixed;
            END IF;
            RETURN NULL;
        END $$;
        CREATE FUNCTION {SCHEMA}.incident_arrived() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.words := lower(concat_ws(' ', NEW.incident_id, NEW.topic_id,
                NEW.topic_title->>'zh', NEW.topic_title->>'en', NEW.terminal));
            RETURN NEW;
        END $$;
        CREATE TRIGGER incident_arrived BEFORE INSERT ON {SCHEMA}.incidents
            FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.incident_arrived();
    """)
    # Incidents that arrived under the first schema: their summaries from their events, in order.
    cursor.execute(f"""
        UPDATE {SCHEMA}.incidents SET words = lower(concat_ws(' ', incident_id, topic_id,
            topic_title->>'zh', topic_title->>'en', terminal));
        CREATE TEMPORARY TABLE arrived ON COMMIT DROP AS
            SELECT * FROM {SCHEMA}.events ORDER BY shop_id, incident_id, seq;
        DELETE FROM {SCHEMA}.events;
        CREATE TRIGGER event_arrived AFTER INSERT ON {SCHEMA}.events
            FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.event_arrived();
        INSERT INTO {SCHEMA}.events SELECT * FROM arrived ORDER BY shop_id, incident_id, seq;
    """)
    _shop_rows_only(cursor, roles, "shop_status", "SELECT, INSERT, UPDATE")


def _head_office_speed(cursor: Any, roles: Roles) -> None:
    """Migration 3: what keeps the head office's questions quick over a million incidents.

    - A Chinese word is often two characters ("打印", "网络"), too short for the trigram
      index, which would then read every incident: the column `pairs` holds each two
      characters in a row of the words' non-ASCII runs, and its GIN index finds them.
    - How many incidents each shop has in each status, kept as they arrive and change, so that
      the total of a list filtered by status or shop is read, not counted.
    - A shop's routine log by routine and time, for its latest tamper inspection."""
    cursor.execute(rf"""
        CREATE FUNCTION {SCHEMA}.pairs(words text) RETURNS text[]
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
            SELECT coalesce(array_agg(DISTINCT substr(run[1], n, 2)), '{{}}')
            FROM regexp_matches(words, '[^\x01-\x7f\s]{{2,}}', 'g') AS run,
                 generate_series(1, length(run[1]) - 1) AS n $$;
        -- Kept, not an index's expression: a filter then tests the list without working it
        -- out again for every incident it passes.
        ALTER TABLE {SCHEMA}.incidents
            ADD COLUMN pairs text[] GENERATED ALWAYS AS ({SCHEMA}.pairs(words)) STORED;
        CREATE INDEX incidents_by_pairs ON {SCHEMA}.incidents USING gin (pairs);

        CREATE TABLE {SCHEMA}.incident_counts (
            shop_id text NOT NULL,
            status text NOT NULL,
            incidents bigint NOT NULL,
            PRIMARY KEY (shop_id, status)
        );
        INSERT INTO {SCHEMA}.incident_counts
            SELECT shop_id, status, count(*) FROM {SCHEMA}.incidents GROUP BY shop_id, status;
        GRANT SELECT ON {SCHEMA}.incident_counts TO {_ident(roles.head_office)};
        CREATE FUNCTION {SCHEMA}.incident_counted() RETURNS trigger LANGUAGE plpgsql
            SECURITY DEFINER SET search_path = pg_catalog, {SCHEMA} AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                UPDATE {SCHEMA}.incident_counts SET incidents = incidents - 1
                    WHERE shop_id = OLD.shop_id AND status = OLD.status;
            END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN
                INSERT INTO {SCHEMA}.incident_counts VALUES (NEW.shop_id, NEW.status, 1)
                    ON CONFLICT (shop_id, status) DO UPDATE
                    SET incidents = incident_counts.incidents + 1;
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER incident_counted AFTER INSERT OR DELETE ON {SCHEMA}.incidents
            FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.incident_counted();
        CREATE TRIGGER incident_recounted AFTER UPDATE OF status ON {SCHEMA}.incidents
            FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
            EXECUTE FUNCTION {SCHEMA}.incident_counted();

        CREATE INDEX routine_log_by_routine ON {SCHEMA}.routine_log (shop_id, routine_id, at DESC);
    """)


# The tables a shop writes and the column saying when the server took the row.
ARRIVAL_TIMES = {"incidents": "received_at", "events": "received_at",
                 "routine_log": "received_at", "terminals": "updated_at",
                 "shop_status": "synced_at"}


def _server_clock(cursor: Any, roles: Roles) -> None:
    """Migration 4: when a row arrived is the server's to say, not the shop's (a shop claiming
    it synced in 2099 would never look stale); and only the chain's roles may connect to its
    database (the administrator owns it)."""
    cursor.execute(f"""
        CREATE FUNCTION {SCHEMA}.stamp_arrival() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], now()));
            RETURN NEW;
        END $$;
    """)
    for table, column in ARRIVAL_TIMES.items():
        cursor.execute(f"""
            CREATE TRIGGER stamp_arrival BEFORE INSERT OR UPDATE ON {SCHEMA}.{table}
                FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.stamp_arrival({_literal(column)});
        """)
    database = _ident(roles.database)
    cursor.execute(f"""
        REVOKE CONNECT ON DATABASE {database} FROM PUBLIC;
        GRANT CONNECT ON DATABASE {database} TO {_ident(roles.shops)}, {_ident(roles.head_office)};
    """)


# The head office reads through views of these, in the schema READ (see _head_office_views).
HEAD_OFFICE_READS = ("shops", "incidents", "events", "routine_log", "terminals", "shop_status",
                     "step_outcomes", "incident_counts")
READ = "posdesk_head_office"


def _head_office_views(cursor: Any, roles: Roles) -> None:
    """Migration 5: the head office reads through views owned by the administrator.

    Under row-level security PostgreSQL will not let a role's query use the columns'
    statistics with an operator such as LIKE (they could leak rows it may not see), so every
    word filter was planned as if the word were rare: a common word read and sorted a tenth of
    a million incidents. The head office may read every row anyway; through a view, which reads
    as its owner, its queries are planned like the administrator's. Only the head office's role
    may use the views. A later migration that adds a column to a table makes its view again."""
    cursor.execute(f"CREATE SCHEMA {READ}; "
                   f"GRANT USAGE ON SCHEMA {READ} TO {_ident(roles.head_office)};")
    for table in HEAD_OFFICE_READS:
        _head_office_view(cursor, roles, table)


def _head_office_view(cursor: Any, roles: Roles, table: str) -> None:
    cursor.execute(f"""
        CREATE VIEW {READ}.{table} AS SELECT * FROM {SCHEMA}.{table};
        GRANT SELECT ON {READ}.{table} TO {_ident(roles.head_office)};
    """)


# The chain's topic ids: a category's prefix (models.ID_PREFIXES), "chain-" and a number. Kept
# apart from the shipped base's ids, which use only [a-z0-9_.], and from a shop's ("shop-").
CHAIN_TOPIC_ID = r"^(fault|maint|sec|tx)\.chain-[1-9][0-9]*$"
FLAG_REASONS = ("wrong", "out_of_date", "not_our_terminal")  # models.FLAG_REASONS, fixed here


def _chain_guidance(cursor: Any, roles: Roles) -> None:
    """Migration 6: the chain's own guidance and the shops' flags on steps.

    - `chain_topics` and `chain_notes` are the head office's only writes. Its writers publish;
      shops read what is not withdrawn (a withdrawn one drops out of the next pull). When a
      topic was published and last revised is the server's to say; a revision keeps the id.
    - `step_flags` is a shop's like its incidents: it inserts its own and may change only
      whether one is withdrawn; the head office reads every shop's."""
    shops, head_office = _ident(roles.shops), _ident(roles.head_office)
    reasons = ", ".join(_literal(reason) for reason in FLAG_REASONS)
    cursor.execute(f"""
        CREATE SEQUENCE {SCHEMA}.chain_topic_numbers;
        CREATE SEQUENCE {SCHEMA}.chain_note_numbers;
        CREATE TABLE {SCHEMA}.chain_topics (
            id text PRIMARY KEY CHECK (id ~ {_literal(CHAIN_TOPIC_ID)}),
            category text NOT NULL
                CHECK (category IN ('fault', 'maintenance', 'security', 'transaction')),
            record jsonb NOT NULL CHECK (jsonb_typeof(record) = 'object'),
            published_by text NOT NULL,
            published_role name NOT NULL DEFAULT current_user,
            published_at timestamptz NOT NULL DEFAULT now(),
            revised_at timestamptz,
            withdrawn_at timestamptz
        );
        CREATE TABLE {SCHEMA}.chain_notes (
            id text PRIMARY KEY DEFAULT 'C' || nextval('{SCHEMA}.chain_note_numbers'),
            on_id text NOT NULL,
            text text NOT NULL,
            who text NOT NULL,
            published_role name NOT NULL DEFAULT current_user,
            published_at timestamptz NOT NULL DEFAULT now(),
            withdrawn_at timestamptz
        );
        ALTER SEQUENCE {SCHEMA}.chain_note_numbers OWNED BY {SCHEMA}.chain_notes.id;

        -- Published and revised when the server says, whatever a writer sends.
        CREATE FUNCTION {SCHEMA}.guidance_stamped() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                NEW := jsonb_populate_record(NEW, jsonb_build_object(
                    'published_at', now(), 'published_role', current_user));
            ELSE
                NEW := jsonb_populate_record(NEW, jsonb_build_object(
                    'published_at', OLD.published_at, 'published_role', OLD.published_role));
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER guidance_stamped BEFORE INSERT OR UPDATE ON {SCHEMA}.chain_topics
            FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.guidance_stamped();
        CREATE TRIGGER guidance_stamped BEFORE INSERT OR UPDATE ON {SCHEMA}.chain_notes
            FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.guidance_stamped();

        CREATE TABLE {SCHEMA}.step_flags (
            shop_id text NOT NULL REFERENCES {SCHEMA}.shops,
            flag_id text NOT NULL,
            step_id text NOT NULL,
            topic_id text NOT NULL,
            reason text NOT NULL CHECK (reason IN ({reasons})),
            why text NOT NULL DEFAULT '',
            who text NOT NULL DEFAULT '',
            at_text text NOT NULL,
            withdrawn_at_text text,
            received_at timestamptz NOT NULL DEFAULT now(),
            -- A shop restored from an older backup gives its next flag an id it gave before:
            -- the step and the moment it was raised tell the two apart, and the one raised
            -- before the restore stays counted (it was raised; a restore is no withdrawal).
            PRIMARY KEY (shop_id, flag_id, step_id, at_text)
        );
        CREATE INDEX step_flags_by_step ON {SCHEMA}.step_flags (step_id);
        CREATE TRIGGER stamp_arrival BEFORE INSERT OR UPDATE ON {SCHEMA}.step_flags
            FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.stamp_arrival('received_at');
    """)
    for table in ("chain_topics", "chain_notes"):
        cursor.execute(f"""
            ALTER TABLE {SCHEMA}.{table} ENABLE ROW LEVEL SECURITY;
            CREATE POLICY shops_read_published ON {SCHEMA}.{table} FOR SELECT TO {shops}
                USING (withdrawn_at IS NULL);
            CREATE POLICY head_office_writes ON {SCHEMA}.{table} TO {head_office}
                USING (true) WITH CHECK (true);
            GRANT SELECT ON {SCHEMA}.{table} TO {shops};
            GRANT SELECT, INSERT ON {SCHEMA}.{table} TO {head_office};
        """)
    cursor.execute(f"""
        GRANT UPDATE (record, published_by, revised_at, withdrawn_at)
            ON {SCHEMA}.chain_topics TO {head_office};
        GRANT UPDATE (withdrawn_at) ON {SCHEMA}.chain_notes TO {head_office};
        GRANT USAGE ON SEQUENCE {SCHEMA}.chain_topic_numbers, {SCHEMA}.chain_note_numbers
            TO {head_office};
    """)
    _shop_rows_only(cursor, roles, "step_flags", "SELECT, INSERT, UPDATE (withdrawn_at_text)")
    _head_office_view(cursor, roles, "step_flags")  # read as the others (_head_office_views)


# Numbered from 1; never edit one that shipped: add the next.
MIGRATIONS: tuple[Callable[[Any, Roles], None], ...] = (
    _first_schema, _head_office_summaries, _head_office_speed, _server_clock, _head_office_views,
    _chain_guidance)
SCHEMA_VERSION = len(MIGRATIONS)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def version_of(connection: Any) -> int:
    """The schema version the database is at; 0 when posdesk never set it up."""
    found = connection.execute(
        "SELECT to_regclass(%s) IS NOT NULL", (f"{SCHEMA}.meta",)).fetchone()[0]
    if not found:
        return 0
    row = connection.execute(f"SELECT value FROM {SCHEMA}.meta WHERE key = 'schema'").fetchone()
    try:
        return int(row[0]) if row else 0
    except ValueError:
        raise CentralError("schema_unreadable", found=row[0]) from None


def check_version(connection: Any) -> int:
    """The version, when this posdesk can work with it; one line saying why not otherwise."""
    found = version_of(connection)
    if found > SCHEMA_VERSION:
        raise CentralError("schema_too_new", found=found, known=SCHEMA_VERSION)
    if found < SCHEMA_VERSION:
        raise CentralError("schema_too_old", found=found, known=SCHEMA_VERSION)
    return found


def roles_of(connection: Any) -> Roles:
    return Roles(connection.execute("SELECT current_database()").fetchone()[0])


def migrate(connection: Any, upto: int = SCHEMA_VERSION) -> tuple[int, int]:
    """Bring the schema to `upto`, each migration in the one transaction; (before, after).
    A database at a newer version than this posdesk knows is refused, untouched."""
    roles = roles_of(connection)
    with connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        before = version_of(connection)
        if before > SCHEMA_VERSION:
            raise CentralError("schema_too_new", found=before, known=SCHEMA_VERSION)
        if before == 0:
            check_role_names(roles)
        with connection.cursor() as cursor:
            for number in range(before + 1, upto + 1):
                MIGRATIONS[number - 1](cursor, roles)
                cursor.execute(
                    f"INSERT INTO {SCHEMA}.meta VALUES ('schema', %s) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(number),))
    return before, max(before, upto)
