"""``shop-desk migrate-db``: move a single-PC shop (an SQLite file) onto a PostgreSQL server.

Everything happens in one transaction on the server, so a failure leaves it as it was:

1. The source file is read in one read transaction (a consistent snapshot even if a desk
   still has it open); an older schema is first upgraded like opening it in shop-desk would
   (a copy of the file is kept aside), a newer one is refused.
2. The server database must hold no shop data. An empty database gets the tables, the
   audit log's protection and the change notifications. A database a PC has already opened
   once (only the defaults a new database gets: no staff, nothing else) counts as empty;
   its defaults are replaced by the shop's own.
3. Every table is copied in dependency order in batches, ids kept: settings, staff,
   customers, vehicles, orders, signatures and photos (the images byte for byte) and the
   whole audit log (its triggers refuse changes, not inserts). Each id sequence is then set
   past the highest id copied. The rows go in with PostgreSQL's COPY and the secondary
   indexes (search, history, reports) and the search table are built once after the data,
   not row by row: ten years of a busy shop move in minutes. Progress is told per batch with an estimate.
4. Per table, the server's row count, sum of ids, sum of every money and quantity column
   and bytes of images must equal the file's; any difference rolls everything back and says
   which table differs.
5. The server gathers its statistics (ANALYZE) before the commit: without them its planner
   reads the history the slow way until autovacuum gets round to it.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import peewee

from shop_desk import search_index_pg
from shop_desk.db import is_postgres_url, make_database, schema_lock
from shop_desk.errors import DomainError
from shop_desk.i18n import translate
from shop_desk.models import ALL_MODELS, ShopSettings, WarrantyPolicy
from shop_desk.models.fields import FixedDecimalField

#: Rows read from the file and sent with one COPY.
BATCH = 5000
#: Tables a new database gets rows in by itself (see :func:`shop_desk.defaults.seed_defaults`).
DEFAULT_TABLES = (ShopSettings, WarrantyPolicy)


@dataclass(frozen=True)
class MoveProgress:
    """Where the move stands: told after every batch and at each stage."""

    stage: str  #: "copy" (rows of ``table``), "table" (``table`` done), "indexes", "compare", "analyze"
    table: str = ""
    table_rows: int = 0  #: rows of ``table`` copied so far
    table_total: int = 0
    done: int = 0  #: rows of all tables copied so far
    total: int = 0
    elapsed: float = 0.0  #: seconds since the copy started

    @property
    def seconds_left(self) -> float | None:
        """The copy's remaining time at its pace so far (None until there is a pace)."""
        if self.done <= 0 or self.elapsed <= 0 or self.total <= self.done:
            return None if self.total > self.done else 0.0
        return self.elapsed * (self.total - self.done) / self.done


Progress = Callable[[MoveProgress], None]


@dataclass(frozen=True)
class TableFigures:
    """What is compared per table after the copy."""

    rows: int
    id_sum: int
    blob_bytes: int
    #: per money/quantity column, the sum of its stored whole units (fen, 1/100 hours ...)
    amounts: tuple[int, ...] = ()


@dataclass(frozen=True)
class MigrationResult:
    tables: dict[str, TableFigures]

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables.values())


class MigrationRefused(DomainError):
    """The move was refused or failed; nothing was changed on the server."""


def _order() -> list[type[peewee.Model]]:
    """Tables so that every row's parents are copied before it."""
    return list(peewee.sort_models(ALL_MODELS))


def _self_references(model: type[peewee.Model]) -> list[peewee.ForeignKeyField]:
    return [
        f
        for f in model._meta.sorted_fields
        if isinstance(f, peewee.ForeignKeyField) and f.rel_model is model
    ]


def _blob_fields(model: type[peewee.Model]) -> list[peewee.Field]:
    return [f for f in model._meta.sorted_fields if isinstance(f, peewee.BlobField)]


def _amount_fields(model: type[peewee.Model]) -> list[peewee.Field]:
    return [f for f in model._meta.sorted_fields if isinstance(f, FixedDecimalField)]


def figures(db: peewee.Database, model: type[peewee.Model]) -> TableFigures:
    """Row count, sum of ids, total bytes of the BLOB columns and the sum of each money or
    quantity column (as stored: whole fen) of one table in ``db``."""
    table = model._meta.table_name
    pk = model._meta.primary_key.column_name
    blobs = " + ".join(f'COALESCE(SUM(LENGTH("{f.column_name}")), 0)' for f in _blob_fields(model))
    amounts = "".join(f', COALESCE(SUM("{f.column_name}"), 0)' for f in _amount_fields(model))
    row = db.execute_sql(
        f'SELECT COUNT(*), COALESCE(SUM("{pk}"), 0), {blobs or "0"}{amounts} FROM "{table}"'
    ).fetchone()
    return TableFigures(int(row[0]), int(row[1]), int(row[2]), tuple(int(v) for v in row[3:]))


def _open_source(source: str) -> peewee.Database:
    from shop_desk.migrations import LATEST, ensure_schema, schema_version

    text = source[len("sqlite:///") :] if source.startswith("sqlite:///") else source
    if is_postgres_url(source) or "://" in text:
        raise MigrationRefused(
            translate("MigrateDb", "The source must be a shop-desk database file (sqlite:///PATH).")
        )
    if not Path(text).is_file():
        raise MigrationRefused(
            translate("MigrateDb", "Database file not found: {path}").format(path=text)
        )
    db = make_database(text)
    try:
        version = schema_version(db)
        if version == 0:
            raise MigrationRefused(
                translate("MigrateDb", "{path} is not a shop-desk database.").format(path=text)
            )
        if version != LATEST:
            with db.bind_ctx(ALL_MODELS):
                ensure_schema(db, text)  # upgrades (copy kept aside) or refuses a newer one
    except BaseException:
        db.close()
        raise
    return db


def _open_target(target: str) -> peewee.Database:
    if not is_postgres_url(target):
        raise MigrationRefused(
            translate(
                "MigrateDb",
                "The target must be a PostgreSQL database: postgresql://user:password@host:5432/dbname",
            )
        )
    return make_database(target)


def _prepare_target(db: peewee.Database) -> None:
    """Create the schema in an empty server database, or accept one that holds only the
    defaults of a new database (then removed); refuse anything else. Inside the
    transaction."""
    from shop_desk.migrations import LATEST, SCHEMA_TABLE, create_fresh, schema_version

    tables = set(db.get_tables())
    ours = {m._meta.table_name for m in ALL_MODELS}
    if not tables & (ours | {SCHEMA_TABLE}):
        with db.bind_ctx(ALL_MODELS):
            create_fresh(db)
    else:
        version = schema_version(db)
        if version != LATEST or not ours <= tables:
            raise MigrationRefused(
                translate(
                    "MigrateDb",
                    "The target database has tables of another program or another version of "
                    "shop-desk (schema {found}); use a new, empty database.",
                ).format(found=version)
            )
    defaults = {m._meta.table_name for m in DEFAULT_TABLES}
    for model in _order():
        table = model._meta.table_name
        if table in defaults:
            continue
        if db.execute_sql(f'SELECT EXISTS (SELECT 1 FROM "{table}")').fetchone()[0]:
            raise MigrationRefused(
                translate(
                    "MigrateDb",
                    "The target database already holds shop data (table {table} is not "
                    "empty). migrate-db only fills an empty database; nothing was changed.",
                ).format(table=table)
            )
    for model in DEFAULT_TABLES:
        db.execute_sql(f'DELETE FROM "{model._meta.table_name}"')


class _Null:
    """NULL in the CSV rows: numeric to the csv module (so written unquoted) and empty, which
    COPY reads as NULL, while every text is quoted (an empty text stays empty)."""

    def __index__(self) -> int:
        return 0

    def __str__(self) -> str:
        return ""


NULL = _Null()


def _send(
    target: peewee.Database,
    model: type[peewee.Model],
    fields: Sequence[peewee.Field],
    rows: list[tuple],
) -> None:
    """Write ``rows`` (the file's values as SQLite stores them) with one COPY in CSV: the
    csv module and COPY do the quoting in C, the Python loop only marks NULLs and images."""
    blobs = {i for i, f in enumerate(fields) if isinstance(f, peewee.BlobField)}
    if blobs:
        rows = [
            [
                NULL if v is None else ("\\x" + bytes(v).hex() if i in blobs else v)
                for i, v in enumerate(row)
            ]
            for row in rows
        ]
    else:
        rows = [[NULL if v is None else v for v in row] for row in rows]
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(rows)
    buffer.seek(0)
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    cursor = target.connection().cursor()
    cursor.copy_expert(
        f'COPY "{model._meta.table_name}" ({columns}) FROM STDIN WITH (FORMAT csv)', buffer
    )


def _copy_table(
    source: peewee.Database,
    target: peewee.Database,
    model: type[peewee.Model],
    copied_batch: Callable[[int], None] = lambda _n: None,
) -> int:
    fields = list(model._meta.sorted_fields)
    pk = model._meta.primary_key
    selfref = _self_references(model)
    # positions by identity: ``field == other`` builds an SQL expression, so list.index lies
    at = {id(f): i for i, f in enumerate(fields)}
    key = at[id(pk)]
    positions = [at[id(f)] for f in selfref]
    later: list[tuple[int, dict[peewee.Field, object]]] = []
    copied = 0
    last = None
    table = model._meta.table_name
    # the stored values as they are (no conversion to Python and back): COPY reads the text
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    first = f'SELECT {columns} FROM "{table}" ORDER BY "{pk.column_name}" LIMIT {BATCH}'
    after = (
        f'SELECT {columns} FROM "{table}" WHERE "{pk.column_name}" > ? '
        f'ORDER BY "{pk.column_name}" LIMIT {BATCH}'
    )
    while True:
        cursor = source.execute_sql(first) if last is None else source.execute_sql(after, (last,))
        rows = cursor.fetchall()
        if not rows:
            break
        last = rows[-1][key]
        if selfref:
            cleaned = []
            for row in rows:
                values = list(row)
                refs = {f: values[i] for f, i in zip(selfref, positions, strict=True)}
                if any(v is not None for v in refs.values()):
                    later.append((row[key], refs))
                    for i in positions:
                        values[i] = None
                cleaned.append(tuple(values))
            rows = cleaned
        _send(target, model, fields, rows)
        copied += len(rows)
        copied_batch(copied)
    for ident, refs in later:  # rows pointing at rows of the same table, once all exist
        model.update({f: v for f, v in refs.items()}).where(pk == ident).execute(target)
    target.execute_sql(
        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{pk.column_name}'), "
        f'COALESCE((SELECT MAX("{pk.column_name}") FROM "{table}"), 0) + 1, false)'
    )
    return copied


def _set_indexes_aside(db: peewee.Database) -> list[str]:
    """Drop the secondary indexes of the (empty) schema and return their definitions, to be
    built once the rows are in. Indexes behind a constraint (primary keys, unique
    constraints) stay."""
    rows = db.execute_sql(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
        "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
        "JOIN pg_namespace n ON n.oid = t.relnamespace "
        "WHERE n.nspname = current_schema() "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
    ).fetchall()
    for name, _definition in rows:
        db.execute_sql(f"DROP INDEX {name}")
    return [definition for _name, definition in rows]


def _difference(want: TableFigures, have: TableFigures) -> dict[str, object]:
    """The first figure that differs, named for the message."""
    names = {
        "rows": translate("MigrateDb", "rows"),
        "id_sum": translate("MigrateDb", "sum of the ids"),
        "blob_bytes": translate("MigrateDb", "bytes of images"),
        "amounts": translate("MigrateDb", "sums of the amounts"),
    }
    for attr, name in names.items():
        if getattr(want, attr) != getattr(have, attr):
            return {"what": name, "want": getattr(want, attr), "have": getattr(have, attr)}
    return {"what": "?", "want": want, "have": have}


def migrate(source: str, target: str, progress: Progress | None = None) -> MigrationResult:
    """Copy the shop in the SQLite file ``source`` into the empty PostgreSQL database
    ``target`` (see the module text); the figures compared per table. Raises
    :class:`MigrationRefused` (nothing changed on the server) when refused or different."""
    src = _open_source(source)
    try:
        dst = _open_target(target)
        try:
            return _migrate(src, dst, progress)
        finally:
            dst.close()
    finally:
        src.close()


def _migrate(
    src: peewee.Database, dst: peewee.Database, progress: Progress | None
) -> MigrationResult:
    order = _order()
    result: dict[str, TableFigures] = {}
    tell = progress or (lambda _p: None)
    # a snapshot of the file; all or nothing on the server, and no PC creating the schema
    # there meanwhile (a PC started now waits, then finds the shop)
    with schema_lock(dst), src.atomic(), dst.atomic():
        _prepare_target(dst)
        indexes = _set_indexes_aside(dst)
        # the search table is filled once after the COPY, not row by row by its triggers
        dst.execute_sql(f"SET LOCAL {search_index_pg.BULK_SETTING} = 'on'")
        totals = {model: figures(src, model).rows for model in order}
        total = sum(totals.values())
        started = time.perf_counter()
        done = 0
        for model in order:
            table = model._meta.table_name

            def batch(rows: int, table: str = table, model: type = model, base: int = done) -> None:
                tell(
                    MoveProgress(
                        "copy",
                        table,
                        rows,
                        totals[model],
                        base + rows,
                        total,
                        time.perf_counter() - started,
                    )
                )

            count = _copy_table(src, dst, model, batch)
            done += count
            tell(
                MoveProgress(
                    "table",
                    table,
                    count,
                    totals[model],
                    done,
                    total,
                    time.perf_counter() - started,
                )
            )
        tell(MoveProgress("indexes", done=done, total=total))
        search_index_pg.rebuild(dst)
        dst.execute_sql(f"SET LOCAL {search_index_pg.BULK_SETTING} = 'off'")
        for definition in indexes:
            dst.execute_sql(definition)
        tell(MoveProgress("compare", done=done, total=total))
        for model in order:
            table = model._meta.table_name
            want, have = figures(src, model), figures(dst, model)
            if want != have:
                raise MigrationRefused(
                    translate(
                        "MigrateDb",
                        "Table {table} differs after copying ({what}: {have} on the server, "
                        "{want} in the file); everything was rolled back, nothing was changed "
                        "on the server.",
                    ).format(table=table, **_difference(want, have))
                )
            result[table] = have
        tell(MoveProgress("analyze", done=done, total=total))
        dst.execute_sql("ANALYZE")
    return MigrationResult(result)
