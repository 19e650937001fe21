"""Schema version and forward migrations.

A new database gets the current tables plus the extras (triggers, indexes) and is stamped
with :data:`LATEST`. An older database is first copied aside (SQLite online backup), then
each step runs in its own transaction and stamps its version, so a failed step leaves the
database at the last good version. A database newer than this program is refused.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import peewee

from shop_desk import clock
from shop_desk.defaults import seed_defaults
from shop_desk.errors import DomainError
from shop_desk.i18n import translate
from shop_desk.models import ALL_MODELS, AuditLog

SCHEMA_TABLE = "schema_version"

#: The triggers that keep the audit log append-only in an SQLite file (see _audit_triggers);
#: a server's are :data:`shop_desk.postgres.AUDIT_TRIGGERS`.
SQLITE_AUDIT_TRIGGERS = ("audit_log_no_update", "audit_log_no_delete", "audit_log_no_replace")


def _audit_triggers(db: peewee.Database) -> None:
    """The audit log is append-only: refuse UPDATE and DELETE in the database itself."""
    if isinstance(db, peewee.SqliteDatabase):
        for op in ("UPDATE", "DELETE"):
            db.execute_sql(
                f"CREATE TRIGGER IF NOT EXISTS audit_log_no_{op.lower()} BEFORE {op} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            )
        # INSERT OR REPLACE deletes the old row without firing DELETE triggers (unless
        # recursive_triggers is on): refuse any insert that reuses an existing id.
        db.execute_sql(
            "CREATE TRIGGER IF NOT EXISTS audit_log_no_replace BEFORE INSERT ON audit_log "
            "WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )
    else:  # PostgreSQL
        db.execute_sql(
            "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql"
        )
        for op in ("UPDATE", "DELETE"):
            db.execute_sql(f"DROP TRIGGER IF EXISTS audit_log_no_{op.lower()} ON audit_log")
            db.execute_sql(
                f"CREATE TRIGGER audit_log_no_{op.lower()} BEFORE {op} ON audit_log "
                "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
            )


def missing_protection(db: peewee.Database) -> list[str]:
    """The audit log's protecting triggers that are missing (on a server: or disabled), by
    name. Someone with the file or a database login can drop them; ``shop-desk check`` says
    so and the next open puts them back (:func:`restore_protection`)."""
    if "audit_log" not in db.get_tables():
        return []
    if isinstance(db, peewee.SqliteDatabase):
        present = {
            name
            for (name,) in db.execute_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"
            ).fetchall()
        }
        return [name for name in SQLITE_AUDIT_TRIGGERS if name not in present]
    from shop_desk.postgres import AUDIT_TRIGGERS

    enabled = dict(
        db.execute_sql(
            "SELECT tgname, tgenabled FROM pg_trigger "
            "WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal"
        ).fetchall()
    )
    return [name for name in AUDIT_TRIGGERS if enabled.get(name, "D") == "D"]


def restore_protection(db: peewee.Database) -> list[str]:
    """Put the audit log's missing protecting triggers back, with an audit entry naming them
    (a vanished protection must not go unnoticed, nor stay away). Returns what was missing.

    Runs at every open of a current database: one catalogue query when nothing is missing.
    The repair takes the write lock first, so two stations starting at once repair once."""
    if not missing_protection(db):
        return []
    lock = "IMMEDIATE" if isinstance(db, peewee.SqliteDatabase) else None
    with db.atomic(lock) if lock else db.atomic():
        missing = missing_protection(db)  # another station may have just repaired it
        if not missing:
            return []
        _audit_triggers(db)
        if not isinstance(db, peewee.SqliteDatabase):
            from shop_desk.postgres import audit_log_no_truncate

            audit_log_no_truncate(db)
        AuditLog.insert(
            at=clock.now(),
            staff=None,
            staff_name="shop-desk",
            action="restore_audit_protection",
            entity="audit_log",
            entity_id=None,
            before=json.dumps({"missing_triggers": missing}),
            after=json.dumps(
                {
                    "restored_triggers": missing,
                    "note": "the audit log's protecting triggers were missing and were put back",
                }
            ),
        ).execute()
    return missing


def _sql_literal(field: peewee.Field, value: object, db: peewee.Database | None = None) -> str:
    """A constant DEFAULT for ALTER TABLE ADD COLUMN (strings quoted, booleans as 0/1, or
    TRUE/FALSE on PostgreSQL, whose booleans are not integers)."""
    value = field.db_value(value)
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        if isinstance(db, peewee.PostgresqlDatabase):
            return "TRUE" if value else "FALSE"
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _add_column(db: peewee.Database, table: str, field: peewee.Field) -> None:
    """Add one model column to an existing table without rebuilding it (no data copied).

    A constant default becomes the column's DEFAULT (NOT NULL kept); a callable default is
    filled into the existing rows after adding the column as nullable.
    """
    default = field.default
    constant = default is not None and not callable(default)
    column = field.clone()
    column.name = field.name
    column.column_name = field.column_name
    if not constant:
        column.null = True
    ctx = db.get_sql_context()
    ddl, params = ctx.sql(column.ddl(ctx)).query()
    if constant:
        ddl += " DEFAULT " + _sql_literal(field, default, db)
    if isinstance(field, peewee.ForeignKeyField):
        ddl += (
            f' REFERENCES "{field.rel_model._meta.table_name}" ("{field.rel_field.column_name}")'
            + (f" ON DELETE {field.on_delete}" if field.on_delete else "")
        )
    db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN {ddl}', params)
    if callable(default):
        db.execute_sql(
            f'UPDATE "{table}" SET "{field.column_name}" = {db.param}', (field.db_value(default()),)
        )


def add_missing_schema(db: peewee.Database) -> list[str]:
    """Bring a database made by an older build up to the current models: missing tables,
    columns and indexes are added; nothing is dropped or rewritten. Returns what was added
    as ``table.column`` names (tables as ``table``)."""
    added: list[str] = []
    tables = set(db.get_tables())
    for model in ALL_MODELS:
        table = model._meta.table_name
        if table not in tables:
            added.append(table)
            continue
        have = {c.name for c in db.get_columns(table)}
        for field in model._meta.sorted_fields:
            if field.column_name not in have:
                _add_column(db, table, field)
                added.append(f"{table}.{field.column_name}")
    db.create_tables(ALL_MODELS, safe=True)
    return added


def _search_index(db: peewee.Database) -> None:
    from shop_desk import search_index

    search_index.install(db)


def _postgres_extras(db: peewee.Database) -> None:
    from shop_desk import postgres

    postgres.install(db)


def _v2_audit_append_only(db: peewee.Database) -> None:
    """v1 -> v2: the append-only audit log and the search index, plus the tables and columns
    added since v1."""
    add_missing_schema(db)
    _audit_triggers(db)
    _search_index(db)
    _postgres_extras(db)


def _v3_search_and_report_indexes(db: peewee.Database) -> None:
    """v2 -> v3: the search index in its per-kind layout with one- and two-character pieces
    (replaces the first one), and the indexes the reports use on a large database."""
    add_missing_schema(db)
    _search_index(db)


def _v4_history_indexes(db: peewee.Database) -> None:
    """v3 -> v4: indexes for lists that show a few rows out of ten years of history: the
    dispatch time (the board's team loads of a day), pay type, claim state and warranty
    decision (warranty claims), the comeback flag (comebacks without a complaint case),
    advisor and state (an advisor's notices), and the follow-up calls' state with due time
    and their done time (the call list)."""
    add_missing_schema(db)


def _v5_refunds_and_record_versions(db: peewee.Database) -> None:
    """v4 -> v5: the settlement's refunds given after settling (so payments, settlement and
    the check agree after a refund), and a version on customers, vehicles and appointments
    (two desks editing the same record: the second is refused instead of overwriting)."""
    add_missing_schema(db)


def _v6_imports(db: peewee.Database) -> None:
    """v5 -> v6: imports from a shop's old system: the batches (undoable as a whole), the
    column mappings saved per source, and on customers, vehicles, odometer readings and
    repair orders the batch that brought them (orders also their original number)."""
    add_missing_schema(db)


def _v7_field_service(db: peewee.Database) -> None:
    """v6 -> v7: field service (issue 21): field jobs with their dispatch record, crew and
    parts taken out, the service report with the satisfaction survey, the penalty register
    and the penalty amounts in the shop's settings."""
    add_missing_schema(db)


def _v8_parts_flow(db: peewee.Database) -> None:
    """v7 -> v8: parts in and out (issue 22 §2): return slips (退料单), suppliers, supplier
    orders (采购单) with their lines, supplier quality claims and the parts' reorder level."""
    add_missing_schema(db)


def _v9_accessory_counter(db: peewee.Database) -> None:
    """v8 -> v9: the accessory counter (issue 22 §3): counter sales with their lines and
    payments, the warranty exclusions per category, the cases of products brought back, and
    the counter's warranty periods in the shop's settings."""
    add_missing_schema(db)


def _v10_insurance(db: peewee.Database) -> None:
    """v9 -> v10: insurance repairs (issue 22 §1): insurers, the claim on an order with its
    photos and loss assessment, who decides additional work (the customer or the insurer),
    the insurer's part on the settlement, insurer receivables and payments."""
    add_missing_schema(db)


def _v11_certifications(db: peewee.Database) -> None:
    """v10 -> v11: staff trained before they work (issue 23, rulebook 篇一): each person's
    certifications per skill with their expiry, which dispatch checks."""
    add_missing_schema(db)


def _v12_report_indexes(db: peewee.Database) -> None:
    """v11 -> v12: indexes that keep the monthly and yearly reports fast on ten years of
    history (issue 24): orders ready and delivered, follow-up calls done by state and time,
    refunds by time, settlements by state and time and voided, complaints closed."""
    add_missing_schema(db)


def _v13_declined_record_source(db: peewee.Database) -> None:
    """v12 -> v13: declined recommended work names the additional work it came from, so a
    line the insurer declined and the customer pays after all is no longer raised again."""
    add_missing_schema(db)


def _v14_server_search(db: peewee.Database) -> None:
    """v13 -> v14: on a PostgreSQL server, the global search's own table with its triggers
    and trigram indexes (see :mod:`shop_desk.search_index_pg`), filled from the existing
    rows; nothing changes in an SQLite file."""
    add_missing_schema(db)
    _postgres_extras(db)


def _v15_claims_index(db: peewee.Database) -> None:
    """v14 -> v15: a partial index of the job lines that are warranty claims, for the reports'
    claims by state (issue 24: the yearly report read every line of ten years to count them
    on the server)."""
    add_missing_schema(db)


#: version -> step that brings a database from version-1 to version.
MIGRATIONS: dict[int, Callable[[peewee.Database], None]] = {
    2: _v2_audit_append_only,
    3: _v3_search_and_report_indexes,
    4: _v4_history_indexes,
    5: _v5_refunds_and_record_versions,
    6: _v6_imports,
    7: _v7_field_service,
    8: _v8_parts_flow,
    9: _v9_accessory_counter,
    10: _v10_insurance,
    11: _v11_certifications,
    12: _v12_report_indexes,
    13: _v13_declined_record_source,
    14: _v14_server_search,
    15: _v15_claims_index,
}
LATEST = max(MIGRATIONS, default=1)

#: Extras a fresh database needs beyond create_tables (idempotent).
EXTRAS: list[Callable[[peewee.Database], None]] = [
    _audit_triggers,
    _search_index,
    _postgres_extras,
]


def _has_table(db: peewee.Database, name: str) -> bool:
    return name in db.get_tables()


def schema_version(db: peewee.Database) -> int:
    if not _has_table(db, SCHEMA_TABLE):
        return 0
    row = db.execute_sql(f"SELECT version FROM {SCHEMA_TABLE}").fetchone()
    return int(row[0]) if row else 0


def _stamp(db: peewee.Database, version: int) -> None:
    db.execute_sql(f"DELETE FROM {SCHEMA_TABLE}")
    db.execute_sql(f"INSERT INTO {SCHEMA_TABLE} (version) VALUES ({int(version)})")


def create_fresh(db: peewee.Database, version: int = LATEST) -> None:
    """Current tables and extras, stamped ``version`` (tests pass 1 to build the oldest layout)."""
    with db.atomic():
        db.create_tables(ALL_MODELS)
        db.execute_sql(f"CREATE TABLE IF NOT EXISTS {SCHEMA_TABLE} (version INTEGER NOT NULL)")
        if version >= 2:
            for extra in EXTRAS:
                extra(db)
        seed_defaults(db)
        _stamp(db, version)


def backup_sqlite(source_path: str, target: Path) -> Path:
    """Copy a live SQLite database consistently with the online backup API."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source_path)
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def ensure_schema(db: peewee.Database, url: str | None = None) -> int:
    """Create or upgrade the schema; returns the version now in force."""
    has_tables = bool(set(db.get_tables()) - {SCHEMA_TABLE})
    if not has_tables:
        create_fresh(db)
        return LATEST
    current = schema_version(db)
    if current == 0:
        raise DomainError(
            translate(
                "Database", "This file is not a shop-desk database (it has no schema version)."
            )
        )
    if current > LATEST:
        raise DomainError(
            translate(
                "Database",
                "This database was made by a newer version of shop-desk (schema {found}, this "
                "program knows up to {latest}). Please update shop-desk on this PC.",
            ).format(found=current, latest=LATEST)
        )
    if current == LATEST:
        return current
    if isinstance(db, peewee.SqliteDatabase) and url and db.database != ":memory:":
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = Path(db.database)
        backup_sqlite(
            str(path), path.with_name(f"{path.stem}.before-v{LATEST}-{stamp}{path.suffix}")
        )
    for version in range(current + 1, LATEST + 1):
        try:
            with db.atomic():
                MIGRATIONS[version](db)
                _stamp(db, version)
        except Exception as exc:
            raise DomainError(
                translate(
                    "Database",
                    "Upgrading the database to schema {version} failed ({error}). It was left "
                    "unchanged at schema {current}; nothing was lost.",
                ).format(version=version, error=exc, current=version - 1)
            ) from exc
    return LATEST
