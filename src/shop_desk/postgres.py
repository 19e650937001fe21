"""What a shop database needs on a PostgreSQL server beyond the tables, and its own checks.

- Text columns without a length limit: Peewee makes ``CharField`` a ``VARCHAR(255)`` on
  PostgreSQL, while SQLite stores any length. The services validate lengths themselves (up
  to 2,000 characters), so the server must not refuse what a single-PC shop accepts.
- A change notification: a statement-level trigger on every table sends ``NOTIFY`` on
  :data:`CHANNEL` with the table's name; the server delivers it when (and only if) the
  transaction commits, once per table per transaction. Open windows and the workshop board
  on other PCs listen (see :mod:`shop_desk.changes_pg`). Triggers catch every writer: the
  services, a migration, ``migrate-db``, even someone at ``psql``.
- Trigram indexes for the global search when the server has ``pg_trgm`` (optional), and the
  search's own table (:mod:`shop_desk.search_index_pg`).

:func:`install` is idempotent; the schema migrations run it on PostgreSQL only.
:func:`postgres_problems` replaces SQLite's integrity and foreign-key checks in
``shop-desk check``.
"""

from __future__ import annotations

import logging

import peewee

from shop_desk.i18n import translate

log = logging.getLogger("shop_desk.postgres")

#: The LISTEN/NOTIFY channel of shop-desk's change notifications.
CHANNEL = "shop_desk_changes"

_NOTIFY_FUNCTION = (
    "CREATE OR REPLACE FUNCTION shop_desk_notify_change() RETURNS trigger AS $$ "
    f"BEGIN PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME); RETURN NULL; END; "
    "$$ LANGUAGE plpgsql"
)

#: The expressions the global search (:mod:`shop_desk.services.search`) matches with
#: ``ILIKE '%term%'`` on a server; a trigram index on each answers without reading the table.
TRIGRAM_INDEXES = (
    (
        "vehicle_plate_key_trgm",
        "vehicle",
        "REPLACE(REPLACE(REPLACE(REPLACE(UPPER(plate), '·', ''), '•', ''), '.', ''), ' ', '')",
    ),
    ("vehicle_plate_trgm", "vehicle", "plate"),
    ("vehicle_vin_trgm", "vehicle", "UPPER(vin)"),
    ("customer_name_trgm", "customer", "name"),
    ("customer_company_trgm", "customer", "company"),
    ("customer_phone_trgm", "customer", "phone"),
    ("customer_phone2_trgm", "customer", "phone2"),
    ("repair_order_number_trgm", "repair_order", "UPPER(number)"),
)


def _is_postgres(db: peewee.Database) -> bool:
    return isinstance(db, peewee.PostgresqlDatabase)


def _model_tables() -> list[str]:
    from shop_desk.models import ALL_MODELS

    return [m._meta.table_name for m in ALL_MODELS]


def unbounded_text(db: peewee.Database) -> list[str]:
    """Turn the length-limited text columns of the shop tables into ``text`` (no rewrite of
    the table: the two types are stored alike). Returns the changed ``table.column``s."""
    rows = db.execute_sql(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND data_type = 'character varying' "
        "AND table_name = ANY(%s) ORDER BY table_name, ordinal_position",
        (_model_tables(),),
    ).fetchall()
    for table, column in rows:
        db.execute_sql(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE text')
    return [f"{t}.{c}" for t, c in rows]


def notify_triggers(db: peewee.Database) -> None:
    """A statement-level NOTIFY trigger on every shop table (replaced if present)."""
    db.execute_sql(_NOTIFY_FUNCTION)
    tables = set(db.get_tables())
    for table in _model_tables():
        if table not in tables:
            continue
        db.execute_sql(f'DROP TRIGGER IF EXISTS shop_desk_notify ON "{table}"')
        db.execute_sql(
            f'CREATE TRIGGER shop_desk_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
            "FOR EACH STATEMENT EXECUTE FUNCTION shop_desk_notify_change()"
        )


def trigram_indexes(db: peewee.Database) -> bool:
    """Trigram indexes for the search columns when the server offers ``pg_trgm`` and the
    role may use it; False (and nothing changed) otherwise."""
    available = db.execute_sql(
        "SELECT installed_version IS NOT NULL, name IS NOT NULL FROM "
        "(SELECT 1) AS one LEFT JOIN pg_available_extensions ON name = 'pg_trgm'"
    ).fetchone()
    if not available or not available[1]:
        return False
    if not available[0]:
        try:
            with db.atomic():  # a savepoint: a refusal must not spoil the migration
                db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except peewee.DatabaseError as exc:
            log.info("pg_trgm not installed (%s); search uses plain LIKE", exc)
            return False
    for name, table, expression in TRIGRAM_INDEXES:
        db.execute_sql(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f"USING gin (({expression}) gin_trgm_ops)"
        )
    return True


#: The audit log's protection on a server: row triggers refuse UPDATE and DELETE (see
#: :mod:`shop_desk.migrations`), this statement trigger refuses TRUNCATE, which fires no row
#: triggers. (PostgreSQL has no INSERT OR REPLACE; ON CONFLICT DO UPDATE fires the UPDATE one.)
AUDIT_TRIGGERS = ("audit_log_no_update", "audit_log_no_delete", "audit_log_no_truncate")


def audit_log_no_truncate(db: peewee.Database) -> None:
    """Refuse ``TRUNCATE audit_log`` like UPDATE and DELETE (replaced if present)."""
    if "audit_log" not in db.get_tables():
        return
    db.execute_sql(
        "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql"
    )
    db.execute_sql("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
    db.execute_sql(
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
    )


def install(db: peewee.Database) -> None:
    """All PostgreSQL extras (idempotent; nothing on other databases)."""
    if not _is_postgres(db):
        return
    unbounded_text(db)
    audit_log_no_truncate(db)
    notify_triggers(db)
    from shop_desk import search_index_pg

    search_index_pg.install(db, trigram=trigram_indexes(db))


# --------------------------------------------------------------------------- checks


def _foreign_keys() -> list[tuple[str, str, str, str]]:
    """(table, column, parent table, parent column) of every foreign key of the models."""
    from shop_desk.models import ALL_MODELS

    found = []
    for model in ALL_MODELS:
        for field in model._meta.sorted_fields:
            if isinstance(field, peewee.ForeignKeyField):
                found.append(
                    (
                        model._meta.table_name,
                        field.column_name,
                        field.rel_model._meta.table_name,
                        field.rel_field.column_name,
                    )
                )
    return found


def postgres_problems(db: peewee.Database) -> list[str]:
    """The server-side counterpart of SQLite's integrity and foreign-key checks: every
    foreign key of the models is enforced by a valid constraint, no row refers to a missing
    row. (The audit log's triggers are checked for both kinds of database by
    :func:`shop_desk.checks.protection_problems`; damaged pages are the server's own
    business: it checks them with data checksums and reports them in its log.)"""
    problems: list[str] = []
    tables = set(db.get_tables())
    constraints = {
        (table, column): valid
        for table, column, valid in db.execute_sql(
            "SELECT r.relname, a.attname, c.convalidated FROM pg_constraint c "
            "JOIN pg_class r ON r.oid = c.conrelid "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
            "WHERE c.contype = 'f' AND r.relnamespace = current_schema()::regnamespace"
        ).fetchall()
    }
    orphan_parts = []
    for table, column, parent, parent_column in _foreign_keys():
        if table not in tables or parent not in tables:
            continue
        key = (table, column)
        if key not in constraints or not constraints[key]:
            problems.append(
                translate(
                    "Checks",
                    "Column {column} of table {table} is not protected by its foreign key to "
                    "{parent}.",
                ).format(column=column, table=table, parent=parent)
            )
        orphan_parts.append(
            f"SELECT '{table}', '{parent}', MIN(t.id), COUNT(*) FROM \"{table}\" t "
            f'LEFT JOIN "{parent}" p ON p."{parent_column}" = t."{column}" '
            f'WHERE t."{column}" IS NOT NULL AND p."{parent_column}" IS NULL'
        )
    if orphan_parts:
        for table, parent, rowid, count in db.execute_sql(" UNION ALL ".join(orphan_parts)):
            if count:
                problems.append(
                    translate(
                        "Checks",
                        "Row {rowid} of table {table} refers to a missing row in {parent}.",
                    ).format(rowid=rowid, table=table, parent=parent)
                )
    return problems
