"""Substring search index for the global search: SQLite FTS5 with the trigram tokenizer.

One row per vehicle (plate without the dot, VIN), customer (name, company, phones) and repair
order (number), kept current by triggers. The rowid encodes what the row is about
(``id * 4 + kind``), so updates touch one row. A LIKE scan over 60,000 vehicles costs
milliseconds; the trigram index answers in a fraction of one. Other databases (PostgreSQL)
return None from :func:`match` and the search falls back to its portable query.
"""

from __future__ import annotations

import peewee

KIND_CODES = {"vehicle": 1, "customer": 2, "order": 3}
_CODE_KINDS = {v: k for k, v in KIND_CODES.items()}
MIN_TERM = 3  # the trigram tokenizer needs three characters

_SOURCES = {
    "vehicle": (
        "vehicle",
        "REPLACE(REPLACE(UPPER(COALESCE({t}.plate, '')), '·', ''), ' ', '') || ' ' || COALESCE({t}.vin, '')",
        "plate, vin",
    ),
    "customer": (
        "customer",
        "COALESCE({t}.name, '') || ' ' || COALESCE({t}.company, '') || ' ' || "
        "REPLACE(COALESCE({t}.phone, ''), '-', '') || ' ' || REPLACE(COALESCE({t}.phone2, ''), '-', '')",
        "name, company, phone, phone2",
    ),
    "order": ("repair_order", "COALESCE({t}.number, '')", "number"),
}


_AVAILABLE: dict[tuple[int, str], bool] = {}


def available(db: peewee.Database) -> bool:
    """Whether ``db`` has the index (asked once per database object)."""
    if not isinstance(db, peewee.SqliteDatabase):
        return False
    key = (id(db), str(db.database))
    if key not in _AVAILABLE:
        _AVAILABLE[key] = "search_index" in db.get_tables()
    return _AVAILABLE[key]


def install(db: peewee.Database) -> None:
    """Create the index and its triggers and fill it from the existing rows (idempotent)."""
    if not isinstance(db, peewee.SqliteDatabase):
        return
    _AVAILABLE.pop((id(db), str(db.database)), None)
    db.execute_sql(
        "CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5(body, tokenize='trigram')"
    )
    for kind, (table, expr, columns) in _SOURCES.items():
        code = KIND_CODES[kind]
        new_body, old_rowid, new_rowid = (
            expr.format(t="NEW"),
            f"OLD.id * 4 + {code}",
            f"NEW.id * 4 + {code}",
        )
        db.execute_sql(
            f"CREATE TRIGGER IF NOT EXISTS search_{table}_ins AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO search_index (rowid, body) VALUES ({new_rowid}, {new_body}); END"
        )
        db.execute_sql(
            f"CREATE TRIGGER IF NOT EXISTS search_{table}_upd AFTER UPDATE OF {columns} ON {table} BEGIN "
            f"DELETE FROM search_index WHERE rowid = {old_rowid}; "
            f"INSERT INTO search_index (rowid, body) VALUES ({new_rowid}, {new_body}); END"
        )
        db.execute_sql(
            f"CREATE TRIGGER IF NOT EXISTS search_{table}_del AFTER DELETE ON {table} BEGIN "
            f"DELETE FROM search_index WHERE rowid = {old_rowid}; END"
        )
    rebuild(db)


def rebuild(db: peewee.Database) -> None:
    """Refill the whole index from the tables (after bulk loads)."""
    db.execute_sql("DELETE FROM search_index")
    for kind, (table, expr, _columns) in _SOURCES.items():
        db.execute_sql(
            f"INSERT INTO search_index (rowid, body) SELECT id * 4 + {KIND_CODES[kind]}, "
            f"{expr.format(t=table)} FROM {table}"
        )


def _phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def match(db: peewee.Database, terms: list[str], limit: int) -> dict[str, list[int]] | None:
    """Ids per kind whose text contains any of ``terms`` (None: the index cannot answer)."""
    wanted = [t for t in dict.fromkeys(terms) if t]
    if not wanted or any(len(t) < MIN_TERM for t in wanted) or not available(db):
        return None
    usable = wanted
    expr = " OR ".join(_phrase(t) for t in usable)
    rows = db.execute_sql(
        "SELECT rowid FROM search_index WHERE search_index MATCH ? LIMIT ?", (expr, limit * 6)
    ).fetchall()
    found: dict[str, list[int]] = {k: [] for k in KIND_CODES}
    for (rowid,) in rows:
        found[_CODE_KINDS[rowid % 4]].append(rowid // 4)
    return found
