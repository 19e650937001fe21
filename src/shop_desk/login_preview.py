"""What the login window lists before the database is open: the shop's name and its staff.

The login window shows before peewee and the models load (see :class:`shop_desk.app.Startup`).
Its list comes from what this PC remembered at its last start (:func:`to_lines`,
:func:`from_lines`; kept in the PC's settings by :mod:`shop_desk.ui.shell.login`), and is
put right from the database as soon as that is open, a fraction of a second later. Without a
remembered list (the first start on a PC, another database) an SQLite file is read directly
(:func:`read`: importing ``sqlite3``, opening the file and parsing its schema take several
milliseconds, which the remembered list saves at every other start).

This module imports no Qt and nothing of the models.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from shop_desk.dburl import redacted, sqlite_file


class StaffEntry(NamedTuple):
    """One line of the login list (a NamedTuple: dataclasses cost an import before the window)."""

    id: int
    name: str
    login: str
    roles: list[str]


class LoginPreview(NamedTuple):
    """What the login window shows, read before the models are loaded."""

    shop_name: str
    staff: Sequence[StaffEntry]


def database_key(db_path: str) -> str:
    """Which database a remembered list belongs to: a file's full path, a server's URL
    without its password (the settings file must not keep it)."""
    path = sqlite_file(db_path)
    if path is None:  # a server (or a database in memory)
        return redacted(str(db_path).strip())
    return str(path.resolve())


def read(db_path: str) -> LoginPreview | None:
    """The shop name and the active staff of an SQLite file (read-only, no models). None when
    that cannot be done (a server database, no file yet, no staff, an unexpected layout): the
    database is then opened first, as always."""
    path = sqlite_file(db_path)
    if path is None or not path.is_file():  # a server, or no file yet
        return None
    import sqlite3

    try:
        con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=5)
        try:
            if con.execute("SELECT version FROM schema_version").fetchone() is None:
                return None
            shop = con.execute("SELECT name FROM shop_settings ORDER BY id LIMIT 1").fetchone()
            people = con.execute(
                "SELECT id, name, login FROM staff WHERE active = 1 ORDER BY name"
            ).fetchall()
            role_rows = con.execute("SELECT staff_id, role FROM staff_role").fetchall()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    if not people:
        return None
    from shop_desk.roles import role_order

    roles: dict[int, list[str]] = {}
    for staff_id, role in role_rows:
        roles.setdefault(staff_id, []).append(role)
    return LoginPreview(
        (shop[0] if shop else "") or "",
        [
            StaffEntry(sid, name, login, role_order(roles.get(sid, [])))
            for sid, name, login in people
        ],
    )


#: Separates the fields of one remembered line (no name, login or role code has a tab).
_SEP = "\t"


def to_lines(preview: LoginPreview) -> list[str]:
    """``preview`` as lines of text for the PC's settings: the shop's name, then one line per
    person (id, login, role codes, name)."""
    return [preview.shop_name] + [
        _SEP.join((str(s.id), s.login, ",".join(s.roles), s.name)) for s in preview.staff
    ]


def from_lines(lines: Sequence[str]) -> LoginPreview | None:
    """The list :func:`to_lines` wrote; None if there is none or it cannot be read (then the
    database is read instead)."""
    if len(lines) < 2:
        return None
    staff = []
    for line in lines[1:]:
        fields = line.split(_SEP, 3)
        if len(fields) != 4 or not fields[0].isdigit():
            return None
        sid, login, roles, name = fields
        staff.append(StaffEntry(int(sid), name, login, roles.split(",") if roles else []))
    return LoginPreview(lines[0], staff)
