"""Substring search index for the global search: SQLite FTS5 with the trigram tokenizer.

One row per vehicle (plate without the dot, VIN), customer (name, company, phones) and repair
order (number) in the ``search_text`` table, kept current by triggers. The rowid is
``kind << 40 | id``, so each kind is one rowid range: :func:`match` asks each kind for its
newest hits in one statement, and a term common in order numbers cannot crowd out the
vehicles and customers. A LIKE scan over 60,000 vehicles costs milliseconds; the trigram index
answers in a fraction of one.

Trigrams need three characters, but two characters are a whole given name (建国) and one is a
province or a surname (沪, 王). So plates, names and company names also carry their two-letter
pieces each followed by a marker character (``建国\\x1f``) and their Chinese characters
followed by two markers (``沪\\x1f\\x1f``): a one- or two-character word becomes a
three-character phrase the index can look up. Users never type the marker.

On a PostgreSQL server :func:`match` asks :mod:`shop_desk.search_index_pg` (the same texts
in a table kept by triggers, with a ``pg_trgm`` index); without that table it returns None and
the search falls back to its portable query.
"""

from __future__ import annotations

import string

import peewee

TABLE = "search_text"
KIND_CODES = {"vehicle": 1, "customer": 2, "order": 3}
KIND_SHIFT = 40
MIN_TERM = 3  # the trigram tokenizer needs three characters
MARK = "\x1f"
#: Characters of a name (company name, plate) that get their short pieces in the index.
GRAM_CHARS = 16
#: The layout before the kind ranges (removed by :func:`install`).
_LEGACY_TABLE = "search_index"

_PLATE = "REPLACE(REPLACE(UPPER(COALESCE({t}.plate, '')), '·', ''), ' ', '')"


def _grams(expr: str, unigrams: bool) -> str:
    """SQL for the two-character pieces of ``expr`` (each + MARK) and, if asked, its
    non-ASCII characters (each + MARK MARK), up to GRAM_CHARS characters."""
    parts = [
        f"CASE WHEN length({expr}) > {i} THEN substr({expr}, {i}, 2) || char(31) ELSE '' END"
        for i in range(1, GRAM_CHARS)
    ]
    if unigrams:
        parts += [
            f"CASE WHEN unicode(substr({expr}, {i}, 1)) > 127 THEN substr({expr}, {i}, 1) "
            "|| char(31, 31) ELSE '' END"
            for i in range(1, GRAM_CHARS + 1)
        ]
    return " || ".join(parts)


_SOURCES = {
    "vehicle": (
        "vehicle",
        f"{_PLATE} || ' ' || COALESCE({{t}}.vin, '') || ' ' || {_grams(_PLATE, True)}",
        "plate, vin",
    ),
    "customer": (
        "customer",
        "COALESCE({t}.name, '') || ' ' || COALESCE({t}.company, '') || ' ' || "
        "REPLACE(COALESCE({t}.phone, ''), '-', '') || ' ' || "
        "REPLACE(COALESCE({t}.phone2, ''), '-', '') || ' ' || "
        + _grams("COALESCE({t}.name, '')", True)
        + " || "
        + _grams("COALESCE({t}.company, '')", True),
        "name, company, phone, phone2",
    ),
    "order": ("repair_order", "COALESCE({t}.number, '') || ' '", "number"),
}

# The same texts made in Python, for bulk loads (SQLite's string functions cost seconds on a
# ten-year shop); keep them in step with _SOURCES (tests/test_bulkdemo.py compares the index).
_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


def _text_grams(text: str, unigrams: bool) -> str:
    """What :func:`_grams`' SQL gives for ``text``."""
    if len(text) < 2 and (not unigrams or text.isascii()):
        return ""
    out = MARK.join(map(str.__add__, text[: GRAM_CHARS - 1], text[1:GRAM_CHARS])) + MARK
    out = out if len(text) > 1 else ""
    if unigrams and not text.isascii():
        out += "".join([c + MARK + MARK for c in text[:GRAM_CHARS] if c > "\x7f"])
    return out


def vehicle_text(plate: str | None, vin: str | None) -> str:
    """A vehicle's indexed text, as ``_SOURCES["vehicle"]`` makes it."""
    plate = (plate or "").translate(_ASCII_UPPER).replace("·", "").replace(" ", "")
    return f"{plate} {vin or ''} {_text_grams(plate, True)}"


def customer_text(
    name: str | None, company: str | None, phone: str | None, phone2: str | None
) -> str:
    """A customer's indexed text, as ``_SOURCES["customer"]`` makes it."""
    name, company = name or "", company or ""
    phones = f"{(phone or '').replace('-', '')} {(phone2 or '').replace('-', '')}"
    return f"{name} {company} {phones} {_text_grams(name, True)}{_text_grams(company, True)}"


_AVAILABLE: dict[tuple[int, str], bool] = {}


def _rowid(code: int, ref: str) -> str:
    return f"({code} << {KIND_SHIFT}) + {ref}.id"


def available(db: peewee.Database) -> bool:
    """Whether ``db`` has the index (asked once per database object)."""
    if not isinstance(db, peewee.SqliteDatabase):
        return False
    key = (id(db), str(db.database))
    if key not in _AVAILABLE:
        _AVAILABLE[key] = TABLE in db.get_tables()
    return _AVAILABLE[key]


def _drop_legacy(db: peewee.Database) -> None:
    """The first layout (rowid ``id * 4 + kind``, triggers ``search_<table>_*``)."""
    for _kind, (table, _expr, _columns) in _SOURCES.items():
        for op in ("ins", "upd", "del"):
            db.execute_sql(f"DROP TRIGGER IF EXISTS search_{table}_{op}")
    db.execute_sql(f"DROP TABLE IF EXISTS {_LEGACY_TABLE}")


def triggers_sql() -> list[str]:
    """The statements that keep the index current (also used after a bulk load)."""
    out = []
    for kind, (table, expr, columns) in _SOURCES.items():
        code = KIND_CODES[kind]
        new_body = expr.format(t="NEW")
        old_rowid, new_rowid = _rowid(code, "OLD"), _rowid(code, "NEW")
        out += [
            f"CREATE TRIGGER IF NOT EXISTS {TABLE}_{table}_ins AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {TABLE} (rowid, body) VALUES ({new_rowid}, {new_body}); END",
            f"CREATE TRIGGER IF NOT EXISTS {TABLE}_{table}_upd AFTER UPDATE OF {columns} "
            f"ON {table} BEGIN DELETE FROM {TABLE} WHERE rowid = {old_rowid}; "
            f"INSERT INTO {TABLE} (rowid, body) VALUES ({new_rowid}, {new_body}); END",
            f"CREATE TRIGGER IF NOT EXISTS {TABLE}_{table}_del AFTER DELETE ON {table} BEGIN "
            f"DELETE FROM {TABLE} WHERE rowid = {old_rowid}; END",
        ]
    return out


def install(db: peewee.Database) -> None:
    """Create the index and its triggers and fill it from the existing rows (idempotent)."""
    if not isinstance(db, peewee.SqliteDatabase):
        return
    _AVAILABLE.pop((id(db), str(db.database)), None)
    _drop_legacy(db)
    db.execute_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING "
        "fts5(body, tokenize='trigram', columnsize=0)"
    )
    for sql in triggers_sql():
        db.execute_sql(sql)
    rebuild(db)


def rebuild(db: peewee.Database) -> None:
    """Refill the whole index from the tables (after bulk loads) and merge it into one piece."""
    db.execute_sql(f"DELETE FROM {TABLE}")
    for kind, (table, expr, _columns) in _SOURCES.items():
        db.execute_sql(
            f"INSERT INTO {TABLE} (rowid, body) SELECT {_rowid(KIND_CODES[kind], table)}, "
            f"{expr.format(t=table)} FROM {table}"
        )
    db.execute_sql(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")


def _phrase(term: str) -> str | None:
    """The FTS phrase for one search word: the word itself from three characters, its marked
    piece below (None: one ASCII character says nothing)."""
    term = term.replace(MARK, "")
    if len(term) >= MIN_TERM:
        piece = term
    elif len(term) == 2:
        piece = term + MARK
    elif len(term) == 1 and not term.isascii():
        piece = term + MARK + MARK
    else:
        return None
    return '"' + piece.replace('"', '""') + '"'


_MATCH_SQL = " UNION ALL ".join(
    f"SELECT * FROM (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ?1 AND rowid BETWEEN "
    f"{code << KIND_SHIFT} AND {((code + 1) << KIND_SHIFT) - 1} ORDER BY rowid DESC LIMIT ?2)"
    for code in KIND_CODES.values()
)


def match(db: peewee.Database, terms: list[str], limit: int) -> dict[str, list[int]] | None:
    """Ids per kind (newest first, at most ``limit`` each) whose text contains any of
    ``terms`` (None: the index cannot answer). Words of one or two characters match plates,
    names and company names only, like the portable search."""
    if isinstance(db, peewee.PostgresqlDatabase):
        from shop_desk import search_index_pg

        return search_index_pg.match(db, [t.replace(MARK, "") for t in terms], limit)
    if not available(db):
        return None
    phrases = [p for p in dict.fromkeys(_phrase(t) for t in terms if t) if p]
    if not phrases:
        return None
    rows = db.execute_sql(_MATCH_SQL, (" OR ".join(phrases), limit)).fetchall()
    found: dict[str, list[int]] = {k: [] for k in KIND_CODES}
    kinds = {code: kind for kind, code in KIND_CODES.items()}
    mask = (1 << KIND_SHIFT) - 1
    for (rowid,) in rows:
        found[kinds[rowid >> KIND_SHIFT]].append(rowid & mask)
    return found
