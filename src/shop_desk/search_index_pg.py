"""The global search's index on a PostgreSQL server: :mod:`shop_desk.search_index` there.

The same idea as the SQLite file's FTS5 table, built from what a server offers:

- ``search_text (kind, id, body)``: one row per vehicle, customer and repair order with the
  same text as in the file (plate without the dot, VIN; name, company, phones; order number),
  kept current by row triggers (PL/pgSQL), so every writer on every PC keeps it in step. The
  body is lower case and its short pieces carry the marker ``X`` (upper case, so no lowered
  search word contains it): ``建国X`` for a two-character piece, ``沪XX`` for a Chinese
  character. A word of one or two characters then becomes a three-character pattern that
  ``pg_trgm`` can look up, exactly as the file's ``\\x1f`` markers do for FTS5. The marker is
  a Latin letter because ``pg_trgm`` only keeps letters and digits in its trigrams.
- A ``pg_trgm`` GIN index per kind (partial indexes) answers ``body LIKE '%word%'`` for rare
  words. A common word (``沪``, ``王``, ``261`` of this month's orders) matches thousands of
  rows, and collecting them all to keep the newest costs tens of milliseconds; the newest
  rows of a kind, read backwards on the primary key, find their twenty hits at once. So each
  kind asks first the newest :data:`WINDOW` rows, and the trigram index only for what lies
  below them: a word that is rare there has few hits in the whole table.

``migrate-db`` sets :data:`BULK_SETTING` for its transaction (the triggers then do nothing)
and calls :func:`rebuild` after the COPY; its index rebuild recreates the GIN indexes.
Without ``pg_trgm`` the table still answers (the window, then a scan of the table). Which
characters ``pg_trgm`` counts as letters follows the server's ``LC_CTYPE``: a database made
with the plain ``C`` locale gets no trigrams from Chinese, so a rare Chinese name is found by
the recheck of every row, correctly but slowly (``C.UTF-8`` and the usual locales are fine).
The search is one prepared statement per connection: planning it cost as much as running it.
"""

from __future__ import annotations

import weakref

import peewee

TABLE = "search_text"
KIND_CODES = {"vehicle": 1, "customer": 2, "order": 3}
MARK = "X"
#: Rows of a kind read newest first before the trigram index is asked.
WINDOW = 1000
#: ``SET LOCAL`` this to ``on`` and the triggers leave the table alone (bulk loads).
BULK_SETTING = "shop_desk.search_bulk"
GRAM_CHARS = 16  # as search_index.GRAM_CHARS
#: Punctuation written as upper-case letters in the (lower-case) body and search words:
#: ``pg_trgm`` splits words at punctuation and pads their ends, so ``230706-03`` would ask
#: for "a word starting 03", which nearly every order number has (tens of milliseconds).
PUNCTUATION, LETTERS = "-./()·&#+,（）", "HDSLRMANPCKJ"

_FOLD = f"translate(lower(%s), '{PUNCTUATION}', '{LETTERS}')"

_GRAMS_FUNCTION = f"""
CREATE OR REPLACE FUNCTION search_text_grams(t text, unigrams boolean) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT COALESCE((SELECT string_agg(substr(t, i, 2) || '{MARK}', '' ORDER BY i)
                 FROM generate_series(1, least(length(t) - 1, {GRAM_CHARS - 1})) AS i), '')
    || CASE WHEN unigrams THEN COALESCE(
           (SELECT string_agg(substr(t, i, 1) || '{MARK}{MARK}', '' ORDER BY i)
            FROM generate_series(1, least(length(t), {GRAM_CHARS})) AS i
            WHERE ascii(substr(t, i, 1)) > 127), '')
       ELSE '' END
$$"""

_PLATE = _FOLD % "replace(replace(COALESCE(plate, ''), '·', ''), ' ', '')"
_NAME, _COMPANY = _FOLD % "COALESCE(name, '')", _FOLD % "COALESCE(company, '')"
_VIN = _FOLD % "COALESCE(vin, '')"
_PHONE, _PHONE2 = (_FOLD % f"replace(COALESCE({c}, ''), '-', '')" for c in ("phone", "phone2"))
# (single expressions, so that PostgreSQL inlines them: a call costs 40 µs otherwise)
_BODY_FUNCTIONS = {
    "vehicle": (
        "vehicle",
        "plate text, vin text",
        f"SELECT {_PLATE} || ' ' || {_VIN} || ' ' || search_text_grams({_PLATE}, true)",
        "plate, vin",
    ),
    "customer": (
        "customer",
        "name text, company text, phone text, phone2 text",
        f"SELECT {_NAME} || ' ' || {_COMPANY} || ' ' || "
        f"{_PHONE} || ' ' || "
        f"{_PHONE2} || ' ' || "
        f"search_text_grams({_NAME}, true) || search_text_grams({_COMPANY}, true)",
        "name, company, phone, phone2",
    ),
    "order": (
        "repair_order",
        "number text",
        "SELECT " + _FOLD % "COALESCE(number, '')" + " || ' '",
        "number",
    ),
}


def _body_function(kind: str) -> str:
    return f"search_text_{kind}_body"


def _args(kind: str, ref: str) -> str:
    names = [a.split()[0] for a in _BODY_FUNCTIONS[kind][1].split(", ")]
    return ", ".join(f"{ref}.{n}" for n in names)


def _statements() -> list[str]:
    """Functions, table and triggers (idempotent; the indexes come after the rows)."""
    out = [
        _GRAMS_FUNCTION,
        f"CREATE TABLE IF NOT EXISTS {TABLE} (kind smallint NOT NULL, id bigint NOT NULL, "
        f"body text NOT NULL, PRIMARY KEY (kind, id))",
    ]
    for kind, (table, params, body, columns) in _BODY_FUNCTIONS.items():
        code, fn = KIND_CODES[kind], _body_function(kind)
        changed = " OR ".join(
            f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in ["id", *columns.split(", ")]
        )
        out += [
            f"CREATE OR REPLACE FUNCTION {fn}({params}) RETURNS text "
            f"LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ {body} $$",
            f"CREATE OR REPLACE FUNCTION search_text_{kind}_sync() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"IF current_setting('{BULK_SETTING}', true) = 'on' THEN RETURN NULL; END IF; "
            "IF TG_OP = 'TRUNCATE' THEN "
            f"DELETE FROM {TABLE} WHERE kind = {code}; RETURN NULL; END IF; "
            "IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.id <> NEW.id) THEN "
            f"DELETE FROM {TABLE} WHERE kind = {code} AND id = OLD.id; END IF; "
            "IF TG_OP <> 'DELETE' THEN "
            f"INSERT INTO {TABLE} (kind, id, body) VALUES ({code}, NEW.id, "
            f"{fn}({_args(kind, 'NEW')})) "
            "ON CONFLICT (kind, id) DO UPDATE SET body = EXCLUDED.body; END IF; "
            "RETURN NULL; END $$",
            f'DROP TRIGGER IF EXISTS search_text_sync ON "{table}"',
            f"CREATE TRIGGER search_text_sync AFTER INSERT OR DELETE "
            f'ON "{table}" FOR EACH ROW EXECUTE FUNCTION search_text_{kind}_sync()',
            # a save writes every column (a vehicle's odometer at each visit): only a change
            # of the searched ones costs the new text
            f'DROP TRIGGER IF EXISTS search_text_change ON "{table}"',
            f'CREATE TRIGGER search_text_change AFTER UPDATE OF id, {columns} ON "{table}" '
            f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION search_text_{kind}_sync()",
            f'DROP TRIGGER IF EXISTS search_text_truncate ON "{table}"',
            f'CREATE TRIGGER search_text_truncate AFTER TRUNCATE ON "{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION search_text_{kind}_sync()",
        ]
    return out


def index_statements() -> list[str]:
    """The trigram index of each kind (needs ``pg_trgm``)."""
    return [
        f"CREATE INDEX IF NOT EXISTS {TABLE}_{kind}_trgm ON {TABLE} "
        f"USING gin (body gin_trgm_ops) WHERE kind = {code}"
        for kind, code in KIND_CODES.items()
    ]


def install(db: peewee.Database, trigram: bool) -> None:
    """Create the table, its functions and triggers, fill it from the tables and index it
    (``trigram``: the server has ``pg_trgm``). Idempotent; a refill is cheap (seconds for a
    ten-year shop) and repairs a table someone emptied."""
    for sql in _statements():
        db.execute_sql(sql)
    rebuild(db)
    if trigram:
        for sql in index_statements():
            db.execute_sql(sql)
    _AVAILABLE.pop(_key(db), None)


def rebuild(db: peewee.Database) -> None:
    """Refill the table from vehicles, customers and orders (after a bulk load)."""
    db.execute_sql(f"DELETE FROM {TABLE}")
    for kind, (table, _params, _body, _columns) in _BODY_FUNCTIONS.items():
        db.execute_sql(
            f"INSERT INTO {TABLE} (kind, id, body) SELECT {KIND_CODES[kind]}, t.id, "
            f'{_body_function(kind)}({_args(kind, "t")}) FROM "{table}" AS t'
        )


_AVAILABLE: dict[tuple[int, str], bool] = {}


def _key(db: peewee.Database) -> tuple[int, str]:
    return id(db), str(db.database)


def available(db: peewee.Database) -> bool:
    """Whether the server database has the table (asked once per database object)."""
    if not isinstance(db, peewee.PostgresqlDatabase):
        return False
    key = _key(db)
    if key not in _AVAILABLE:
        _AVAILABLE[key] = TABLE in db.get_tables()
    return _AVAILABLE[key]


def _escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _pattern(term: str) -> tuple[str, str] | None:
    """(word, what follows it) of one search word's LIKE pattern, as search_index._phrase:
    the word from three characters, its marked piece below (None: one ASCII character)."""
    if len(term) >= 3:
        return _escape(term), "%"
    if len(term) == 2:
        return _escape(term), MARK + "%"
    if len(term) == 1 and not term.isascii():
        return _escape(term), MARK + MARK + "%"
    return None


def _statement(count: int) -> str:
    """The search for ``count`` patterns ($1 the limit, then word and tail of each), one
    statement: per kind the newest WINDOW rows read backwards (a common word stops early),
    then, only for a kind with fewer hits there than the limit, its trigram index below the
    window (materialized: every hit from the index, then the newest; left to itself the
    planner walks the primary key backwards through the whole kind instead)."""
    cond = " OR ".join(
        f"body LIKE '%' || {_FOLD % f'${2 + 2 * i}'} || ${3 + 2 * i}" for i in range(count)
    )
    ctes, parts = [], []
    for code in KIND_CODES.values():
        newest = f"SELECT id FROM {TABLE} WHERE kind = {code} ORDER BY id DESC LIMIT {WINDOW}"
        ctes += [
            f"r{code} AS (SELECT id FROM (SELECT id, body FROM {TABLE} WHERE kind = {code} "
            f"ORDER BY id DESC LIMIT {WINDOW}) AS w WHERE {cond} ORDER BY id DESC LIMIT $1)",
            f"m{code} AS MATERIALIZED (SELECT id FROM {TABLE} WHERE kind = {code} AND ({cond}))",
        ]
        parts += [
            f"SELECT {code}, id FROM r{code}",
            f"(SELECT {code}, id FROM m{code} WHERE (SELECT count(*) FROM r{code}) < $1 "
            f"AND id < (SELECT COALESCE(MIN(id), 0) FROM ({newest}) AS w) "
            "ORDER BY id DESC LIMIT $1)",
        ]
    return "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(parts)


#: The statements prepared on each connection (by name): planning the search
#: costs about as much as running it, on every keystroke.
_PREPARED: weakref.WeakKeyDictionary[object, set[str]] = weakref.WeakKeyDictionary()


def _execute(db: peewee.Database, count: int, params: list) -> list[tuple[int, int]]:
    name = f"search_text_match_{count}_{WINDOW}"
    prepared = _PREPARED.setdefault(db.connection(), set())
    if name not in prepared:
        # (the driver reads % as its placeholder even without parameters)
        db.execute_sql(f"PREPARE {name} AS {_statement(count)}".replace("%", "%%"))
        prepared.add(name)
    marks = ", ".join(["%s"] * len(params))
    return db.execute_sql(f"EXECUTE {name}({marks})", params).fetchall()


def match(db: peewee.Database, terms: list[str], limit: int) -> dict[str, list[int]] | None:
    """Ids per kind (newest first, at most ``limit`` each) whose text contains any of
    ``terms``: the same answer as :func:`shop_desk.search_index.match` on a file."""
    if not available(db):
        return None
    patterns = [p for p in dict.fromkeys(_pattern(t) for t in terms if t) if p]
    if not patterns:
        return None
    count = len(patterns)
    params = [limit] + [x for p in patterns for x in p]
    try:
        rows = _execute(db, count, params)
    except (peewee.OperationalError, peewee.InterfaceError):
        # the connection was lost between transactions: like any other read, once more on a
        # new one (see shop_desk.db.ShopPostgresqlDatabase), where it is prepared again
        reconnect = getattr(db, "_reconnect_if_lost", None)
        if reconnect is None or not reconnect():
            raise
        rows = _execute(db, count, params)
    found: dict[str, list[int]] = {k: [] for k in KIND_CODES}
    kinds = {code: kind for kind, code in KIND_CODES.items()}
    for code, rid in rows:
        found[kinds[code]].append(rid)
    return {kind: ids[:limit] for kind, ids in found.items()}
