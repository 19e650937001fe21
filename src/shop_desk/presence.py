"""Who has the shop's SQLite file open, so that a restore never replaces it under a station.

Every process that opens the file (the desktop, the board, a command, a script using the
services) leaves a small record in the folder beside it, ``shop.db.stations/``: the station's
name, the computer, the process and since when, and holds an OS lock on that record for as
long as it runs. The lock is the heartbeat: the operating system drops it when the process
ends, however it ends (closed, killed, crashed, power cut), so a dead station can never block
a restore; the next look at its record finds it unlocked and removes it.

A restore (:func:`take_over`) first puts up its own locked marker, ``restoring.lock``, then
looks for records locked by other processes and refuses, naming their stations, if there are
any. A process that opens the file meanwhile records itself first and looks for the marker
second, so either the restore sees it or it sees the restore (and says so instead of
opening). No Qt needed: the station name comes from :mod:`shop_desk.station_name` when Qt is there,
else from the computer's name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import socket
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from shop_desk.errors import DomainError
from shop_desk.i18n import join_list, translate

log = logging.getLogger(__name__)

FOLDER_SUFFIX = ".stations"
MARKER = "restoring.lock"
#: Where the lock byte sits on Windows (its locks are mandatory: kept away from the text).
_LOCK_OFFSET = 1 << 20


@dataclass(frozen=True)
class Station:
    """One process that has the shop open, as it described itself."""

    name: str
    host: str
    pid: int
    since: str

    def label(self) -> str:
        where = self.name if self.name == self.host else f"{self.name} ({self.host})"
        return translate("Presence", "{station}, open since {since}").format(
            station=where, since=self.since
        )


@dataclass
class _Record:
    path: Path
    handle: IO[bytes]


#: This process's records, by database file.
_mine: dict[Path, _Record] = {}


def folder(db_path: str | Path) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + FOLDER_SUFFIX)


def _key(db_path: str | Path) -> Path:
    return Path(db_path).resolve()


def this_station() -> str:
    """This PC's station name (``shop-desk station --name``), the computer's name without Qt."""
    try:
        from shop_desk.station_name import station_name
    except ImportError:
        return socket.gethostname() or "shop-desk"
    return station_name()


def _lock(handle: IO[bytes]) -> bool:
    """Take the record's lock without waiting; False when another process holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(_LOCK_OFFSET)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(handle: IO[bytes]) -> None:
    with contextlib.suppress(OSError):
        if sys.platform == "win32":
            import msvcrt

            handle.seek(_LOCK_OFFSET)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _describe(handle: IO[bytes], station: str) -> None:
    text = json.dumps(
        {
            "station": station,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "since": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        },
        ensure_ascii=False,
    )
    handle.seek(0)
    handle.truncate()
    handle.write(text.encode("utf-8"))
    handle.flush()


def _read(path: Path) -> Station:
    try:
        data = json.loads(path.read_bytes().decode("utf-8", "replace") or "{}")
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    name = str(data.get("station") or data.get("host") or "?")
    pid = data.get("pid")
    return Station(
        name,
        str(data.get("host") or name),
        pid if isinstance(pid, int) else 0,
        str(data.get("since") or "?"),
    )


def _held_by_other(path: Path, remove_if_free: bool = True) -> Station | None:
    """The station holding the lock of ``path`` (a record or the restore marker); None when
    nobody does: then a record is a dead process's and is removed."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - kept open while the lock is tried
    except OSError:
        return None
    try:
        free = _lock(handle)
        if free:
            _unlock(handle)
    finally:
        handle.close()
    if not free:
        return _read(path)
    if remove_if_free:
        with contextlib.suppress(OSError):
            path.unlink()
    return None


def join(db_path: str | Path, station: str | None = None) -> bool:
    """Record that this process has ``db_path`` open (once per file). False when no record
    can be written there (a read-only place: nobody can write the file, nothing to guard).
    A DomainError when a restore of the file is running."""
    key = _key(db_path)
    if key in _mine:
        return True
    where = folder(key)
    name = station or this_station()
    for _attempt in range(3):
        record = where / f"{uuid.uuid4().hex}.json"
        try:
            where.mkdir(exist_ok=True)
            handle = open(record, "w+b")  # noqa: SIM115 - held open for the lock's lifetime
        except OSError as exc:
            log.info("no presence record for %s: %s", key, exc)
            return False
        if _lock(handle) and os.fstat(handle.fileno()).st_nlink > 0:
            break  # (a restore can take an unlocked new record for a dead one and remove it)
        handle.close()
    else:
        return False
    _describe(handle, name)
    _mine[key] = _Record(record, handle)
    restoring = restore_running(key)
    if restoring is not None:
        leave(key)
        raise DomainError(
            translate(
                "Presence",
                "The shop database is being restored from a backup on {station}. Start "
                "shop-desk again when the restore is done.",
            ).format(station=restoring.name)
        )
    return True


def leave(db_path: str | Path | None = None) -> None:
    """Remove this process's record for ``db_path`` (all of them when None)."""
    keys = list(_mine) if db_path is None else [_key(db_path)]
    for key in keys:
        record = _mine.pop(key, None)
        if record is None:
            continue
        _unlock(record.handle)
        record.handle.close()
        with contextlib.suppress(OSError):
            record.path.unlink()
            record.path.parent.rmdir()  # only when no other station is left in it


def others(db_path: str | Path) -> list[Station]:
    """The other processes that have ``db_path`` open now (dead ones' records are removed)."""
    where = folder(db_path)
    own = {record.path.name for record in _mine.values()}
    try:
        records = sorted(where.glob("*.json"))
    except OSError:
        return []
    found = []
    for path in records:
        if path.name in own:
            continue
        station = _held_by_other(path)
        if station is not None:
            found.append(station)
    return found


def restore_running(db_path: str | Path) -> Station | None:
    """The station restoring ``db_path`` right now, if any."""
    marker = folder(db_path) / MARKER
    return _held_by_other(marker, remove_if_free=False) if marker.exists() else None


@contextlib.contextmanager
def take_over(db_path: str | Path) -> Iterator[None]:
    """Hold the shop for a restore: refused (a DomainError naming every station) while any
    other process has the file open; stations starting meanwhile are turned away. This
    process's own record does not count: the caller closes its own connection first."""
    where = folder(db_path)
    try:
        where.mkdir(exist_ok=True)
        handle = open(where / MARKER, "a+b")  # noqa: SIM115 - held for the restore
    except OSError:
        # no folder can be written beside the database: the restore cannot write there either
        yield
        return
    try:
        if not _lock(handle):
            running = _read(where / MARKER)
            raise DomainError(
                translate(
                    "Presence", "Another restore of the shop database is running on {station}."
                ).format(station=running.name)
            )
        _describe(handle, this_station())
        try:
            busy = others(db_path)
            if busy:
                raise DomainError(
                    translate(
                        "Presence",
                        "The shop is open on {stations}. Close shop-desk there (and any board "
                        "or command using this database) before restoring; nothing was "
                        "restored.",
                    ).format(stations=join_list([s.label() for s in busy], clauses=True))
                )
            yield
        finally:
            with contextlib.suppress(OSError):
                (where / MARKER).unlink()
            _unlock(handle)
    finally:
        handle.close()
